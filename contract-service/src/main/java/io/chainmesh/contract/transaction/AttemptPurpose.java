package io.chainmesh.contract.transaction;

/**
 * Why a signed version of a transaction was made. {@link #wireName()} is the {@code transaction_attempts.purpose}
 * value.
 */
public enum AttemptPurpose {
    /** The transaction as requested. */
    ORIGINAL("original"),
    /** The same transaction with higher fees, to replace a copy that is stuck in the pool. */
    FEE_BUMP("fee_bump"),
    /** A no-op that takes the nonce of a transaction the node refused, so later ones are not held back. */
    GAP_FILL("gap_fill");

    private final String wireName;

    AttemptPurpose(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AttemptPurpose of(String wireName) {
        for (AttemptPurpose purpose : values()) {
            if (purpose.wireName.equals(wireName)) {
                return purpose;
            }
        }
        throw new IllegalArgumentException("unknown attempt purpose " + wireName);
    }
}
