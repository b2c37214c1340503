package io.chainmesh.contract.wallet;

/**
 * Holds wallet private keys and signs with them; private key material never leaves an implementation. The
 * database implementation ({@link EncryptedKeyCustody}) keeps keys AES-256-GCM encrypted in our own table; a
 * Vault Transit or cloud KMS implementation can replace it by returning its own {@link SealedKey#keyId()} and
 * opaque {@link SealedKey#sealed()} reference.
 */
public interface KeyCustody {

    /** A new secp256k1 key. */
    SealedKey generate();

    /** An existing key (32-byte hex, with or without 0x); 400 {@code invalid_private_key} if it is not one. */
    SealedKey importKey(String privateKeyHex);

    /** Signs an EIP-1559 transaction with the key behind {@code key}. */
    SignedTransaction sign(SealedKey key, UnsignedTransaction transaction);

    /** Re-seals under the current key-encryption key (rotation); returns {@code key} itself when already current. */
    SealedKey reseal(SealedKey key);
}
