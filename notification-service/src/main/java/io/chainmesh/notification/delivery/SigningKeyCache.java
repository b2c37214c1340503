package io.chainmesh.notification.delivery;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.chainmesh.common.crypto.EnvelopeCipher;

/**
 * Endpoints' signing secrets, opened from their sealed form once and then kept in memory for {@code ttl}, so each
 * delivery to a busy endpoint does not pay for its own AES-GCM open (cipher lookup and key setup were about 4% of the
 * service's CPU at 200 deliveries/s in issue 5's benchmark). Entries are keyed by the sealed bytes themselves (with the
 * tenant and endpoint they are bound to): a rotated or re-sealed secret is another key, so a rotation takes effect on
 * the next attempt, never after the cache expires. Expired entries are dropped by {@link #purgeExpired}, which the
 * delivery scheduler calls on every round, busy or idle; plaintext is never stored elsewhere or logged. A zero
 * {@code ttl} opens the secret for every attempt, as before this cache.
 */
final class SigningKeyCache {

    /** Opens one sealed secret (in production {@code SigningSecretCipher::open}). */
    @FunctionalInterface
    interface Opener {
        String open(UUID tenantId, UUID endpointId, EnvelopeCipher.Sealed sealed);
    }

    private record Key(UUID tenantId, UUID endpointId, String keyId, ByteBuffer sealed) {
    }

    private record Opened(String secret, Instant expiresAt) {
    }

    private final Opener opener;
    private final Duration ttl;
    private final InstantSource clock;
    private final Map<Key, Opened> opened = new ConcurrentHashMap<>();
    private volatile Instant nextPurge = Instant.MIN;

    SigningKeyCache(Opener opener, Duration ttl, InstantSource clock) {
        this.opener = opener;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The plaintext of {@code sealed}, the secret of endpoint {@code endpointId} of tenant {@code tenantId}. */
    String open(UUID tenantId, UUID endpointId, EnvelopeCipher.Sealed sealed) {
        if (ttl.isZero()) {
            return opener.open(tenantId, endpointId, sealed);
        }
        Instant now = clock.instant();
        // a copy: the key must not change if the caller's array does
        Key key = new Key(tenantId, endpointId, sealed.keyId(), ByteBuffer.wrap(sealed.bytes().clone()));
        Opened entry = opened.get(key);
        if (entry == null || !entry.expiresAt().isAfter(now)) {
            entry = new Opened(opener.open(tenantId, endpointId, sealed), now.plus(ttl));
            opened.put(key, entry);
        }
        return entry.secret();
    }

    /** Forgets every secret opened longer than {@code ttl} ago; looks at most once a second, however often called. */
    void purgeExpired() {
        Instant now = clock.instant();
        if (opened.isEmpty() || now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plusSeconds(1);
        opened.values().removeIf(e -> !e.expiresAt().isAfter(now));
    }

    /** How many secrets are held in the clear now. */
    int size() {
        return opened.size();
    }
}
