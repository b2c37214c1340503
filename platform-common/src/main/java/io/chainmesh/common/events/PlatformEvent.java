package io.chainmesh.common.events;

/**
 * A fact one service tells the others, as a past-tense record: its components are the {@code data} of the
 * {@link EventEnvelope} that carries it, its {@link #type()} the envelope's {@code type}. Every event on every stream
 * is one of these (DESIGN.md, "Event streams"), encoded and decoded only by {@link EventCodec}. Producers build the
 * record and hand it to {@link Outbox#append} or {@link EventPublisher#publish}; consumers ask
 * {@link EventEnvelope#event()} and switch over the result.
 */
public sealed interface PlatformEvent permits TenantCreated, TenantSuspended, TenantResumed, TenantPlanChanged,
        ApiKeyCreated, ApiKeyRevoked, WebhookEndpointDisabled, WebhookTestRequested, UsageRecorded, NodeStatusChanged,
        TransactionStatusChanged, ContractEventLogged {

    /** The envelope's {@code type}; for most events fixed by the record's class, see {@link EventType}. */
    default String type() {
        return EventType.of(getClass()).wireName();
    }

    /** The stream this event is published on. */
    default String stream() {
        return EventType.of(getClass()).stream();
    }
}
