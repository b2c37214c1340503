package io.chainmesh.gateway.auth;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * tenant-service's answer to {@code POST /internal/api-keys/verify}; also the value cached under
 * {@code {apikey:<sha256>}}.
 *
 * @param valid        whether the key may be used at all
 * @param reason       why not: {@code unknown}, {@code revoked} or {@code expired}
 * @param keyId        the key's id
 * @param tenantId     the key's tenant
 * @param scopes       what the key allows
 * @param plan         the tenant's plan id
 * @param tenantStatus {@code active} or {@code suspended}
 * @param expiresAt    when the key stops working, if ever; re-checked on every cache hit
 * @param limits       the plan's limits
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record KeyVerification(boolean valid, String reason, UUID keyId, UUID tenantId, List<String> scopes, String plan,
        String tenantStatus, Instant expiresAt, PlanLimits limits) {

    static KeyVerification invalid(String reason) {
        return new KeyVerification(false, reason, null, null, List.of(), null, null, null, null);
    }
}
