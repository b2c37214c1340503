package io.chainmesh.blockchain.provisioning;

import java.time.Duration;

/** What one {@link ProvisioningDriver#stop} or {@link ProvisioningDriver#release} step achieved. */
public sealed interface Release<S> {

    S spec();

    /** Not done yet; call again after {@code retryAfter}. */
    record Pending<S>(S spec, String detail, Duration retryAfter) implements Release<S> {
    }

    /** Stopped (for {@code stop}) or gone (for {@code release}). */
    record Released<S>(S spec) implements Release<S> {
    }
}
