package io.chainmesh.contract.wallet;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;

import org.springframework.stereotype.Component;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import io.chainmesh.common.crypto.EnvelopeCipher;
import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.ContractProperties;

/**
 * Keys encrypted at rest with AES-256-GCM under a key-encryption key from configuration ({@code chainmesh.contract.custody}),
 * by the platform's {@link EnvelopeCipher}: 12-byte random IV followed by ciphertext and tag, the key id beside it. The
 * associated data is the wallet address in lower case, so a sealed key copied onto another wallet row fails to open
 * (the layout and associated data are those of every wallet row written so far). Plaintext keys live only inside
 * {@link #signHash} and {@link #reseal}.
 */
@Component
class EncryptedKeyCustody implements KeyCustody {

    private final SecureRandom random = new SecureRandom();
    private final EnvelopeCipher cipher;

    EncryptedKeyCustody(ContractProperties properties) {
        ContractProperties.Custody custody = properties.custody();
        this.cipher = EnvelopeCipher.fromConfiguration("chainmesh.contract.custody", custody.activeKeyId(), custody.keys());
    }

    @Override
    public SealedKey generate() {
        try {
            return seal(Keys.createEcKeyPair(random));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("secp256k1 key generation failed", e);
        }
    }

    @Override
    public SealedKey importKey(String privateKeyHex) {
        String hex = privateKeyHex == null ? "" : privateKeyHex.strip();
        if (!hex.matches("(0x)?[0-9a-fA-F]{64}")) {
            throw ContractErrors.INVALID_PRIVATE_KEY.exception("privateKey must be 32 bytes of hex (64 hex digits, optional 0x)")
                    .with("field", "privateKey");
        }
        BigInteger d = Numeric.toBigInt(hex);
        if (d.signum() == 0 || d.compareTo(org.web3j.crypto.Sign.CURVE_PARAMS.getN()) >= 0) {
            throw ContractErrors.INVALID_PRIVATE_KEY.exception("privateKey is not a valid secp256k1 private key")
                    .with("field", "privateKey");
        }
        return seal(ECKeyPair.create(d));
    }

    @Override
    public Sign.SignatureData signHash(SealedKey key, byte[] hash) {
        byte[] secret = openSecret(key);
        try {
            return Secp256k1Signer.sign(hash, new BigInteger(1, secret));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    @Override
    public SealedKey reseal(SealedKey key) {
        if (key.keyId().equals(cipher.activeKeyId())) {
            return key;
        }
        return seal(open(key));
    }

    private SealedKey seal(ECKeyPair pair) {
        String address = Keys.toChecksumAddress(Keys.getAddress(pair));
        byte[] secret = Numeric.toBytesPadded(pair.getPrivateKey(), 32);
        try {
            EnvelopeCipher.Sealed sealed = cipher.seal(secret, associatedData(address));
            return new SealedKey(address, sealed.keyId(), sealed.bytes());
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private byte[] openSecret(SealedKey key) {
        try {
            return cipher.open(new EnvelopeCipher.Sealed(key.keyId(), key.sealed()), associatedData(key.address()));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("wallet key of " + key.address() + ": " + e.getMessage());
        }
    }

    private ECKeyPair open(SealedKey key) {
        byte[] secret = openSecret(key);
        try {
            return ECKeyPair.create(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static byte[] associatedData(String address) {
        return address.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    }
}
