package io.chainmesh.contract.wallet;


import jakarta.validation.constraints.Size;

/** Request and response bodies of /v1/wallets. */
final class WalletDtos {

    private WalletDtos() {
    }

    /**
     * @param name       a label
     * @param privateKey present to import an existing key; absent to create a managed one. Never echoed or logged.
     */
    record CreateWalletRequest(@Size(max = 100) String name, String privateKey) {

        @Override
        public String toString() {
            return "CreateWalletRequest[name=" + name + ", privateKey=" + (privateKey == null ? "absent" : "redacted") + "]";
        }
    }
}
