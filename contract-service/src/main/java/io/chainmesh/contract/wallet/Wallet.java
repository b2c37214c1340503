package io.chainmesh.contract.wallet;

import java.time.Instant;
import java.util.UUID;

/** A tenant's account. Internal: the sealed key never leaves the service; controllers answer with {@link WalletView}. */
public record Wallet(UUID id, UUID tenantId, String name, String address, String origin, SealedKey key, Instant createdAt) {
}
