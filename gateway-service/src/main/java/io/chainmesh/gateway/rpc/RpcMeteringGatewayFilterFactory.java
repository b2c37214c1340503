package io.chainmesh.gateway.rpc;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.web.FilterOrder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code RpcMetering}, the filter of route {@code rpc}: prices JSON-RPC requests at the edge so that one call is
 * billed exactly once. The body is read (it is already bounded by the request size limit), every call's method is
 * priced from the compute-unit table of its {@link GatewayProperties.Rpc Config} ({@code chainmesh.gateway.rpc}, like
 * Alchemy's; a batch is the sum), and the result is left in {@link RpcCost#ATTRIBUTE} for the limit filter (quota
 * charged with the units, token bucket with one token per call) and for the usage event ({@code rpcMethod},
 * {@code computeUnits}). The body is then replayed to blockchain-service unchanged. A body that is not JSON-RPC costs
 * one call of the default price; blockchain-service answers it with a JSON-RPC error.
 *
 * <p>A WebSocket upgrade ({@code GET} with {@code Upgrade: websocket}, on either URL form) has no body and is never
 * read here: reading it would consume nothing useful and SCG's WebSocket routing must get the exchange untouched.
 * The connection is charged like one request (one token, no compute units); the frames that follow never pass
 * through these filters, so blockchain-service prices them itself (route {@code rpc-ws}, same monthly counter).
 */
@Component
public class RpcMeteringGatewayFilterFactory extends AbstractGatewayFilterFactory<GatewayProperties.Rpc> {

    /** A request whose body is not read: one token, no compute units. */
    private static final RpcCost UNREAD = new RpcCost(0, 1, null, Map.of());

    private final JsonMapper json = JsonMapper.builder().build();

    public RpcMeteringGatewayFilterFactory() {
        super(GatewayProperties.Rpc.class);
    }

    @Override
    public GatewayFilter apply(GatewayProperties.Rpc config) {
        return new OrderedGatewayFilter((exchange, chain) -> filter(exchange, chain, config), FilterOrder.RPC_METERING);
    }

    private Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain, GatewayProperties.Rpc config) {
        if (!HttpMethod.POST.equals(exchange.getRequest().getMethod())) {
            // WebSocket upgrades (and stray GETs, which blockchain-service answers with 405).
            exchange.getAttributes().put(RpcCost.ATTRIBUTE, UNREAD);
            return chain.filter(exchange);
        }
        return DataBufferUtils.join(exchange.getRequest().getBody())
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(bytes -> {
                    exchange.getAttributes().put(RpcCost.ATTRIBUTE, costOf(bytes, config));
                    ServerHttpRequest replay = new ServerHttpRequestDecorator(exchange.getRequest()) {
                        @Override
                        public Flux<DataBuffer> getBody() {
                            return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(bytes)));
                        }
                    };
                    return chain.filter(exchange.mutate().request(replay).build());
                });
    }

    RpcCost costOf(byte[] body, GatewayProperties.Rpc config) {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (JacksonException e) {
            request = null;
        }
        if (request == null || !(request.isObject() || request.isArray()) || (request.isArray() && request.isEmpty())) {
            return new RpcCost(config.defaultComputeUnits(), 1, null, Map.of());
        }
        if (request.isObject()) {
            String method = request.path("method").asString(null);
            return new RpcCost(config.computeUnitsOf(method), 1, method, method == null ? Map.of() : Map.of(method, 1));
        }
        int units = 0;
        Map<String, Integer> methods = new LinkedHashMap<>();
        for (JsonNode call : request) {
            String method = call.path("method").asString(null);
            units += config.computeUnitsOf(method);
            if (method != null) {
                methods.merge(method, 1, Integer::sum);
            }
        }
        return new RpcCost(units, request.size(), "batch", methods);
    }
}
