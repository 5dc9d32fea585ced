package org.ocpihub.router;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Dependencies in hub-router point one way (issue 8 item 4): no package cycles, the shared pipeline types in the
 * bottom package {@code org.ocpihub.router.pipeline} (which depends on no other router package), and the root package
 * (the filter, the pipeline runner, configuration) on top, used by none of the others.
 */
class RouterArchitectureTest {

    private static final JavaClasses ROUTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ocpihub.router");

    @Test
    void theRoutersPackagesHaveNoCycles() {
        slices().matching("org.ocpihub.router.(*)..").should().beFreeOfCycles().check(ROUTER);
    }

    @Test
    void thePipelinePackageIsTheBottom() {
        noClasses().that().resideInAPackage("org.ocpihub.router.pipeline..")
                .should().dependOnClassesThat(resideInAPackage("org.ocpihub.router..")
                        .and(resideOutsideOfPackage("org.ocpihub.router.pipeline..")))
                .check(ROUTER);
    }

    @Test
    void nothingDependsOnTheRootPackage() {
        noClasses().that().resideInAPackage("org.ocpihub.router..")
                .and().resideOutsideOfPackage("org.ocpihub.router")
                .should().dependOnClassesThat().resideInAPackage("org.ocpihub.router")
                .check(ROUTER);
    }
}
