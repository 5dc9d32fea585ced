package org.ocpihub.broadcast;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * hub-broadcast uses hub-router only through the router's published extension point, the package
 * {@code org.ocpihub.router.pipeline} ({@code HubOwnedRequests}, {@code RoutingContext}, {@code RoutingCase},
 * {@code ModuleCall}, {@code SenderRole}…): never the router's internals (issue 8 item 4).
 */
class BroadcastArchitectureTest {

    private static final JavaClasses BROADCAST = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ocpihub.broadcast");

    @Test
    void broadcastUsesOnlyTheRoutersPublishedPackage() {
        noClasses().that().resideInAPackage("org.ocpihub.broadcast..")
                .should().dependOnClassesThat(resideInAPackage("org.ocpihub.router..")
                        .and(resideOutsideOfPackage("org.ocpihub.router.pipeline..")))
                .check(BROADCAST);
    }
}
