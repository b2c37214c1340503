package io.chainmesh.notification.delivery;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.common.crypto.EnvelopeCipher;

/**
 * Endpoints' signing secrets, opened from their sealed form once and then kept in memory for {@code ttl}, so each
 * delivery to a busy endpoint does not pay for its own AES-GCM open. Entries are keyed by the sealed bytes themselves
 * (with the tenant and endpoint they are bound to): a rotated or re-sealed secret is another key, so a rotation takes
 * effect on the next attempt, never after the cache expires. At most {@code maximumSize} secrets are held; expired ones
 * are dropped by {@link #purgeExpired}, which the delivery scheduler calls on every round, busy or idle, so plaintext
 * does not outlive its ttl in an idle service. Plaintext is never stored elsewhere or logged. A zero {@code ttl} opens
 * the secret for every attempt and keeps nothing.
 */
final class SigningKeyCache {

    /** Opens one sealed secret (in production {@code SigningSecretCipher::open}). */
    @FunctionalInterface
    interface Opener {
        String open(UUID tenantId, UUID endpointId, EnvelopeCipher.Sealed sealed);
    }

    private record Key(UUID tenantId, UUID endpointId, String keyId, ByteBuffer sealed) {
    }

    private final Opener opener;
    private final Cache<Key, String> opened;

    /** @param ticker the time source of expiry ({@link Ticker#systemTicker()} outside tests) */
    SigningKeyCache(Opener opener, Duration ttl, long maximumSize, Ticker ticker) {
        this.opener = opener;
        this.opened = ttl.isZero() ? null
                : Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(ttl).ticker(ticker).build();
    }

    /** The plaintext of {@code sealed}, the secret of endpoint {@code endpointId} of tenant {@code tenantId}. */
    String open(UUID tenantId, UUID endpointId, EnvelopeCipher.Sealed sealed) {
        if (opened == null) {
            return opener.open(tenantId, endpointId, sealed);
        }
        // a copy: the key must not change if the caller's array does
        Key key = new Key(tenantId, endpointId, sealed.keyId(), ByteBuffer.wrap(sealed.bytes().clone()));
        return opened.get(key, k -> opener.open(tenantId, endpointId, sealed));
    }

    /** Forgets every secret opened longer than {@code ttl} ago. */
    void purgeExpired() {
        if (opened != null) {
            opened.cleanUp();
        }
    }

    /** How many secrets are held in the clear now. */
    long size() {
        return opened == null ? 0 : opened.estimatedSize();
    }
}
