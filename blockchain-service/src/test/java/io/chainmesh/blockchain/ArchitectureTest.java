package io.chainmesh.blockchain;

import org.junit.jupiter.api.Test;

import io.chainmesh.testing.ServiceArchitecture;

/** The feature packages form no cycle, use no other service's code, and controllers keep to their own feature. */
class ArchitectureTest {

    @Test
    void featurePackagesFollowTheServiceArchitecture() {
        ServiceArchitecture.verify("io.chainmesh.blockchain");
    }
}
