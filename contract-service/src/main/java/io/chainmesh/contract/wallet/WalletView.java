package io.chainmesh.contract.wallet;

import java.time.Instant;
import java.util.UUID;

/** A wallet as the API shows it: never key material. {@code origin} is {@code managed} or {@code imported}. */
public record WalletView(UUID id, String name, String address, String origin, Instant createdAt) {

    static WalletView of(Wallet w) {
        return new WalletView(w.id(), w.name(), w.address(), w.origin(), w.createdAt());
    }
}
