package io.chainmesh.gateway.web;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import io.chainmesh.common.problem.ApiException;
import reactor.core.publisher.Mono;

/**
 * Rejects a request whose declared {@code Content-Length} exceeds the limit with 413 before anything else is done
 * for it (no Redis, no upstream). Runs on every path, routed or not. Clients that send {@code Expect: 100-continue} get the 413
 * before uploading anything. Chunked bodies without a length are passed on;
 * each service enforces the same limit on what it actually reads ({@code chainmesh.platform.max-body-size}).
 */
class RequestSizeLimitFilter implements WebFilter, Ordered {

    private final long maxBytes;

    RequestSizeLimitFilter(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long length = exchange.getRequest().getHeaders().getContentLength();
        if (length > maxBytes) {
            // The unread body is still on the wire: close the connection after the 413 rather than reuse it.
            exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
            return Mono.error(new ApiException(HttpStatus.CONTENT_TOO_LARGE, GatewayProblems.PAYLOAD_TOO_LARGE,
                    "Payload too large", "The request body is " + length + " bytes; at most " + maxBytes
                            + " bytes are accepted.").with("maxBytes", maxBytes));
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return FilterOrder.REQUEST_SIZE_LIMIT;
    }
}
