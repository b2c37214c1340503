package io.chainmesh.gateway.identity;

import java.util.ArrayList;
import java.util.List;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.common.config.PlatformProperties;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.gateway.auth.Caller;
import io.chainmesh.gateway.web.FilterOrder;
import reactor.core.publisher.Mono;

/**
 * Rewrites what the upstream learns about the caller: removes every client-sent {@code X-Chainmesh-*} header (so no
 * client can forge an identity) and the client's credentials ({@code X-API-Key}, {@code Authorization}: services
 * must not see, log or reuse them), then adds a freshly signed {@code X-Chainmesh-Identity} for the {@link Caller}
 * (the anonymous identity on public endpoints).
 */
@Component
class IdentityHeaderFilter implements GlobalFilter, Ordered {

    private static final String CHAINMESH_PREFIX = "X-Chainmesh-";

    private final SignedIdentityCache tokens;

    IdentityHeaderFilter(IdentityTokenCodec codec, PlatformProperties platform, Ticker ticker) {
        this.tokens = new SignedIdentityCache(codec, platform.identity().ttl(), ticker);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Caller caller = exchange.getAttributeOrDefault(Caller.ATTRIBUTE, Caller.ANONYMOUS);
        String token = tokens.tokenFor(caller.identity());
        ServerHttpRequest request = exchange.getRequest().mutate().headers(headers -> {
            List<String> forged = new ArrayList<>();
            for (String name : headers.headerNames()) {
                if (name.regionMatches(true, 0, CHAINMESH_PREFIX, 0, CHAINMESH_PREFIX.length())) {
                    forged.add(name);
                }
            }
            forged.forEach(headers::remove);
            headers.remove("X-API-Key");
            headers.remove(HttpHeaders.AUTHORIZATION);
            headers.set(Identity.HEADER, token);
        }).build();
        return chain.filter(exchange.mutate().request(request).build());
    }

    @Override
    public int getOrder() {
        return FilterOrder.IDENTITY_HEADER;
    }
}
