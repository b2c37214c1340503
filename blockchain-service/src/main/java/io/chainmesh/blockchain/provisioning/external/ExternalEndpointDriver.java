package io.chainmesh.blockchain.provisioning.external;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.BlockchainErrors;
import io.chainmesh.blockchain.BlockchainProperties;
import io.chainmesh.blockchain.provisioning.NodeRef;
import io.chainmesh.blockchain.provisioning.NodeRequest;
import io.chainmesh.blockchain.provisioning.Prepared;
import io.chainmesh.blockchain.provisioning.Progress;
import io.chainmesh.blockchain.provisioning.ProvisioningDriver;
import io.chainmesh.blockchain.provisioning.Release;
import io.chainmesh.blockchain.provisioning.Reservations;
import io.chainmesh.blockchain.upstream.JsonRpcProbe;
import io.chainmesh.blockchain.upstream.UpstreamFailure;
import io.chainmesh.common.problem.ApiException;

/**
 * The {@code external} driver: the node is a set of JSON-RPC endpoints that already exist. Bringing it up checks that
 * they answer and agree on the chain id; there is nothing to start or stop. Their liveness is the health checker's
 * business (and the proxy fails over between them).
 */
@Component
class ExternalEndpointDriver implements ProvisioningDriver<ExternalSpec> {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final JsonRpcProbe probe;
    private final BlockchainProperties.External config;

    ExternalEndpointDriver(JsonRpcProbe probe, BlockchainProperties properties) {
        this.probe = probe;
        this.config = properties.nodes().external();
    }

    @Override
    public String name() {
        return "external";
    }

    @Override
    public Class<ExternalSpec> specType() {
        return ExternalSpec.class;
    }

    @Override
    public boolean upstreamsAreTenants() {
        return true;
    }

    @Override
    public void check(NodeRequest request) {
        List<String> urls = request.upstreams();
        if (urls.isEmpty()) {
            throw BlockchainErrors.UPSTREAMS_REQUIRED.exception(
                    "The external driver needs at least one JSON-RPC URL in 'upstreams'.").with("field", "upstreams");
        }
        if (urls.size() > config.maxUpstreams()) {
            throw BlockchainErrors.TOO_MANY_UPSTREAMS.exception("At most " + config.maxUpstreams()
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
    }

    @Override
    public Prepared<ExternalSpec> prepare(NodeRequest request, Reservations reservations) {
        return new Prepared<>(new ExternalSpec(request.upstreams(), null), null, request.upstreams());
    }

    @Override
    public Progress<ExternalSpec> reconcile(NodeRef node, ExternalSpec spec) {
        if (spec.chainId() != null) {
            return new Progress.Ready<>(spec, spec.chainId(), spec.upstreams());
        }
        Long chainId = null;
        List<String> failures = new ArrayList<>();
        for (String url : spec.upstreams()) {
            try {
                long id = probe.chainId(url, PROBE_TIMEOUT);
                if (chainId != null && chainId != id) {
                    return new Progress.Failed<>(spec,
                            "upstreams disagree on the chain id (" + chainId + " vs " + id + ")");
                }
                chainId = id;
            } catch (UpstreamFailure e) {
                failures.add(url + ": " + e.getMessage());
            }
        }
        if (chainId == null) {
            return new Progress.Failed<>(spec,
                    "no upstream answered eth_chainId (" + String.join("; ", failures) + ")");
        }
        return new Progress.Ready<>(spec.withChainId(chainId), chainId, spec.upstreams());
    }

    /** A restart checks the endpoints again. */
    @Override
    public Release<ExternalSpec> stop(NodeRef node, ExternalSpec spec) {
        return new Release.Released<>(spec.withChainId(null));
    }

    @Override
    public Release<ExternalSpec> release(NodeRef node, ExternalSpec spec) {
        return new Release.Released<>(spec);
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
        return BlockchainErrors.INVALID_UPSTREAM.exception("Upstream '" + url + "': " + why + ".")
                .with("field", "upstreams");
    }
}
