package io.chainmesh.gateway.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

import io.chainmesh.gateway.usage.PathTemplates;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders every failure that reaches the edge as {@code application/problem+json} with a stable {@code code}: no
 * Whitelabel page, no HTML, no stack trace, also for "no route" (404) and dead upstreams (503). Ordered before
 * Boot's default handler so that one never renders anything. Headers already set on the response (CORS,
 * {@code Retry-After}, {@code RateLimit-*}) are kept.
 */
@Component
@Order(-2)
class ProblemErrorHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);
    private static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;
    private static final JsonMapper JSON = JsonMapper.builder().build();

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
        return response.writeWith(Mono.just(body));
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
