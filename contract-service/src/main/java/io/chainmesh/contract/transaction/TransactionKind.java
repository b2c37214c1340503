package io.chainmesh.contract.transaction;

/** What a transaction does: create a contract or call one. {@link #wireName()} is how the API and the table say it. */
public enum TransactionKind {
    DEPLOY("deploy"), SEND("send");

    private final String wireName;

    TransactionKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static TransactionKind of(String wireName) {
        for (TransactionKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown transaction kind " + wireName);
    }
}
