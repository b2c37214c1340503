package io.chainmesh.common.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code api_key.created}: never carries the key itself, only what identifies it. */
public record ApiKeyCreated(UUID keyId, String name, String prefix, List<String> scopes, Instant expiresAt)
        implements PlatformEvent {
}
