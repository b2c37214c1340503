package io.chainmesh.blockchain.provisioning;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import io.chainmesh.blockchain.node.Node;

/**
 * The {@code external} driver: the node is a set of JSON-RPC endpoints that already exist. Provisioning checks that
 * they answer and agree on the chain id; there is nothing to start or stop. Their liveness is the health checker's
 * business (and the proxy fails over between them).
 */
@Component
class ExternalEndpointDriver implements ProvisioningDriver {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final RpcProbe probe;

    ExternalEndpointDriver(RpcProbe probe) {
        this.probe = probe;
    }

    @Override
    public String name() {
        return "external";
    }

    @Override
    public Provisioned ensureRunning(Node node) throws ProvisioningException {
        Long chainId = null;
        List<String> failures = new ArrayList<>();
        for (String url : node.upstreams()) {
            try {
                long id = probe.chainId(url, PROBE_TIMEOUT);
                if (chainId != null && chainId != id) {
                    throw new ProvisioningException("upstreams disagree on the chain id (" + chainId + " vs " + id + ")");
                }
                chainId = id;
            } catch (IOException e) {
                failures.add(url + ": " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProvisioningException("interrupted");
            }
        }
        if (chainId == null) {
            throw new ProvisioningException("no upstream answered eth_chainId (" + String.join("; ", failures) + ")");
        }
        return new Provisioned(chainId, node.upstreams());
    }

    @Override
    public boolean isAlive(Node node) {
        return true;
    }

    @Override
    public void stop(Node node) {
    }

    @Override
    public void destroy(Node node) {
    }
}
