package io.chainmesh.gateway.auth;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;

import io.chainmesh.gateway.GatewayProperties;
import reactor.core.publisher.Mono;

/**
 * tenant-service's RS256 public keys, fetched without blocking from its JWKS endpoint and kept in memory. The set is
 * refetched when it is older than {@code jwks-cache-ttl}, or when a token names an unknown {@code kid} (key rotation)
 * but not more often than {@code jwks-min-refresh-interval}. Concurrent refreshes share one fetch; if a refresh fails
 * the previous set keeps being used.
 */
@Component
class JwksKeySource {

    private static final Logger log = LoggerFactory.getLogger(JwksKeySource.class);

    private record Snapshot(Map<String, RSASSAVerifier> verifiers, RSASSAVerifier single, Instant fetchedAt) {
    }

    private final TenantServiceClient tenantService;
    private final Clock clock;
    private final Duration ttl;
    private final Duration minRefreshInterval;
    private volatile Snapshot snapshot;
    private final AtomicReference<Mono<Snapshot>> refreshing = new AtomicReference<>();

    JwksKeySource(TenantServiceClient tenantService, Clock clock, GatewayProperties properties) {
        this.tenantService = tenantService;
        this.clock = clock;
        this.ttl = properties.auth().jwksCacheTtl();
        this.minRefreshInterval = properties.auth().jwksMinRefreshInterval();
    }

    /** The verifier for {@code kid} ({@code null} kid: the only key, if there is exactly one); empty if unknown. */
    Mono<RSASSAVerifier> verifierFor(String kid) {
        Snapshot current = snapshot;
        Instant now = clock.instant();
        if (current != null && current.fetchedAt().plus(ttl).isAfter(now)) {
            RSASSAVerifier verifier = find(current, kid);
            if (verifier != null) {
                return Mono.just(verifier);
            }
            if (current.fetchedAt().plus(minRefreshInterval).isAfter(now)) {
                return Mono.empty();
            }
        }
        return refresh().mapNotNull(fresh -> find(fresh, kid));
    }

    private Mono<Snapshot> refresh() {
        Mono<Snapshot> existing = refreshing.get();
        if (existing != null) {
            return existing;
        }
        Mono<Snapshot> fetch = tenantService.jwks()
                .map(this::parse)
                .doOnNext(fresh -> snapshot = fresh)
                .onErrorResume(error -> {
                    Snapshot stale = snapshot;
                    if (stale == null) {
                        return Mono.error(error);
                    }
                    log.warn("Could not refresh the JWKS ({}); using the previous key set", error.toString());
                    return Mono.just(stale);
                })
                .doFinally(signal -> refreshing.set(null))
                .cache();
        return refreshing.compareAndSet(null, fetch) ? fetch : refresh();
    }

    private Snapshot parse(String json) {
        try {
            Map<String, RSASSAVerifier> verifiers = new HashMap<>();
            RSASSAVerifier last = null;
            for (JWK jwk : JWKSet.parse(json).getKeys()) {
                if (jwk instanceof RSAKey rsa) {
                    last = new RSASSAVerifier(rsa);
                    if (rsa.getKeyID() != null) {
                        verifiers.put(rsa.getKeyID(), last);
                    }
                }
            }
            return new Snapshot(Map.copyOf(verifiers), verifiers.size() <= 1 ? last : null, clock.instant());
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("tenant-service served an unreadable JWKS", e);
        }
    }

    private static RSASSAVerifier find(Snapshot snapshot, String kid) {
        return kid == null ? snapshot.single() : snapshot.verifiers().get(kid);
    }
}
