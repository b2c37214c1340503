package io.chainmesh.tenant.apikey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.chainmesh.common.apikey.ApiKeyFormat;
import io.chainmesh.tenant.plan.Plan;
import io.chainmesh.tenant.tenant.TenantStatus;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request and response records of the API key endpoints. */
final class ApiKeyDtos {

    private ApiKeyDtos() {
    }

    /** {@code POST /v1/api-keys}; without {@code scopes} the configured default scopes apply. */
    record CreateApiKeyRequest(
            @NotBlank @Size(max = 64) String name,
            @Size(min = 1, max = 8) List<@NotNull @Pattern(regexp = ApiKeyScopes.PATTERN, message = ApiKeyScopes.MESSAGE) String> scopes,
            @Future Instant expiresAt) {
    }

    /** A key in a list: identified by its prefix; the secret is gone for good after creation. */
    record ApiKeyView(UUID id, String name, String prefix, List<String> scopes, Instant createdAt, Instant expiresAt,
            Instant lastUsedAt, Instant revokedAt) {

        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.id(), key.name(), key.prefix(), key.scopes(), key.createdAt(), key.expiresAt(),
                    key.lastUsedAt(), key.revokedAt());
        }
    }

    /** The answer to creation, the only time {@code key} (the plaintext) is ever shown. */
    record CreatedApiKey(UUID id, String name, String prefix, List<String> scopes, Instant createdAt, Instant expiresAt,
            String key) {

        @Override
        public String toString() {
            return "CreatedApiKey[id=" + id + ", key=" + ApiKeyFormat.redact(key) + "]";
        }
    }

    /** {@code POST /internal/api-keys/verify}. */
    record VerifyRequest(@NotBlank @Size(max = 256) String key) {

        @Override
        public String toString() {
            return "VerifyRequest[key=" + ApiKeyFormat.redact(key) + "]";
        }
    }

    /** Either {@link Valid} or {@link Invalid}; the gateway switches on {@code valid}. */
    sealed interface VerifyResult permits Valid, Invalid {
    }

    /** {@code expiresAt} is null for a key that never expires. */
    record Valid(boolean valid, UUID keyId, UUID tenantId, List<String> scopes, String plan, TenantStatus tenantStatus,
            @JsonInclude(JsonInclude.Include.ALWAYS) Instant expiresAt, Plan.Limits limits) implements VerifyResult {

        Valid(UUID keyId, UUID tenantId, List<String> scopes, String plan, TenantStatus tenantStatus, Instant expiresAt,
                Plan.Limits limits) {
            this(true, keyId, tenantId, scopes, plan, tenantStatus, expiresAt, limits);
        }
    }

    record Invalid(boolean valid, String reason) implements VerifyResult {

        static final Invalid UNKNOWN = new Invalid(false, "unknown");
        static final Invalid REVOKED = new Invalid(false, "revoked");
        static final Invalid EXPIRED = new Invalid(false, "expired");
    }
}
