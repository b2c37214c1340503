package io.chainmesh.contract.wallet;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.ContractProperties;

/**
 * Keys encrypted at rest with AES-256-GCM (NIST SP 800-38D) under a key-encryption key from configuration
 * ({@code chainmesh.contract.custody}). Sealed form: 12-byte random IV followed by ciphertext and tag; the wallet
 * address is the additional authenticated data, so a sealed key copied onto another wallet row fails to open.
 * Plaintext keys live only inside {@link #sign} and {@link #reseal}.
 */
@Component
class EncryptedKeyCustody implements KeyCustody {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final String activeKeyId;
    private final Map<String, SecretKeySpec> keys = new HashMap<>();

    EncryptedKeyCustody(ContractProperties properties) {
        this.activeKeyId = properties.custody().activeKeyId();
        properties.custody().keys().forEach((id, base64) -> {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(base64.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("chainmesh.contract.custody.keys." + id + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException("chainmesh.contract.custody.keys." + id + " must be 32 bytes (AES-256), is " + key.length);
            }
            keys.put(id, new SecretKeySpec(key, "AES"));
        });
        if (!keys.containsKey(activeKeyId)) {
            throw new IllegalStateException("chainmesh.contract.custody.active-key-id '" + activeKeyId + "' is not among the configured keys");
        }
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
            throw ApiException.badRequest("invalid_private_key", "privateKey must be 32 bytes of hex (64 hex digits, optional 0x)")
                    .with("field", "privateKey");
        }
        BigInteger d = Numeric.toBigInt(hex);
        if (d.signum() == 0 || d.compareTo(org.web3j.crypto.Sign.CURVE_PARAMS.getN()) >= 0) {
            throw ApiException.badRequest("invalid_private_key", "privateKey is not a valid secp256k1 private key")
                    .with("field", "privateKey");
        }
        return seal(ECKeyPair.create(d));
    }

    @Override
    public SignedTransaction sign(SealedKey key, UnsignedTransaction tx) {
        Credentials credentials = Credentials.create(open(key));
        RawTransaction raw = RawTransaction.createTransaction(tx.chainId(), tx.nonce(), tx.gasLimit(),
                tx.to() == null ? "" : tx.to(), tx.value(), tx.data(), tx.maxPriorityFeePerGas(), tx.maxFeePerGas());
        byte[] signed = TransactionEncoder.signMessage(raw, credentials);
        return new SignedTransaction(Numeric.toHexString(signed), Numeric.toHexString(Hash.sha3(signed)));
    }

    @Override
    public SealedKey reseal(SealedKey key) {
        if (key.keyId().equals(activeKeyId)) {
            return key;
        }
        return seal(open(key));
    }

    private SealedKey seal(ECKeyPair pair) {
        String address = Keys.toChecksumAddress(Keys.getAddress(pair));
        byte[] secret = Numeric.toBytesPadded(pair.getPrivateKey(), 32);
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(activeKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(address.toLowerCase().getBytes(StandardCharsets.US_ASCII));
            byte[] ciphertext = cipher.doFinal(secret);
            return new SealedKey(address, activeKeyId, ByteBuffer.allocate(IV_BYTES + ciphertext.length).put(iv).put(ciphertext).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing a wallet key failed", e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private ECKeyPair open(SealedKey key) {
        SecretKeySpec kek = keys.get(key.keyId());
        if (kek == null) {
            throw new IllegalStateException("wallet " + key.address() + " is sealed under key-encryption key '"
                    + key.keyId() + "', which is no longer configured");
        }
        byte[] secret = null;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, key.sealed(), 0, IV_BYTES));
            cipher.updateAAD(key.address().toLowerCase().getBytes(StandardCharsets.US_ASCII));
            secret = cipher.doFinal(key.sealed(), IV_BYTES, key.sealed().length - IV_BYTES);
            return ECKeyPair.create(secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("wallet key of " + key.address() + " failed authentication under key '" + key.keyId() + "'");
        } finally {
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }
}
