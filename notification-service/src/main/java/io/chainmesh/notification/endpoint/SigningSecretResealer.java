package io.chainmesh.notification.endpoint;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.common.crypto.EnvelopeCipher;

/**
 * Brings every stored signing secret under the active key-encryption key, once at start-up: seals the plaintext that
 * versions before encryption at rest left in {@code secret}/{@code previous_secret} (and clears it), and re-seals
 * secrets still under a retired key (rotation). It runs while the context is being built, so it has finished before
 * the delivery worker, the stream intake or the API start; replicas starting together share the rows through
 * {@code SKIP LOCKED}. A secret under a key that is no longer configured stops the start with a message naming the
 * key: better than an endpoint whose every delivery fails.
 */
@Component
class SigningSecretResealer implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SigningSecretResealer.class);
    private static final int BATCH = 200;

    private final WebhookEndpointRepository endpoints;
    private final SigningSecretCipher cipher;
    private final TransactionTemplate tx;

    SigningSecretResealer(WebhookEndpointRepository endpoints, SigningSecretCipher cipher, TransactionTemplate tx) {
        this.endpoints = endpoints;
        this.cipher = cipher;
        this.tx = tx;
    }

    @Override
    public void afterPropertiesSet() {
        // One pass in seq order: every row is visited at most once, so the pass ends whatever the rows hold.
        int total = 0;
        long after = 0;
        List<WebhookEndpointRepository.Unsealed> batch;
        while (!(batch = resealBatch(after)).isEmpty()) {
            total += batch.size();
            after = batch.getLast().seq();
        }
        if (total > 0) {
            log.info("Sealed {} webhook endpoints' signing secrets under key-encryption key {}", total,
                    cipher.activeKeyId());
        }
    }

    /** Re-seals the next rows after {@code afterSeq} in one transaction; returns them (empty when none is left). */
    private List<WebhookEndpointRepository.Unsealed> resealBatch(long afterSeq) {
        return tx.execute(status -> {
            List<WebhookEndpointRepository.Unsealed> rows = endpoints.lockUnsealed(cipher.activeKeyId(), afterSeq, BATCH);
            for (WebhookEndpointRepository.Unsealed row : rows) {
                endpoints.storeSealed(row.tenantId(), row.id(),
                        sealed(row, row.plaintextSecret(), row.secret()),
                        sealed(row, row.plaintextPreviousSecret(), row.previousSecret()));
            }
            return rows;
        });
    }

    /** Plaintext, where present, was written after any sealed value (only old versions write it), so it wins. */
    private EnvelopeCipher.Sealed sealed(WebhookEndpointRepository.Unsealed row, String plaintext,
            EnvelopeCipher.Sealed sealed) {
        if (plaintext != null) {
            return cipher.seal(row.tenantId(), row.id(), plaintext);
        }
        return sealed == null ? null : cipher.reseal(row.tenantId(), row.id(), sealed);
    }
}
