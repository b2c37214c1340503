package io.chainmesh.contract.transaction;

/** What a {@code chainmesh.tx} event announces, and the status the transaction has with it. */
public enum TransactionEventKind {
    /** Signed and sent, or sent again with higher fees. */
    SUBMITTED(TransactionStatus.PENDING),
    MINED(TransactionStatus.MINED),
    CONFIRMED(TransactionStatus.CONFIRMED),
    FAILED(TransactionStatus.FAILED),
    REPLACED(TransactionStatus.REPLACED);

    private final TransactionStatus status;

    TransactionEventKind(TransactionStatus status) {
        this.status = status;
    }

    public TransactionStatus status() {
        return status;
    }

    /** The kind that announces a transaction settling as {@code status} (FAILED or REPLACED). */
    public static TransactionEventKind settledAs(TransactionStatus status) {
        return switch (status) {
            case FAILED -> FAILED;
            case REPLACED -> REPLACED;
            case CONFIRMED -> CONFIRMED;
            default -> throw new IllegalArgumentException(status + " is not a settled status");
        };
    }
}
