package io.chainmesh.contract.connector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.node.ChainNode;
import io.chainmesh.contract.node.NodeDirectory;
import tools.jackson.databind.JsonNode;

/**
 * Chooses the {@link ChainConnector} of a node by the protocol blockchain-service reports for it, as FireFly's plugin
 * factory chooses by name. Every connector bean is registered under its protocol; there is nothing else to wire.
 *
 * <p>The connectors are looked up once every singleton exists rather than injected: a connector itself depends on
 * services that depend on this factory (the contract registry parses interfaces through it).
 */
@Component
public class ChainConnectors implements SmartInitializingSingleton {

    /** A tenant's node and the connector that speaks its protocol. */
    public record Connected(ChainNode node, ChainConnector connector) {
    }

    private final ObjectProvider<ChainConnector> connectors;
    private final NodeDirectory nodes;
    private volatile Map<String, ChainConnector> byProtocol;

    ChainConnectors(ObjectProvider<ChainConnector> connectors, NodeDirectory nodes) {
        this.connectors = connectors;
        this.nodes = nodes;
    }

    @Override
    public void afterSingletonsInstantiated() {
        byProtocol();
    }

    private Map<String, ChainConnector> byProtocol() {
        Map<String, ChainConnector> known = byProtocol;
        if (known == null) {
            synchronized (this) {
                known = byProtocol;
                if (known == null) {
                    Map<String, ChainConnector> registered = new LinkedHashMap<>();
                    connectors.orderedStream().forEach(connector -> {
                        if (registered.putIfAbsent(key(connector.protocol()), connector) != null) {
                            throw new IllegalStateException("two chain connectors for protocol " + connector.protocol());
                        }
                    });
                    if (registered.isEmpty()) {
                        throw new IllegalStateException("no chain connector");
                    }
                    byProtocol = known = Collections.unmodifiableMap(registered);
                }
            }
        }
        return known;
    }

    /** The connector of {@code protocol}; a 409 {@code protocol_not_supported} when none speaks it. */
    public ChainConnector forProtocol(String protocol) {
        ChainConnector connector = protocol == null ? null : byProtocol().get(key(protocol));
        if (connector == null) {
            throw ContractErrors.PROTOCOL_NOT_SUPPORTED.exception("contract-service has no connector for protocol " + protocol
                    + "; it speaks " + byProtocol().keySet());
        }
        return connector;
    }

    /** The tenant's node (404 when it is not theirs) with its connector. */
    public Connected forNode(UUID tenantId, UUID nodeId) {
        ChainNode node = nodes.node(tenantId, nodeId);
        return new Connected(node, forProtocol(node.protocol()));
    }

    /** The connector that parsed {@code contract}. */
    public ChainConnector forInterface(ContractInterface contract) {
        return forProtocol(contract.protocol());
    }

    /**
     * The tenant's node, which must speak {@code connector}'s protocol: a contract parsed by one connector cannot be
     * deployed or called on another chain family (409 {@code protocol_not_supported}).
     */
    public ChainNode node(UUID tenantId, UUID nodeId, ChainConnector connector) {
        ChainNode node = nodes.node(tenantId, nodeId);
        if (forProtocol(node.protocol()) != connector) {
            throw ContractErrors.PROTOCOL_NOT_SUPPORTED.exception("Node " + nodeId + " speaks " + node.protocol()
                    + ", but the contract's interface is for " + connector.protocol()).with("field", "nodeId");
        }
        return node;
    }

    /**
     * Parses a registered contract's interface document with the first connector (in bean order) that accepts it;
     * when none does, the first connector's objection stands (the document was most likely meant for it).
     */
    public ContractInterface parseInterface(JsonNode document) {
        InvalidInterfaceException first = null;
        for (ChainConnector connector : byProtocol().values()) {
            try {
                return connector.parseInterface(document);
            } catch (InvalidInterfaceException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    private static String key(String protocol) {
        return protocol.toLowerCase(Locale.ROOT);
    }
}
