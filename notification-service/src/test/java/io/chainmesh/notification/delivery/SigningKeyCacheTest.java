package io.chainmesh.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.common.crypto.EnvelopeCipher;

class SigningKeyCacheTest {

    private static final UUID TENANT = UUID.randomUUID();
    private static final UUID ENDPOINT = UUID.randomUUID();

    private final EnvelopeCipher cipher = new EnvelopeCipher("k1", Map.of("k1", filled(7)));
    private final AtomicInteger opens = new AtomicInteger();
    /** Time as the cache sees it: moved by the test, never by waiting. */
    private Duration now = Duration.ZERO;
    private final Ticker ticker = () -> now.toNanos();

    /** The real AES-GCM open, bound to tenant and endpoint as SigningSecretCipher binds it, counted. */
    private String open(UUID tenant, UUID endpoint, EnvelopeCipher.Sealed sealed) {
        opens.incrementAndGet();
        return new String(cipher.open(sealed, aad(tenant, endpoint)), StandardCharsets.UTF_8);
    }

    private EnvelopeCipher.Sealed seal(UUID tenant, UUID endpoint, String secret) {
        return cipher.seal(secret.getBytes(StandardCharsets.UTF_8), aad(tenant, endpoint));
    }

    private static byte[] aad(UUID tenant, UUID endpoint) {
        return (tenant + ":" + endpoint).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    @Test
    void aSecretIsDecryptedOnceForAllAttemptsWithinTheTtlAndAgainAfterIt() {
        SigningKeyCache cache = new SigningKeyCache(this::open, Duration.ofSeconds(30), 100, ticker);
        EnvelopeCipher.Sealed sealed = seal(TENANT, ENDPOINT, "whsec_one");

        for (int i = 0; i < 5; i++) {
            assertThat(cache.open(TENANT, ENDPOINT, sealed)).isEqualTo("whsec_one");
            now = now.plusSeconds(5);
        }
        assertThat(opens).hasValue(1);

        now = now.plusSeconds(5); // 30 s after it was opened
        assertThat(cache.open(TENANT, ENDPOINT, sealed)).isEqualTo("whsec_one");
        assertThat(opens).hasValue(2);
    }

    @Test
    void aRotatedSecretIsUsedAtOnceNotWhenTheCachedOneExpires() {
        SigningKeyCache cache = new SigningKeyCache(this::open, Duration.ofMinutes(5), 100, ticker);
        assertThat(cache.open(TENANT, ENDPOINT, seal(TENANT, ENDPOINT, "whsec_old"))).isEqualTo("whsec_old");

        assertThat(cache.open(TENANT, ENDPOINT, seal(TENANT, ENDPOINT, "whsec_new"))).isEqualTo("whsec_new");
        assertThat(opens).hasValue(2);
    }

    @Test
    void aSealedSecretOfAnotherEndpointIsNotServedFromTheCacheAndStillFailsToOpen() {
        SigningKeyCache cache = new SigningKeyCache(this::open, Duration.ofMinutes(5), 100, ticker);
        EnvelopeCipher.Sealed sealed = seal(TENANT, ENDPOINT, "whsec_mine");
        cache.open(TENANT, ENDPOINT, sealed);

        UUID otherEndpoint = UUID.randomUUID();
        assertThatThrownBy(() -> cache.open(TENANT, otherEndpoint, sealed)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> cache.open(UUID.randomUUID(), ENDPOINT, sealed))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void expiredSecretsAreForgottenByThePurge() {
        SigningKeyCache cache = new SigningKeyCache(this::open, Duration.ofSeconds(30), 100, ticker);
        cache.open(TENANT, ENDPOINT, seal(TENANT, ENDPOINT, "whsec_a"));
        UUID other = UUID.randomUUID();
        now = now.plusSeconds(20);
        cache.open(TENANT, other, seal(TENANT, other, "whsec_b"));
        cache.purgeExpired();
        assertThat(cache.size()).isEqualTo(2);

        now = now.plusSeconds(15); // the first is 35 s old, the second 15 s
        cache.purgeExpired();
        assertThat(cache.size()).isEqualTo(1);

        now = now.plusSeconds(30);
        cache.purgeExpired();
        assertThat(cache.size()).isZero();
    }

    @Test
    void noMoreSecretsThanTheMaximumSizeAreHeld() {
        SigningKeyCache cache = new SigningKeyCache(this::open, Duration.ofMinutes(5), 3, ticker);
        for (int i = 0; i < 10; i++) {
            UUID endpoint = UUID.randomUUID();
            cache.open(TENANT, endpoint, seal(TENANT, endpoint, "whsec_" + i));
        }
        cache.purgeExpired();
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void aZeroTtlDecryptsForEveryAttemptAndKeepsNothing() {
        SigningKeyCache cache = new SigningKeyCache(this::open, Duration.ZERO, 100, ticker);
        EnvelopeCipher.Sealed sealed = seal(TENANT, ENDPOINT, "whsec_one");
        cache.open(TENANT, ENDPOINT, sealed);
        cache.open(TENANT, ENDPOINT, sealed);
        assertThat(opens).hasValue(2);
        assertThat(cache.size()).isZero();
    }
}
