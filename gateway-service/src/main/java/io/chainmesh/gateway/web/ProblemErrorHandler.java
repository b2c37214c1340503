package io.chainmesh.gateway.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders every failure that reaches the edge as {@code application/problem+json} with a stable {@code code}: no
 * Whitelabel page, no HTML, no stack trace, also for "no route" (404) and dead upstreams (503). Ordered before
 * Boot's default handler so that one never renders anything. Headers already set on the response (CORS,
 * {@code Retry-After}, {@code RateLimit-*}) are kept.
 *
 * <p>A request refused before its body was read (bad credentials, missing scope, rate limit) still has that body on
 * the wire: on a kept-alive HTTP/1.1 connection its bytes would arrive after the answer and be taken for the start of
 * the next request, which then hangs (seen with the JDK's HttpClient when the refusal was decided without any I/O).
 * So the body is read and dropped before the problem is written; a body without a declared length gets
 * {@code Connection: close} instead (it may be unbounded).
 */
@Component
@Order(FilterOrder.ERROR_HANDLER)
class ProblemErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);
    private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        ProblemDetail problem = GatewayProblems.expected(error);
        if (problem == null) {
            // Path templated: a /rpc/{apiKey}/ path must never reach a log.
            log.error("Unexpected failure on {} {}", exchange.getRequest().getMethod(),
                    PathTemplates.of(exchange.getRequest().getPath().value()), error);
            problem = GatewayProblems.internalError();
        }
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(PROBLEM_JSON);
        headers.remove(HttpHeaders.CONTENT_LENGTH);
        if (problem.getStatus() == 401 && !headers.containsHeader(HttpHeaders.WWW_AUTHENTICATE)) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"chainmesh\"");
        }
        DataBuffer body = response.bufferFactory().wrap(JSON.writeValueAsBytes(toMap(problem)));
        return discardUnreadBody(exchange).then(Mono.defer(() -> response.writeWith(Mono.just(body))));
    }

    private static Mono<Void> discardUnreadBody(ServerWebExchange exchange) {
        HttpHeaders request = exchange.getRequest().getHeaders();
        HttpHeaders response = exchange.getResponse().getHeaders();
        if ("close".equalsIgnoreCase(response.getFirst(HttpHeaders.CONNECTION))) {
            return Mono.empty();
        }
        if (request.getContentLength() <= 0) {
            if (request.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
                response.set(HttpHeaders.CONNECTION, "close");
            }
            return Mono.empty();
        }
        // Declared and within the size limit (RequestSizeLimitFilter refused larger ones with Connection: close).
        // Already read by a filter or the proxy: a second subscription fails at once, which is fine.
        return exchange.getRequest().getBody().doOnNext(DataBufferUtils::release).then()
                .timeout(DRAIN_TIMEOUT, Mono.empty())
                .onErrorResume(error -> Mono.empty());
    }

    private static Map<String, Object> toMap(ProblemDetail problem) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", problem.getType().toString());
        map.put("title", problem.getTitle());
        map.put("status", problem.getStatus());
        if (problem.getDetail() != null) {
            map.put("detail", problem.getDetail());
        }
        if (problem.getProperties() != null) {
            map.putAll(problem.getProperties());
        }
        return map;
    }
}
