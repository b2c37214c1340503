package io.chainmesh.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;

class SignedIdentityCacheTest {

    private static final Duration TOKEN_TTL = Duration.ofSeconds(60);

    private final AtomicLong nanos = new AtomicLong();
    private final IdentityTokenCodec codec = new IdentityTokenCodec("test-identity-secret-0123456789abcdef-0123",
            TOKEN_TTL, Clock.systemUTC());
    private final SignedIdentityCache cache = new SignedIdentityCache(codec, TOKEN_TTL, nanos::get);

    @Test
    void reusesACallersTokenForHalfItsLifetimeThenSignsANewOne() {
        Identity caller = new Identity(UUID.randomUUID(), "key:1", Set.of("read"), "free", UUID.randomUUID());

        String first = cache.tokenFor(caller);
        nanos.addAndGet(TOKEN_TTL.dividedBy(2).minusNanos(1).toNanos());
        String reused = cache.tokenFor(caller);
        nanos.addAndGet(1);
        String fresh = cache.tokenFor(caller);

        assertThat(reused).isEqualTo(first);
        assertThat(fresh).isNotEqualTo(first);
        assertThat(codec.verify(fresh)).isEqualTo(caller);
    }

    @Test
    void signsEachCallerItsOwnToken() {
        Identity one = new Identity(UUID.randomUUID(), "key:1", Set.of("read"), "free", null);
        Identity other = new Identity(UUID.randomUUID(), "key:2", Set.of("read"), "free", null);

        assertThat(codec.verify(cache.tokenFor(one))).isEqualTo(one);
        assertThat(codec.verify(cache.tokenFor(other))).isEqualTo(other);
    }
}
