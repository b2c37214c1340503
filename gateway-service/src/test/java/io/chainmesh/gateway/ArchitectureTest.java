package io.chainmesh.gateway;

import org.junit.jupiter.api.Test;

import io.chainmesh.testing.ServiceArchitecture;

class ArchitectureTest {

    @Test
    void featurePackagesFormNoCycleAndTheGatewayUsesNoOtherServicesCode() {
        ServiceArchitecture.verify("io.chainmesh.gateway");
    }
}
