package io.chainmesh.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/** The rules must be able to fail: a cycle planted in this module's test classes is reported. */
class ServiceArchitectureTest {

    @Test
    void aCycleBetweenFeaturePackagesFailsTheCheck() {
        JavaClasses planted = new ClassFileImporter().importPackages("io.chainmesh.testing.planted");

        assertThatThrownBy(() -> ServiceArchitecture.featuresFreeOfCycles("io.chainmesh.testing.planted").check(planted))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("Alpha")
                .hasMessageContaining("Beta");
    }
}
