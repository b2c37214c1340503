package io.chainmesh.common.http;

import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.context.Context;

/**
 * The reactive counterpart of {@link InternalClient}, for the gateway (Spring WebFlux, where no call may block): a
 * {@link WebClient} with the timeouts of its {@link InternalClientSettings}, a resilience4j circuit breaker built from
 * the same settings, and an internal identity token on every request. A call that cannot reach the service, times
 * out, is answered 5xx (when the exchange {@code retrieve()}s) or finds the breaker open fails with
 * {@link ServiceUnavailableException}; a 4xx answer fails with Spring's {@link WebClientResponseException} for the
 * caller to translate, and does not count against the breaker.
 */
public final class ReactiveInternalClient {

    private static final String TOKEN = ReactiveInternalClient.class.getName() + ".token";

    private final String service;
    private final WebClient web;
    private final CircuitBreaker breaker;
    private final IdentityTokenCodec identities;
    private final String principal;

    private ReactiveInternalClient(String service, WebClient web, CircuitBreaker breaker,
            IdentityTokenCodec identities, String principal) {
        this.service = service;
        this.web = web;
        this.breaker = breaker;
        this.identities = identities;
        this.principal = principal;
    }

    /**
     * A client of {@code service} (its name as used in error codes, e.g. {@code tenant-service}) for {@code caller}
     * (this service's name; the token's principal is {@code service:<caller>}). Create one per called service and
     * keep it: it holds the breaker's state.
     */
    public static ReactiveInternalClient create(String service, InternalClientSettings settings,
            IdentityTokenCodec identities, String caller) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(settings.connectTimeout().toMillis()))
                .responseTimeout(settings.readTimeout());
        // The token is signed per call and handed to the request through the Reactor context of that call.
        ExchangeFilterFunction token = (request, next) -> Mono.deferContextual(context -> next.exchange(
                context.<String>getOrEmpty(TOKEN)
                        .map(signed -> ClientRequest.from(request).header(Identity.HEADER, signed).build())
                        .orElse(request)));
        WebClient web = WebClient.builder()
                .baseUrl(settings.url().toString())
                .clientConnector(new ReactorClientHttpConnector(http))
                .filter(token)
                .build();
        CircuitBreaker breaker = settings.circuitBreaker().create(service);
        return new ReactiveInternalClient(service, web, breaker, identities, "service:" + caller);
    }

    /**
     * Runs {@code exchange} against the service on behalf of {@code tenantId} ({@code null}: for no tenant, e.g. to
     * verify a credential before its tenant is known), e.g. {@code client.call(tenantId, web -> web.get()
     * .uri("/internal/tenants/{id}/context", tenantId).retrieve().bodyToMono(TenantContextView.class))}.
     */
    public <T> Mono<T> call(UUID tenantId, Function<WebClient, Mono<T>> exchange) {
        return run(() -> identities.sign(new Identity(tenantId, principal, Set.of(Identity.SCOPE_INTERNAL), null,
                null)), exchange);
    }

    /**
     * Runs {@code exchange} with an identity token signed for someone else (the end caller's own), for a question
     * only the service can answer about that caller, such as whether it would admit them; {@code null} sends none.
     */
    public <T> Mono<T> forward(String identityToken, Function<WebClient, Mono<T>> exchange) {
        return run(() -> identityToken, exchange);
    }

    /** The breaker's state, for health and metrics. */
    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    private <T> Mono<T> run(Supplier<String> token, Function<WebClient, Mono<T>> exchange) {
        return Mono.defer(() -> {
                    String signed = token.get();
                    return signed == null ? exchange.apply(web)
                            : exchange.apply(web).contextWrite(Context.of(TOKEN, signed));
                })
                .onErrorMap(this::isUnavailable, this::unavailable)
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorMap(CallNotPermittedException.class, e -> new ServiceUnavailableException(service,
                        service + " is failing; calls are paused for a few seconds"));
    }

    private boolean isUnavailable(Throwable error) {
        return error instanceof WebClientRequestException
                || (error instanceof WebClientResponseException answer && answer.getStatusCode().is5xxServerError());
    }

    private ServiceUnavailableException unavailable(Throwable error) {
        if (error instanceof WebClientResponseException answer) {
            return new ServiceUnavailableException(service, service + " answered " + answer.getStatusCode().value());
        }
        Throwable cause = error.getCause() == null ? error : error.getCause();
        return new ServiceUnavailableException(service, service + " did not answer: " + cause.getClass().getSimpleName());
    }
}
