package io.chainmesh.contract.wallet;

/**
 * What is persisted for a wallet's key: its address, the id of the key-encryption key (or external key) and the
 * sealed bytes. Holds no plaintext; {@link #toString()} omits the bytes anyway.
 */
public record SealedKey(String address, String keyId, byte[] sealed) {

    @Override
    public String toString() {
        return "SealedKey[address=" + address + ", keyId=" + keyId + "]";
    }
}
