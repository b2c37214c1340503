package io.chainmesh.gateway.rpc;

import java.net.URI;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

import io.chainmesh.common.http.ReactiveInternalClient;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.web.FilterOrder;
import io.chainmesh.gateway.web.GatewayProblems;
import reactor.core.publisher.Mono;

/**
 * {@code WebSocketAdmission}, a filter of route {@code rpc}: asks blockchain-service whether it would admit a
 * JSON-RPC WebSocket before the client's upgrade is accepted. SCG upgrades the client first and connects upstream
 * afterwards, so a socket that blockchain-service refuses (another tenant's node: 404, a stopped node: 409, too many
 * sockets or no compute units left: 429) would otherwise reach the client as a bare close frame (1002) with no
 * reason. With this check the client gets the same HTTP status and problem+json on its handshake that a plain HTTP
 * call would get. The check is {@code GET .../rpc/admission} with the identity the upgrade will carry, through the
 * {@code blockchain-service} {@link ReactiveInternalClient} ({@code chainmesh.gateway.internal.blockchain}); the
 * upgrade itself is still checked upstream (a socket opened between the two by another connection can still be
 * refused there). Requests that are not upgrades pass untouched.
 */
@Component
public class WebSocketAdmissionGatewayFilterFactory extends AbstractGatewayFilterFactory<Object> {

    private final ReactiveInternalClient blockchain;

    @Autowired
    WebSocketAdmissionGatewayFilterFactory(GatewayProperties properties, IdentityTokenCodec codec) {
        this(ReactiveInternalClient.create("blockchain-service", properties.internal().blockchain(), codec,
                "gateway"));
    }

    WebSocketAdmissionGatewayFilterFactory(ReactiveInternalClient blockchain) {
        super(Object.class);
        this.blockchain = blockchain;
    }

    /** The filter; it has no settings. */
    public GatewayFilter apply() {
        return apply(new Object());
    }

    @Override
    public GatewayFilter apply(Object config) {
        return new OrderedGatewayFilter(this::filter, FilterOrder.WEBSOCKET_ADMISSION);
    }

    private Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        URI target = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        if (target == null || !"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
            return chain.filter(exchange);
        }
        URI check = UriComponentsBuilder.fromUri(target).replaceQuery(null)
                .path("/admission").build(true).toUri();
        String identity = request.getHeaders().getFirst(Identity.HEADER);
        return blockchain.forward(identity, web -> web.get().uri(check)
                        .exchangeToMono(answer -> answer.statusCode().is2xxSuccessful()
                                ? answer.releaseBody().thenReturn(Optional.<Refusal>empty())
                                : answer.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                                        .map(body -> Optional.of(new Refusal(answer.statusCode(),
                                                answer.headers().contentType().orElse(null), body)))))
                .onErrorMap(error -> GatewayProblems.upstreamUnavailable(
                        "The node service did not answer; retry shortly."))
                .flatMap(refusal -> refusal.isEmpty() ? chain.filter(exchange) : refuse(exchange, refusal.get()));
    }

    /** What blockchain-service answered instead of admitting the socket. */
    private record Refusal(HttpStatusCode status, MediaType contentType, byte[] body) {
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, Refusal refusal) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(refusal.status());
        if (refusal.contentType() != null) {
            response.getHeaders().setContentType(refusal.contentType());
        }
        response.getHeaders().setContentLength(refusal.body().length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(refusal.body())));
    }
}
