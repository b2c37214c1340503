package io.chainmesh.common.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.identity.IdentityTokenCodec.InvalidIdentityTokenException;

class IdentityTokenCodecTest {

    private static final String SECRET = "test-identity-secret-0123456789abcdef0123456789";

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-21T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final IdentityTokenCodec codec = new IdentityTokenCodec(SECRET, Duration.ofSeconds(60), clock);
    private final Identity identity = new Identity(UUID.randomUUID(), "key:abc", Set.of("read", "rpc"), "free",
            UUID.randomUUID());

    @Test
    void aSignedTokenVerifiesToTheSameIdentityFirstAndWhenRemembered() {
        String token = codec.sign(identity);

        assertThat(codec.verify(token)).isEqualTo(identity);
        assertThat(codec.verify(token)).isEqualTo(identity);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpired() {
        String token = codec.sign(identity);
        assertThat(codec.verify(token)).isEqualTo(identity);

        clock.now = clock.now.plusSeconds(60 + 5 + 1);

        assertThatThrownBy(() -> codec.verify(token)).isInstanceOf(InvalidIdentityTokenException.class)
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> codec.verify(token)).isInstanceOf(InvalidIdentityTokenException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void aTamperedCopyOfARememberedTokenIsStillRefused() {
        String token = codec.sign(identity);
        assertThat(codec.verify(token)).isEqualTo(identity);
        String[] parts = token.split("\\.");
        String otherPayload = codec.sign(new Identity(UUID.randomUUID(), "key:evil", Set.of("admin"), "enterprise",
                null)).split("\\.")[1];

        assertThatThrownBy(() -> codec.verify(parts[0] + "." + otherPayload + "." + parts[2]))
                .isInstanceOf(InvalidIdentityTokenException.class).hasMessageContaining("signature");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() {
        IdentityTokenCodec other = new IdentityTokenCodec("another-secret-0123456789abcdef0123456789abcd",
                Duration.ofSeconds(60), clock);

        assertThatThrownBy(() -> codec.verify(other.sign(identity))).isInstanceOf(InvalidIdentityTokenException.class)
                .hasMessageContaining("signature");
    }
}
