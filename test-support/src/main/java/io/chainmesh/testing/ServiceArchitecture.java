package io.chainmesh.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.List;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The structure every service keeps, checked by one test per service ({@code ArchitectureTest}):
 * <ul>
 * <li>its feature packages ({@code io.chainmesh.<service>.<feature>..}) form no cycle;</li>
 * <li>it depends on no other service's code (only on platform-common);</li>
 * <li>a controller uses the repositories of its own feature only; other features are reached through their
 * public facade.</li>
 * </ul>
 */
public final class ServiceArchitecture {

    private static final List<String> SERVICES = List.of("gateway", "tenant", "blockchain", "contract", "analytics",
            "notification");

    private ServiceArchitecture() {
    }

    /** Checks every rule against the main (not test) classes under {@code basePackage}, e.g. {@code io.chainmesh.contract}. */
    public static void verify(String basePackage) {
        JavaClasses classes = importMainClasses(basePackage);
        for (ArchRule rule : rules(basePackage)) {
            rule.check(classes);
        }
    }

    /** Classes of {@code packageName} as compiled for production (test classes left out). */
    public static JavaClasses importMainClasses(String packageName) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packageName);
    }

    /** The rules of a service rooted at {@code basePackage}; public so that a test can show one failing. */
    public static List<ArchRule> rules(String basePackage) {
        return List.of(featuresFreeOfCycles(basePackage), noOtherService(basePackage), controllersUseOwnRepositories());
    }

    public static ArchRule featuresFreeOfCycles(String basePackage) {
        return slices().matching(basePackage + ".(*)..").should().beFreeOfCycles()
                .because("a feature package depends on another only through its facade, never both ways");
    }

    public static ArchRule noOtherService(String basePackage) {
        String[] others = SERVICES.stream().map(s -> "io.chainmesh." + s + "..")
                .filter(p -> !p.equals(basePackage + "..")).toArray(String[]::new);
        return noClasses().that().resideInAPackage(basePackage + "..").should().dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("services share code only through platform-common and talk over HTTP and streams");
    }

    public static ArchRule controllersUseOwnRepositories() {
        return classes().that().haveSimpleNameEndingWith("Controller")
                .should(new ArchCondition<JavaClass>("use only the repositories of their own feature") {
                    @Override
                    public void check(JavaClass controller, ConditionEvents events) {
                        for (Dependency d : controller.getDirectDependenciesFromSelf()) {
                            JavaClass target = d.getTargetClass();
                            if (target.getSimpleName().endsWith("Repository")
                                    && !target.getPackageName().equals(controller.getPackageName())) {
                                events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                            }
                        }
                    }
                }).allowEmptyShould(true);
    }
}
