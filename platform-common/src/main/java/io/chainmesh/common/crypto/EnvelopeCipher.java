package io.chainmesh.common.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts small secrets at rest (wallet private keys, webhook signing secrets) with AES-256-GCM (NIST SP 800-38D)
 * under one of several key-encryption keys (KEKs) from configuration, each named by an id. New values are sealed under
 * the active KEK; values sealed under any other configured KEK still open, so a KEK is rotated by adding the new key,
 * making it active, re-sealing ({@link #reseal}) and only then removing the old one.
 *
 * <p>Sealed bytes are a 12-byte random IV followed by the ciphertext and the 16-byte tag; the KEK id is stored beside
 * them ({@link Sealed#keyId()}). The caller passes associated data naming the row the secret belongs to (its tenant and
 * id, say): it is authenticated but not stored, so sealed bytes copied onto another row fail to open. With random IVs a
 * KEK must seal fewer than 2^32 values (SP 800-38D, 8.3), far more than any of our tables holds between rotations.
 */
public final class EnvelopeCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final String activeKeyId;
    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    /** What is stored for one secret: the id of the KEK it is sealed under and IV, ciphertext and tag. */
    public record Sealed(String keyId, byte[] bytes) {

        public Sealed {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(bytes, "bytes");
        }

        /** Omits the bytes: sealed values stay out of logs even though they are not plaintext. */
        @Override
        public String toString() {
            return "Sealed[keyId=" + keyId + "]";
        }
    }

    /**
     * @param activeKeyId the id new values are sealed under; must be among {@code keys}
     * @param keys        KEKs by id, 32 bytes each (copied)
     */
    public EnvelopeCipher(String activeKeyId, Map<String, byte[]> keys) {
        keys.forEach((id, key) -> {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a key-encryption key id must not be blank");
            }
            if (key == null || key.length != KEY_BYTES) {
                throw new IllegalArgumentException("key-encryption key '" + id + "' must be 32 bytes (AES-256), is "
                        + (key == null ? 0 : key.length));
            }
            this.keys.put(id, new SecretKeySpec(key, "AES"));
        });
        if (activeKeyId == null || !this.keys.containsKey(activeKeyId)) {
            throw new IllegalArgumentException("the active key-encryption key id '" + activeKeyId
                    + "' is not among the configured keys " + this.keys.keySet());
        }
        this.activeKeyId = activeKeyId;
    }

    /**
     * A cipher from configuration: {@code base64Keys} maps ids to base64 keys. Errors name the offending property under
     * {@code propertyPrefix} (e.g. {@code chainmesh.contract.custody}) and never include key material.
     */
    public static EnvelopeCipher fromConfiguration(String propertyPrefix, String activeKeyId, Map<String, String> base64Keys) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        base64Keys.forEach((id, base64) -> {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(base64 == null ? "" : base64.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(propertyPrefix + ".keys." + id + " is not base64");
            }
            if (key.length != KEY_BYTES) {
                throw new IllegalStateException(propertyPrefix + ".keys." + id + " must be 32 bytes (AES-256), is "
                        + key.length);
            }
            keys.put(id, key);
        });
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalStateException(propertyPrefix + ".active-key-id '" + activeKeyId
                    + "' is not among the configured keys " + keys.keySet());
        }
        try {
            return new EnvelopeCipher(activeKeyId, keys);
        } finally {
            keys.values().forEach(k -> Arrays.fill(k, (byte) 0));
        }
    }

    public String activeKeyId() {
        return activeKeyId;
    }

    /** Whether {@code sealed} is under the active KEK already (nothing to re-seal). */
    public boolean isActive(Sealed sealed) {
        return activeKeyId.equals(sealed.keyId());
    }

    /** Seals {@code plaintext} under the active KEK, binding it to {@code associatedData}. */
    public Sealed seal(byte[] plaintext, byte[] associatedData) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData);
            byte[] ciphertext = cipher.doFinal(plaintext);
            return new Sealed(activeKeyId, ByteBuffer.allocate(IV_BYTES + ciphertext.length).put(iv).put(ciphertext).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
    }

    /**
     * The plaintext of {@code sealed}; the caller should zero it after use.
     *
     * @throws IllegalStateException when its KEK is not configured, or when the bytes or the associated data are not
     *                               the ones it was sealed with (tampered, or copied from another row)
     */
    public byte[] open(Sealed sealed, byte[] associatedData) {
        SecretKeySpec kek = keys.get(sealed.keyId());
        if (kek == null) {
            throw new IllegalStateException("sealed under key-encryption key '" + sealed.keyId()
                    + "', which is not configured");
        }
        byte[] bytes = sealed.bytes();
        if (bytes.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("sealed value under key '" + sealed.keyId() + "' is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("sealed value failed authentication under key '" + sealed.keyId()
                    + "' (tampered, or not sealed for this row)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM opening failed", e);
        }
    }

    /** {@code sealed} re-sealed under the active KEK, or {@code sealed} itself when it is already. */
    public Sealed reseal(Sealed sealed, byte[] associatedData) {
        if (isActive(sealed)) {
            return sealed;
        }
        byte[] plaintext = open(sealed, associatedData);
        try {
            return seal(plaintext, associatedData);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }
}
