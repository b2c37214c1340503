package io.chainmesh.tenant.user;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(4);

    @Test
    void hashIsSaltedBcryptThatMatchesOnlyTheSamePassword() {
        String hash = hasher.hash("correct-horse-battery");
        assertThat(hash).startsWith("$2a$04$").doesNotContain("correct-horse-battery");
        assertThat(hasher.hash("correct-horse-battery")).isNotEqualTo(hash);
        assertThat(hasher.matches("correct-horse-battery", hash)).isTrue();
        assertThat(hasher.matches("correct-horse-batterY", hash)).isFalse();
    }

    @Test
    void passwordsLongerThanBcryptsSeventyTwoBytesAreHashedWhole() {
        String prefix = "ä".repeat(60); // 120 bytes of UTF-8, past BCrypt's 72-byte limit
        String hash = hasher.hash(prefix + "one");
        assertThat(hasher.matches(prefix + "one", hash)).isTrue();
        assertThat(hasher.matches(prefix + "two", hash)).isFalse();
    }

    @Test
    void missingHashNeverMatches() {
        assertThat(hasher.matches("anything-at-all", null)).isFalse();
    }
}
