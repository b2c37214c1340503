package io.chainmesh.blockchain.provisioning;

import java.time.Duration;
import java.util.List;

/**
 * What one {@link ProvisioningDriver#reconcile} step achieved. Each carries the driver's spec as it is now, which the
 * reconciler stores whatever the outcome.
 */
public sealed interface Progress<S> {

    S spec();

    /**
     * Not there yet; call again after {@code retryAfter}.
     *
     * @param detail what the driver is waiting for, for the log
     */
    record Pending<S>(S spec, String detail, Duration retryAfter) implements Progress<S> {
    }

    /** The node answers: the proxy may route to {@code upstreams}, in failover order. */
    record Ready<S>(S spec, long chainId, List<String> upstreams) implements Progress<S> {

        public Ready {
            upstreams = List.copyOf(upstreams);
        }
    }

    /** The node cannot be brought up; {@code reason} is shown to the tenant and the node waits for the tenant. */
    record Failed<S>(S spec, String reason) implements Progress<S> {
    }
}
