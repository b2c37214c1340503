package io.chainmesh.tenant.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.chainmesh.tenant.apikey.ApiKeyDtos.CreateApiKeyRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

class ApiKeyScopesTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void requestedScopesAreDeduplicatedIntoCanonicalOrder() {
        assertThat(ApiKeyScopes.normalise(List.of("rpc", "keys", "read", "rpc"))).containsExactly("read", "rpc", "keys");
    }

    @Test
    void unknownScopesAndPastExpiryAreRejectedByField() {
        var request = new CreateApiKeyRequest("ci", List.of("read", "admin"), Instant.now().minusSeconds(1));
        assertThat(fieldsInError(VALIDATOR.validate(request))).containsOnlyKeys("scopes[1].<list element>", "expiresAt");
    }

    @Test
    void nameMustBeOneToSixtyFourCharacters() {
        assertThat(fieldsInError(VALIDATOR.validate(new CreateApiKeyRequest("", null, null)))).containsKey("name");
        assertThat(fieldsInError(VALIDATOR.validate(new CreateApiKeyRequest("n".repeat(65), null, null)))).containsKey("name");
        assertThat(VALIDATOR.validate(new CreateApiKeyRequest("n".repeat(64), List.of("keys"), null))).isEmpty();
    }

    @Test
    void keyIsExpiredFromItsExpiryInstantOn() {
        Instant expiry = Instant.parse("2026-01-01T00:00:00Z");
        ApiKey key = new ApiKey(UUID.randomUUID(), UUID.randomUUID(), "k", "h", "cmk_abcdefgh", List.of("read"),
                expiry.minusSeconds(60), expiry, null, null);
        assertThat(key.isExpiredAt(expiry.minusNanos(1))).isFalse();
        assertThat(key.isExpiredAt(expiry)).isTrue();
    }

    private static Map<String, String> fieldsInError(Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream().collect(Collectors.toMap(v -> v.getPropertyPath().toString(), ConstraintViolation::getMessage));
    }
}
