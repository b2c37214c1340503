package io.chainmesh.contract.wallet;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.ContractProperties;

/** Wallets of a tenant; their keys are held by {@link KeyCustody}, which signs for a chain connector. */
@Service
public class Wallets {

    private static final Logger log = LoggerFactory.getLogger(Wallets.class);

    private final WalletRepository repository;
    private final KeyCustody custody;
    private final String activeKeyId;

    Wallets(WalletRepository repository, KeyCustody custody, ContractProperties properties) {
        this.repository = repository;
        this.custody = custody;
        this.activeKeyId = properties.custody().activeKeyId();
    }

    WalletView create(UUID tenantId, WalletDtos.CreateWalletRequest request) {
        boolean imported = request.privateKey() != null;
        SealedKey key = imported ? custody.importKey(request.privateKey()) : custody.generate();
        if (imported && repository.exists(tenantId, key.address())) {
            throw ContractErrors.WALLET_EXISTS.exception("A wallet with address " + key.address() + " already exists")
                    .with("address", key.address());
        }
        Wallet wallet = new Wallet(UUID.randomUUID(), tenantId, request.name(), key.address(),
                imported ? "imported" : "managed", key, Instant.now().truncatedTo(ChronoUnit.MICROS));
        repository.insert(wallet);
        return WalletView.of(wallet);
    }

    /** The tenant's wallet, or 404 naming the field that referenced it. */
    public Wallet require(UUID tenantId, UUID walletId) {
        return repository.find(tenantId, walletId)
                .orElseThrow(() -> ContractErrors.notFound("Wallet", walletId).with("field", "walletId"));
    }

    WalletView get(UUID tenantId, UUID walletId) {
        return WalletView.of(require(tenantId, walletId));
    }

    Page<WalletView> list(UUID tenantId, PageCursor after, int limit) {
        return Page.of(repository.page(tenantId, after, limit), limit, w -> new PageCursor(w.createdAt(), w.id()), WalletView::of);
    }

    /** Key rotation: re-seals every wallet still under a retired key-encryption key, at start. */
    @EventListener(ApplicationReadyEvent.class)
    void resealUnderActiveKey() {
        int total = 0;
        List<Wallet> batch;
        while (!(batch = repository.sealedUnderOtherThan(activeKeyId, 200)).isEmpty()) {
            for (Wallet w : batch) {
                repository.updateKey(w.tenantId(), w.id(), custody.reseal(w.key()));
            }
            total += batch.size();
        }
        if (total > 0) {
            log.info("Re-sealed {} wallet keys under key-encryption key {}", total, activeKeyId);
        }
    }
}
