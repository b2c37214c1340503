package io.chainmesh.gateway.routing;

import java.net.URI;
import java.time.Duration;

import org.springframework.cloud.circuitbreaker.resilience4j.ReactiveResilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.cloud.gateway.support.RouteMetadataUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.rpc.RpcMeteringGatewayFilterFactory;
import io.chainmesh.gateway.rpc.WebSocketAdmissionGatewayFilterFactory;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;

/**
 * The public route table (DESIGN.md, "Public API"): which path prefix belongs to which service. Route ids are the
 * service names, plus {@code rpc} for JSON-RPC; they appear in usage events and select per-route compute-unit prices.
 * Every route has a connect and response timeout and its own circuit breaker, so a dead service answers 503
 * upstream_unavailable fast instead of tying up connections. Filters every route needs are global (see
 * {@code FilterOrder} for the sequence); those of one route are applied here.
 */
@Configuration(proxyBeanMethods = false)
class GatewayRoutes {

    @Bean
    RouteLocator chainmeshRoutes(RouteLocatorBuilder builder, GatewayProperties properties,
            RpcMeteringGatewayFilterFactory rpcMetering, WebSocketAdmissionGatewayFilterFactory webSocketAdmission) {
        GatewayProperties.Services services = properties.services();
        GatewayProperties.Upstream upstream = properties.upstream();
        RouteLocatorBuilder.Builder routes = builder.routes();
        route(routes, "tenant", services.tenant(), upstream, "/v1/signup", "/v1/auth/**", "/v1/plans", "/v1/tenant",
                "/v1/api-keys/**", "/v1/invoices/**", "/v1/admin/**");
        // JSON-RPC has its own route, priced per method (RpcMetering). The key-in-URL form is rewritten to the
        // header form: the API key never leaves the gateway (not in upstream URLs, logs, traces). A WebSocket
        // upgrade on either form takes the same route: SCG's WebsocketRoutingFilter switches an http route to ws
        // when the request carries Upgrade: websocket, after authentication, the identity header and the rewrite
        // were applied to the upgrade request like to any other, and after WebSocketAdmission asked first.
        routes.route("rpc", r -> r.path("/rpc/**", "/v1/nodes/*/rpc")
                .filters(f -> f.filter(rpcMetering.apply(properties.rpc()))
                        .filter(webSocketAdmission.apply())
                        .rewritePath("^/rpc/[^/]*(/(?<node>[^/]*))?.*$", "/v1/nodes/${node}/rpc")
                        .circuitBreaker(c -> c.setName("rpc")))
                .metadata(RouteMetadataUtils.CONNECT_TIMEOUT_ATTR, (int) upstream.connectTimeout().toMillis())
                .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, upstream.responseTimeout().toMillis())
                .uri(services.blockchain()));
        route(routes, "blockchain", services.blockchain(), upstream, "/v1/networks/**", "/v1/nodes/**");
        route(routes, "contract", services.contract(), upstream, "/v1/wallets/**", "/v1/contracts/**",
                "/v1/instances/**", "/v1/transactions/**", "/v1/subscriptions/**");
        route(routes, "analytics", services.analytics(), upstream, "/v1/analytics/**");
        route(routes, "notification", services.notification(), upstream, "/v1/webhooks/**", "/v1/deliveries/**");
        return routes.build();
    }

    private static void route(RouteLocatorBuilder.Builder routes, String id, URI uri,
            GatewayProperties.Upstream upstream, String... paths) {
        routes.route(id, r -> r.path(paths)
                .filters(f -> f.circuitBreaker(c -> c.setName(id)))
                .metadata(RouteMetadataUtils.CONNECT_TIMEOUT_ATTR, (int) upstream.connectTimeout().toMillis())
                .metadata(RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR, upstream.responseTimeout().toMillis())
                .uri(uri));
    }

    /**
     * Breaker settings for every route (the gateway's own calls have theirs, {@code chainmesh.gateway.internal}). The
     * breaker's time limiter is disabled in application.yml: the HTTP client's response timeout already bounds a
     * call, and a time limiter would cut long JSON-RPC or streaming responses. The bulkhead is disabled too:
     * concurrency is bounded by the plan's rate limit, not by a fixed per-route semaphore.
     */
    @Bean
    Customizer<ReactiveResilience4JCircuitBreakerFactory> circuitBreakerDefaults(GatewayProperties properties) {
        GatewayProperties.CircuitBreaker config = properties.upstream().circuitBreaker();
        Duration responseTimeout = properties.upstream().responseTimeout();
        return factory -> factory.configureDefault(id -> new Resilience4JConfigBuilder(id)
                .circuitBreakerConfig(CircuitBreakerConfig.custom()
                        .failureRateThreshold(config.failureRateThreshold())
                        .slidingWindowSize(config.slidingWindowSize())
                        .minimumNumberOfCalls(config.minimumCalls())
                        .waitDurationInOpenState(config.waitInOpenState())
                        .build())
                .timeLimiterConfig(TimeLimiterConfig.custom().timeoutDuration(responseTimeout.plusSeconds(5)).build())
                .build());
    }
}
