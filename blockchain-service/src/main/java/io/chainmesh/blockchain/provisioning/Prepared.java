package io.chainmesh.blockchain.provisioning;

import java.util.List;

/**
 * What {@link ProvisioningDriver#prepare} decided for a new node.
 *
 * @param spec      the driver's initial spec
 * @param chainId   the chain id when the driver chooses it, else {@code null} until the node is ready
 * @param upstreams the upstreams when already known (shown to the tenant if they are the tenant's), else empty
 */
public record Prepared<S>(S spec, Long chainId, List<String> upstreams) {

    public Prepared {
        upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
    }

    public static <S> Prepared<S> of(S spec) {
        return new Prepared<>(spec, null, List.of());
    }
}
