package io.chainmesh.contract;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.testing.ServiceArchitecture;

/**
 * contract-service keeps the platform's structure (no cycles between feature packages, no other service's code,
 * controllers on their own feature's repositories), and its own: the chain-neutral layer never reaches into the EVM
 * connector, whose parts are free of cycles too, and every problem is built from the {@link ContractErrors} catalogue.
 */
class ArchitectureTest {

    private static final String BASE = "io.chainmesh.contract";
    private static final JavaClasses CLASSES = ServiceArchitecture.importMainClasses(BASE);

    @Test
    void theServiceKeepsThePlatformsStructure() {
        ServiceArchitecture.verify(BASE);
    }

    @Test
    void onlyTheEvmConnectorKnowsTheEvm() {
        noClasses().that().resideOutsideOfPackage(BASE + ".evm..").should().dependOnClassesThat()
                .resideInAPackage(BASE + ".evm..")
                .because("a chain is reached through its ChainConnector, so that another chain is one more package")
                .check(CLASSES);
    }

    @Test
    void thePartsOfTheEvmConnectorFormNoCycle() {
        slices().matching(BASE + ".evm.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void problemsAreBuiltFromTheCatalogue() {
        noClasses().that().areNotAssignableTo(ApiException.class).and().doNotBelongToAnyOf(ContractErrors.class)
                .should().callConstructor(ApiException.class, org.springframework.http.HttpStatus.class, String.class,
                        String.class, String.class)
                .orShould().callMethod(ApiException.class, "badRequest", String.class, String.class)
                .orShould().callMethod(ApiException.class, "conflict", String.class, String.class)
                .orShould().callMethod(ApiException.class, "notFound", String.class, Object.class)
                .orShould().callMethod(ApiException.class, "unauthorized", String.class, String.class)
                .orShould().callMethod(ApiException.class, "forbidden", String.class, String.class)
                .because("every code the service answers is one of ContractErrors's")
                .check(CLASSES);
    }
}
