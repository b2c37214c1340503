package io.chainmesh.gateway.rpc;

import java.net.URI;
import java.util.Optional;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.web.GatewayProblems;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Asks blockchain-service whether it would admit a JSON-RPC WebSocket before the client's upgrade is accepted. SCG
 * upgrades the client first and connects upstream afterwards, so a socket that blockchain-service refuses (another
 * tenant's node: 404, a stopped node: 409, too many sockets or no compute units left: 429) would otherwise reach the
 * client as a bare close frame (1002) with no reason. With this check the client gets the same HTTP status and
 * problem+json on its handshake that a plain HTTP call would get. The check is {@code GET .../rpc/admission} with the
 * identity the upgrade will carry; the upgrade itself is still checked upstream (a socket opened between the two by
 * another connection can still be refused there).
 */
@Component
class WebSocketAdmissionFilter implements GlobalFilter, Ordered {

    static final String ROUTE_ID = "rpc";

    private final WebClient web;

    WebSocketAdmissionFilter(GatewayProperties properties) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.upstream().connectTimeout().toMillis())
                .responseTimeout(properties.auth().internalTimeout());
        this.web = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        ServerHttpRequest request = exchange.getRequest();
        URI target = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
        if (route == null || !ROUTE_ID.equals(route.getId()) || target == null
                || !"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
            return chain.filter(exchange);
        }
        URI check = UriComponentsBuilder.fromUri(target).replaceQuery(null)
                .path("/admission").build(true).toUri();
        String identity = request.getHeaders().getFirst(Identity.HEADER);
        return web.get().uri(check).header(Identity.HEADER, identity)
                .exchangeToMono(answer -> answer.statusCode().is2xxSuccessful()
                        ? answer.releaseBody().thenReturn(Optional.<Refusal>empty())
                        : answer.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                                .map(body -> Optional.of(new Refusal(answer.statusCode(),
                                        answer.headers().contentType().orElse(null), body))))
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

    @Override
    public int getOrder() {
        // Just before WebsocketRoutingFilter (LOWEST_PRECEDENCE - 1) proxies the socket: after authentication,
        // limits, the identity header, the path rewrite and RouteToRequestUrlFilter (10000).
        return Ordered.LOWEST_PRECEDENCE - 2;
    }
}
