package io.chainmesh.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * platform-common's packages form no cycle, and it knows no service. (The services' own rules live in test-support,
 * which depends on this module.)
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.chainmesh.common");

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.chainmesh.common.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void knowsNoService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.chainmesh.gateway..", "io.chainmesh.tenant..",
                "io.chainmesh.blockchain..", "io.chainmesh.contract..", "io.chainmesh.analytics..",
                "io.chainmesh.notification..").check(CLASSES);
    }
}
