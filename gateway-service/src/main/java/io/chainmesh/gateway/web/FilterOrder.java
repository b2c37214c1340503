package io.chainmesh.gateway.web;

import org.springframework.core.Ordered;

/**
 * The order of everything the gateway does to a request, in one place; lower runs first (outermost). Two chains run
 * one inside the other:
 *
 * <ol>
 * <li>WebFlux {@code WebFilter}s, on every path whether routed or not: {@link #CORS}, then
 * {@link #REQUEST_SIZE_LIMIT}. Failures anywhere below are rendered by the {@link #ERROR_HANDLER}.</li>
 * <li>Spring Cloud Gateway's filter chain of the matched route, global filters and the route's own sorted
 * together: {@link #USAGE_RECORDING} (outermost, so its latency covers the rest), {@link #CALLER_AUTHENTICATION},
 * {@link #RPC_METERING} (route {@code rpc} only: reads the body of authenticated calls only), {@link #TENANT_LIMITS},
 * {@link #IDENTITY_HEADER}; then the routes' unordered filters (path rewrite, circuit breaker, at 0), SCG's
 * {@code RouteToRequestUrlFilter} (10000), {@link #WEBSOCKET_ADMISSION} (route {@code rpc} only), and SCG's
 * WebSocket and HTTP routing filters, which proxy the request.</li>
 * </ol>
 */
public final class FilterOrder {

    /** Preflights answered before anything else, and CORS headers on every answer, refusals included. */
    public static final int CORS = Ordered.HIGHEST_PRECEDENCE;
    /** Right after CORS, so a refused browser request still carries CORS headers and the page can read it. */
    public static final int REQUEST_SIZE_LIMIT = Ordered.HIGHEST_PRECEDENCE + 10;
    /** The problem+json renderer ({@code WebExceptionHandler}), before Boot's default handler at -1. */
    public static final int ERROR_HANDLER = -2;

    public static final int USAGE_RECORDING = -300;
    public static final int CALLER_AUTHENTICATION = -200;
    /** After authentication, so an unauthenticated body is never read; before limits, which charge its price. */
    public static final int RPC_METERING = -180;
    public static final int TENANT_LIMITS = -150;
    public static final int IDENTITY_HEADER = -100;
    /** Just before SCG's {@code WebsocketRoutingFilter} ({@code LOWEST_PRECEDENCE - 1}) proxies the socket. */
    public static final int WEBSOCKET_ADMISSION = Ordered.LOWEST_PRECEDENCE - 2;

    private FilterOrder() {
    }
}
