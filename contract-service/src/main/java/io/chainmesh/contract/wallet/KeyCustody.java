package io.chainmesh.contract.wallet;

import org.web3j.crypto.Sign;

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

    /**
     * Signs a 32-byte message hash with the key behind {@code key}: ECDSA over secp256k1 with an RFC 6979 nonce and
     * low s (EIP-2), as a KMS signs a digest; v is 27 plus the recovery id. What the hash is of (an EIP-1559
     * transaction, say) is the caller's business.
     */
    Sign.SignatureData signHash(SealedKey key, byte[] hash);

    /** Re-seals under the current key-encryption key (rotation); returns {@code key} itself when already current. */
    SealedKey reseal(SealedKey key);
}
