package io.chainmesh.notification.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.chainmesh.common.crypto.EnvelopeCipher;
import io.chainmesh.notification.NotificationProperties;

/**
 * Encrypts endpoints' {@code whsec_} signing secrets at rest. The HMAC of Standard Webhooks needs the key itself, so
 * it cannot be hashed; it is sealed with AES-256-GCM ({@link EnvelopeCipher}) under the key-encryption key
 * {@code chainmesh.notification.signing-secrets.active-key-id}. The associated data names the endpoint's tenant and id,
 * so a sealed secret copied onto another endpoint's row does not open. A rotation moves the current sealed secret to
 * the previous-secret columns of the same row, where it still opens.
 */
@Component
public class SigningSecretCipher {

    private static final String CONTEXT = "chainmesh.notification.signing-secret.v1";

    private final EnvelopeCipher cipher;

    @Autowired
    SigningSecretCipher(NotificationProperties properties) {
        this(EnvelopeCipher.fromConfiguration("chainmesh.notification.signing-secrets",
                properties.signingSecrets().activeKeyId(), properties.signingSecrets().keys()));
    }

    SigningSecretCipher(EnvelopeCipher cipher) {
        this.cipher = cipher;
    }

    public EnvelopeCipher.Sealed seal(UUID tenantId, UUID endpointId, String secret) {
        byte[] plaintext = secret.getBytes(StandardCharsets.UTF_8);
        try {
            return cipher.seal(plaintext, associatedData(tenantId, endpointId));
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** The secret, for signing one attempt; fails if the row's key-encryption key is gone or the bytes were moved. */
    public String open(UUID tenantId, UUID endpointId, EnvelopeCipher.Sealed sealed) {
        byte[] plaintext;
        try {
            plaintext = cipher.open(sealed, associatedData(tenantId, endpointId));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("signing secret of webhook endpoint " + endpointId + ": " + e.getMessage());
        }
        try {
            return new String(plaintext, StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** {@code sealed} under the active key-encryption key ({@code sealed} itself when it is already). */
    EnvelopeCipher.Sealed reseal(UUID tenantId, UUID endpointId, EnvelopeCipher.Sealed sealed) {
        try {
            return cipher.reseal(sealed, associatedData(tenantId, endpointId));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("signing secret of webhook endpoint " + endpointId + ": " + e.getMessage());
        }
    }

    String activeKeyId() {
        return cipher.activeKeyId();
    }

    private static byte[] associatedData(UUID tenantId, UUID endpointId) {
        return (CONTEXT + ':' + tenantId + ':' + endpointId).getBytes(StandardCharsets.US_ASCII);
    }
}
