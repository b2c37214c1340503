package io.chainmesh.gateway.identity;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;

/**
 * Reuses the signed identity token of a caller for half of the token's lifetime: signing (claims JSON, HMAC, base64)
 * is a visible share of the gateway's CPU per request, and the same key sends thousands of requests with an identical
 * identity. A reused token still has at least half its lifetime left when a service sees it. At most
 * {@value #MAX_ENTRIES} callers are kept; a burst of distinct callers only costs re-signing.
 */
class SignedIdentityCache {

    static final int MAX_ENTRIES = 50_000;

    private final IdentityTokenCodec codec;
    private final Cache<Identity, String> tokens;

    SignedIdentityCache(IdentityTokenCodec codec, Duration tokenTtl, Ticker ticker) {
        this.codec = codec;
        this.tokens = Caffeine.newBuilder()
                .maximumSize(MAX_ENTRIES)
                .expireAfterWrite(tokenTtl.dividedBy(2))
                .ticker(ticker)
                .build();
    }

    String tokenFor(Identity identity) {
        return tokens.get(identity, codec::sign);
    }
}
