package io.chainmesh.gateway.auth;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.gateway.web.FilterOrder;
import io.chainmesh.gateway.web.GatewayProblems;
import reactor.core.publisher.Mono;

/**
 * Establishes the {@link Caller} of every routed request, or rejects it. Credentials, in order: the key in a
 * {@code /rpc/{apiKey}/...} path, {@code X-API-Key}, then {@code Authorization: Bearer} (an API key when it starts
 * with {@code cmk_}, a JWT otherwise). Public endpoints get the anonymous caller whatever they carry. Also enforces
 * the scope the path needs ({@link ScopePolicy}), so a key without it never reaches a service.
 */
@Component
public class CallerAuthenticationFilter implements GlobalFilter, Ordered {

    private static final String BEARER = "Bearer ";
    private static final String API_KEY_HEADER = "X-API-Key";

    private final ApiKeyAuthenticator apiKeys;
    private final JwtAuthenticator jwts;

    CallerAuthenticationFilter(ApiKeyAuthenticator apiKeys, JwtAuthenticator jwts) {
        this.apiKeys = apiKeys;
        this.jwts = jwts;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpMethod method = request.getMethod();
        String path = request.getPath().value();
        if (PublicEndpoints.isPublic(method, path)) {
            exchange.getAttributes().put(Caller.ATTRIBUTE, Caller.ANONYMOUS);
            return chain.filter(exchange);
        }
        return authenticate(request, path).flatMap(caller -> {
            // Set before the scope check so that a refused request of a known tenant is still metered.
            exchange.getAttributes().put(Caller.ATTRIBUTE, caller);
            String scope = ScopePolicy.requiredScope(method, path);
            if (!caller.identity().hasScope(scope)) {
                return Mono.error(ApiException.forbidden(GatewayProblems.INSUFFICIENT_SCOPE,
                        "This request needs the '" + scope + "' scope.").with("requiredScope", scope));
            }
            return chain.filter(exchange);
        });
    }

    private Mono<Caller> authenticate(ServerHttpRequest request, String path) {
        if (path.startsWith("/rpc/")) {
            int end = path.indexOf('/', 5);
            String key = end < 0 ? path.substring(5) : path.substring(5, end);
            if (!key.isEmpty()) {
                return apiKeys.authenticate(key);
            }
        }
        HttpHeaders headers = request.getHeaders();
        String apiKey = headers.getFirst(API_KEY_HEADER);
        if (apiKey != null) {
            return apiKeys.authenticate(apiKey.strip());
        }
        String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String credential = authorization.substring(BEARER.length()).strip();
            return credential.startsWith(ApiKeyFormat.PREFIX) ? apiKeys.authenticate(credential)
                    : jwts.authenticate(credential);
        }
        return Mono.error(ApiException.unauthorized(GatewayProblems.AUTHENTICATION_REQUIRED,
                "Send an API key (X-API-Key or Authorization: Bearer) or a portal JWT."));
    }

    @Override
    public int getOrder() {
        return FilterOrder.CALLER_AUTHENTICATION;
    }
}
