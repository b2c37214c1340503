package io.chainmesh.tenant.apikey;

import java.net.URI;
import java.util.UUID;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.tenant.apikey.ApiKeyDtos.ApiKeyView;
import io.chainmesh.tenant.apikey.ApiKeyDtos.CreateApiKeyRequest;
import io.chainmesh.tenant.apikey.ApiKeyDtos.CreatedApiKey;
import io.chainmesh.tenant.apikey.ApiKeyDtos.VerifyRequest;
import io.chainmesh.tenant.apikey.ApiKeyDtos.VerifyResult;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** A tenant's API keys (scope {@code keys}), and their verification for the gateway (scope {@code internal}). */
@RestController
class ApiKeyController {

    static final String SCOPE_KEYS = "keys";

    private final ApiKeyService apiKeys;

    ApiKeyController(ApiKeyService apiKeys) {
        this.apiKeys = apiKeys;
    }

    @GetMapping("/v1/api-keys")
    Page<ApiKeyView> list(Identity identity,
            @RequestParam(defaultValue = "" + PageCursor.DEFAULT_LIMIT) @Min(1) @Max(PageCursor.MAX_LIMIT) int limit,
            @RequestParam(required = false) String cursor) {
        UUID tenantId = Caller.tenantOf(identity);
        Caller.requireScope(identity, SCOPE_KEYS);
        return apiKeys.list(tenantId, PageCursor.decode(cursor), limit);
    }

    @PostMapping("/v1/api-keys")
    ResponseEntity<CreatedApiKey> create(Identity identity, @Valid @RequestBody CreateApiKeyRequest request) {
        UUID tenantId = Caller.tenantOf(identity);
        Caller.requireScope(identity, SCOPE_KEYS);
        CreatedApiKey created = apiKeys.create(tenantId, identity.scopes(), request);
        // no-store: this body holds the only copy of the secret anyone will ever see
        return ResponseEntity.created(URI.create("/v1/api-keys/" + created.id()))
                .cacheControl(CacheControl.noStore()).body(created);
    }

    @DeleteMapping("/v1/api-keys/{keyId}")
    ResponseEntity<Void> revoke(Identity identity, @PathVariable UUID keyId) {
        UUID tenantId = Caller.tenantOf(identity);
        Caller.requireScope(identity, SCOPE_KEYS);
        apiKeys.revoke(tenantId, keyId);
        return ResponseEntity.noContent().build();
    }

    /** Always 200 for a well-formed request: an invalid key is an answer, not an error. */
    @PostMapping("/internal/api-keys/verify")
    VerifyResult verify(Identity identity, @Valid @RequestBody VerifyRequest request) {
        Caller.requireScope(identity, Identity.SCOPE_INTERNAL);
        return apiKeys.verify(request.key());
    }
}
