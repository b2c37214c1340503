package io.chainmesh.notification.support;

import java.util.UUID;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.NodeStatusChanged;
import io.chainmesh.common.events.TransactionStatusChanged;

/** Events as their producers publish them, for the intake to turn into webhooks. */
public final class TestEvents {

    /** The nonce every test transaction carries, so a test can find it in the webhook body. */
    public static final long NONCE = 7;

    private TestEvents() {
    }

    /**
     * A transaction of {@code tenant} reaching {@code status}: {@code PENDING} is {@code tx.submitted}, the others
     * {@code tx.<status>}.
     */
    public static EventEnvelope transaction(UUID tenant, String status) {
        return EventEnvelope.of(tenant, new TransactionStatusChanged(UUID.randomUUID(), null, UUID.randomUUID(),
                "0x" + "ab".repeat(32), null, null, NONCE, status, null, null));
    }

    /** A node of {@code tenant} reaching {@code status}, e.g. {@code RUNNING} ({@code node.running}). */
    public static EventEnvelope node(UUID tenant, String status) {
        return EventEnvelope.of(tenant, new NodeStatusChanged(UUID.randomUUID(), "node-1", "ethereum", "anvil",
                31337L, "local", status, null));
    }
}
