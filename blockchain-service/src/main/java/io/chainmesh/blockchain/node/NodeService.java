package io.chainmesh.blockchain.node;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.network.Networks;
import io.chainmesh.blockchain.node.NodeDtos.CreateNodeRequest;
import io.chainmesh.blockchain.provisioning.LocalPorts;
import io.chainmesh.blockchain.provisioning.NodeReconciler;
import io.chainmesh.common.problem.ApiException;

/**
 * The tenant's side of the node lifecycle: records what the tenant wants and leaves the doing to the
 * {@link NodeReconciler}, which is woken after each commit. Every method takes the tenant id explicitly.
 */
@Service
public class NodeService {

    private final NodeRepository nodes;
    private final NodeEvents events;
    private final Networks networks;
    private final TenantQuotas quotas;
    private final LocalPorts ports;
    private final NodeReconciler reconciler;
    private final BlockchainProperties properties;

    NodeService(NodeRepository nodes, NodeEvents events, Networks networks, TenantQuotas quotas, LocalPorts ports,
            NodeReconciler reconciler, BlockchainProperties properties) {
        this.nodes = nodes;
        this.events = events;
        this.networks = networks;
        this.quotas = quotas;
        this.ports = ports;
        this.reconciler = reconciler;
        this.properties = properties;
    }

    @Transactional
    public Node create(UUID tenantId, CreateNodeRequest request) {
        Networks.Network network = networks.find(request.network()).orElseThrow(() -> ApiException
                .badRequest("unknown_network", "No network '" + request.network() + "'; see GET /v1/networks.")
                .with("field", "network"));
        String driver = request.driver() == null ? network.drivers().getFirst() : request.driver();
        if (!network.drivers().contains(driver)) {
            throw ApiException.badRequest("unsupported_driver", "Network '" + network.id() + "' supports drivers "
                    + network.drivers() + ", not '" + driver + "'.").with("field", "driver");
        }
        List<String> upstreams = "external".equals(driver) ? validUpstreams(request.upstreams()) : List.of();
        if (!"external".equals(driver) && request.upstreams() != null && !request.upstreams().isEmpty()) {
            throw ApiException.badRequest("upstreams_not_allowed", "Only the external driver takes upstreams.")
                    .with("field", "upstreams");
        }
        // Ask before locking: the quota call may take up to its timeout.
        Integer maxNodes = quotas.maxNodes(tenantId);
        nodes.lockTenant(tenantId);
        int wanted = nodes.countWanted(tenantId);
        if (maxNodes != null && wanted >= maxNodes) {
            throw new ApiException(HttpStatus.FORBIDDEN, "node_quota_exceeded", "Node quota exceeded",
                    "Your plan allows " + maxNodes + " node(s) and you have " + wanted
                            + "; delete one or upgrade the plan.")
                    .with("limit", maxNodes).with("current", wanted);
        }
        Integer port = null;
        Long chainId = null;
        if ("local".equals(driver)) {
            // One global lock: two tenants creating nodes at once must not pick the same port.
            nodes.lockTenant(new UUID(0, 0));
            port = ports.allocate(nodes.portsInUse()).orElseThrow(() -> new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE, "no_capacity", "No capacity",
                    "No port is free for another local node on this host; try again later."));
            chainId = nodes.nextLocalChainId(properties.nodes().local().firstChainId());
        }
        Instant now = Instant.now();
        Node node = new Node(UUID.randomUUID(), tenantId, request.name(), network.protocol(), network.id(), driver,
                chainId, NodeStatus.PROVISIONING, null, true, false, port, upstreams,
                new Node.NodeHealth("unknown", null, null, null, null, 0, null), now, now);
        nodes.insert(node);
        events.publish(node, NodeStatus.PROVISIONING, null);
        wakeReconcilerAfterCommit();
        return node;
    }

    public Node get(UUID tenantId, UUID id) {
        return nodes.find(tenantId, id).orElseThrow(() -> ApiException.notFound("node", id));
    }

    public List<Node> list(UUID tenantId, Instant beforeCreatedAt, UUID beforeId, int limit) {
        return nodes.list(tenantId, beforeCreatedAt, beforeId, limit);
    }

    /** Idempotent: deleting a node that is already going or gone just returns it. */
    @Transactional
    public Node delete(UUID tenantId, UUID id) {
        Node node = nodes.findForUpdate(tenantId, id).orElseThrow(() -> ApiException.notFound("node", id));
        if (node.desiredRunning()) {
            nodes.requestDeletion(tenantId, id);
            events.publish(node, NodeStatus.DELETING, null);
            wakeReconcilerAfterCommit();
        }
        return nodes.find(tenantId, id).orElseThrow();
    }

    @Transactional
    public Node restart(UUID tenantId, UUID id) {
        Node node = nodes.findForUpdate(tenantId, id).orElseThrow(() -> ApiException.notFound("node", id));
        if (!node.desiredRunning() || node.status() == NodeStatus.PROVISIONING) {
            throw ApiException.conflict("node_not_restartable",
                    "Node " + id + " is " + node.status() + "; only RUNNING or FAILED nodes can be restarted.")
                    .with("status", node.status().name());
        }
        nodes.requestRestart(tenantId, id);
        events.publish(node, NodeStatus.PROVISIONING, "restart requested");
        wakeReconcilerAfterCommit();
        return nodes.find(tenantId, id).orElseThrow();
    }

    private List<String> validUpstreams(List<String> urls) {
        if (urls == null || urls.isEmpty()) {
            throw ApiException.badRequest("upstreams_required",
                    "The external driver needs at least one JSON-RPC URL in 'upstreams'.").with("field", "upstreams");
        }
        BlockchainProperties.External config = properties.nodes().external();
        if (urls.size() > config.maxUpstreams()) {
            throw ApiException.badRequest("too_many_upstreams", "At most " + config.maxUpstreams()
                    + " upstreams per node.").with("field", "upstreams");
        }
        for (String url : urls) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw invalidUpstream(url, "not a URL");
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw invalidUpstream(url, "must be an http(s) URL with a host");
            }
            if (uri.getUserInfo() != null) {
                throw invalidUpstream(url, "credentials in the URL are not accepted");
            }
            if (!config.allowPrivateTargets() && isPrivate(uri.getHost())) {
                throw invalidUpstream(url, "private, loopback and link-local addresses are not allowed");
            }
        }
        return List.copyOf(urls);
    }

    private static boolean isPrivate(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException e) {
            return true;
        }
    }

    private static ApiException invalidUpstream(String url, String why) {
        return ApiException.badRequest("invalid_upstream", "Upstream '" + url + "': " + why + ".")
                .with("field", "upstreams");
    }

    private void wakeReconcilerAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                reconciler.wake();
            }
        });
    }
}
