package io.chainmesh.common.http;

import java.io.IOException;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * A client of one other service, made by {@link InternalHttpClients}. Every call is made on behalf of a tenant, whose
 * internal identity (scope {@code internal}) the request carries, so the called service scopes its answer to that
 * tenant. A call that cannot reach the service, times out, gets a 5xx or finds the breaker open throws
 * {@link ServiceUnavailableException} (503 {@code <service>_unavailable}); a 4xx answer is thrown as Spring's
 * {@code HttpClientErrorException} for the caller to translate, and does not count against the breaker.
 */
public final class InternalClient {

    private final String service;
    private final RestClient rest;
    private final CircuitBreaker breaker;
    private final TokenInterceptor tokens;

    InternalClient(String service, RestClient rest, CircuitBreaker breaker, TokenInterceptor tokens) {
        this.service = service;
        this.rest = rest;
        this.breaker = breaker;
        this.tokens = tokens;
    }

    /**
     * Runs {@code exchange} against the service for {@code tenantId}, e.g.
     * {@code client.call(tenantId, rest -> rest.get().uri("/internal/tenants/{id}/context", tenantId).retrieve()
     * .body(TenantContextView.class))}.
     */
    public <T> T call(UUID tenantId, Function<RestClient, T> exchange) {
        try {
            return breaker.executeSupplier(() -> {
                UUID previous = tokens.tenant.get();
                tokens.tenant.set(tenantId);
                try {
                    return exchange.apply(rest);
                } catch (ResourceAccessException e) {
                    throw new ServiceUnavailableException(service, service + " did not answer: "
                            + (e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName()));
                } catch (HttpServerErrorException e) {
                    throw new ServiceUnavailableException(service, service + " answered " + e.getStatusCode().value());
                } finally {
                    tokens.tenant.set(previous);
                }
            });
        } catch (CallNotPermittedException e) {
            throw new ServiceUnavailableException(service, service + " is failing; calls are paused for a few seconds");
        }
    }

    /** The breaker's state, for health and metrics. */
    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** Signs the calling tenant's internal identity onto each request made inside {@link #call}. */
    static final class TokenInterceptor implements ClientHttpRequestInterceptor {

        private final IdentityTokenCodec identities;
        private final String principal;
        private final ThreadLocal<UUID> tenant = new ThreadLocal<>();

        TokenInterceptor(IdentityTokenCodec identities, String principal) {
            this.identities = identities;
            this.principal = principal;
        }

        @Override
        public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
                throws IOException {
            request.getHeaders().set(Identity.HEADER, identities.sign(
                    new Identity(tenant.get(), principal, Set.of(Identity.SCOPE_INTERNAL), null, null)));
            return execution.execute(request, body);
        }
    }
}
