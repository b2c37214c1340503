package io.chainmesh.common.http;

import java.net.http.HttpClient;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import io.chainmesh.common.identity.IdentityTokenCodec;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * The one way a service calls another over HTTP: a {@link RestClient} with the timeouts of its
 * {@link InternalClientSettings}, a resilience4j circuit breaker built from the same settings, and the caller's
 * internal identity token attached to every request. A bean of every servlet service (see
 * {@code PlatformAutoConfiguration}); the gateway, which is reactive, has its own WebClient counterpart.
 */
public class InternalHttpClients {

    private final IdentityTokenCodec identities;
    private final String principal;

    /**
     * @param caller this service's name, e.g. {@code contract-service}; the token's principal is
     *               {@code service:<caller>}
     */
    public InternalHttpClients(IdentityTokenCodec identities, String caller) {
        this.identities = identities;
        this.principal = "service:" + caller;
    }

    /**
     * A client of {@code service} (its name as used in error codes and metrics, e.g. {@code tenant-service}).
     * Create one per called service and keep it: it holds the connection pool and the breaker's state.
     */
    public InternalClient client(String service, InternalClientSettings settings) {
        HttpClient http = HttpClient.newBuilder()
                // HTTP/1.1: no h2c upgrade dance with a servlet container that does not speak it.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(settings.readTimeout());
        InternalClient.TokenInterceptor tokens = new InternalClient.TokenInterceptor(identities, principal);
        RestClient rest = RestClient.builder()
                .baseUrl(settings.url().toString())
                .requestFactory(factory)
                .requestInterceptor(tokens)
                .build();
        CircuitBreaker breaker = settings.circuitBreaker().create(service);
        return new InternalClient(service, rest, breaker, tokens);
    }
}
