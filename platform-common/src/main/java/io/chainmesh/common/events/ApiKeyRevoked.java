package io.chainmesh.common.events;

import java.util.UUID;

/** {@code api_key.revoked}: requests and open sockets authenticated with this key must stop. */
public record ApiKeyRevoked(UUID keyId) implements PlatformEvent {
}
