package io.chainmesh.notification;

import org.junit.jupiter.api.Test;

import io.chainmesh.testing.ServiceArchitecture;

class ArchitectureTest {

    @Test
    void featuresFormNoCycleUseNoOtherServiceAndControllersKeepToTheirOwnRepositories() {
        ServiceArchitecture.verify("io.chainmesh.notification");
    }
}
