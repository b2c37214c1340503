package io.chainmesh.common.events;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The catalogue of event types on the wire: the envelope's {@code type}, the stream it travels on and the record it
 * decodes to. Two families share one record each, their type following the status they carry: {@code node.*}
 * ({@link NodeStatusChanged}) and {@code tx.*} ({@link TransactionStatusChanged}).
 */
public enum EventType {

    TENANT_CREATED("tenant.created", Streams.TENANT, TenantCreated.class),
    TENANT_SUSPENDED("tenant.suspended", Streams.TENANT, TenantSuspended.class),
    TENANT_RESUMED("tenant.resumed", Streams.TENANT, TenantResumed.class),
    TENANT_PLAN_CHANGED("tenant.plan_changed", Streams.TENANT, TenantPlanChanged.class),
    API_KEY_CREATED("api_key.created", Streams.TENANT, ApiKeyCreated.class),
    API_KEY_REVOKED("api_key.revoked", Streams.TENANT, ApiKeyRevoked.class),
    WEBHOOK_ENDPOINT_DISABLED("webhook.endpoint_disabled", Streams.TENANT, WebhookEndpointDisabled.class),
    /** Never published on a stream: notification-service turns it into a delivery row directly. */
    WEBHOOK_TEST("webhook.test", Streams.TENANT, WebhookTestRequested.class),
    USAGE_RECORDED("usage.recorded", Streams.USAGE, UsageRecorded.class),
    NODE_PROVISIONING("node.provisioning", Streams.CHAIN, NodeStatusChanged.class),
    NODE_RUNNING("node.running", Streams.CHAIN, NodeStatusChanged.class),
    NODE_FAILED("node.failed", Streams.CHAIN, NodeStatusChanged.class),
    NODE_DELETING("node.deleting", Streams.CHAIN, NodeStatusChanged.class),
    NODE_DELETED("node.deleted", Streams.CHAIN, NodeStatusChanged.class),
    TX_SUBMITTED("tx.submitted", Streams.TX, TransactionStatusChanged.class),
    TX_MINED("tx.mined", Streams.TX, TransactionStatusChanged.class),
    TX_CONFIRMED("tx.confirmed", Streams.TX, TransactionStatusChanged.class),
    TX_FAILED("tx.failed", Streams.TX, TransactionStatusChanged.class),
    TX_REPLACED("tx.replaced", Streams.TX, TransactionStatusChanged.class),
    CONTRACT_EVENT("contract.event", Streams.CONTRACT_EVENTS, ContractEventLogged.class);

    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::recordClass, Function.identity(), (first, other) -> first));

    private final String wireName;
    private final String stream;
    private final Class<? extends PlatformEvent> recordClass;

    EventType(String wireName, String stream, Class<? extends PlatformEvent> recordClass) {
        this.wireName = wireName;
        this.stream = stream;
        this.recordClass = recordClass;
    }

    public String wireName() {
        return wireName;
    }

    public String stream() {
        return stream;
    }

    public Class<? extends PlatformEvent> recordClass() {
        return recordClass;
    }

    /** {@code null} for a type this version does not know (a newer producer): consumers skip those. */
    public static EventType fromWireName(String wireName) {
        return wireName == null ? null : BY_WIRE_NAME.get(wireName);
    }

    /** The first type of a record class; families whose type depends on the status override {@code type()}. */
    static EventType of(Class<?> recordClass) {
        EventType type = BY_CLASS.get(recordClass);
        if (type == null) {
            throw new IllegalArgumentException("not an event record: " + recordClass.getName());
        }
        return type;
    }
}
