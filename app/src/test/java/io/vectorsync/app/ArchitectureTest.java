package io.vectorsync.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.EventHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the module layout (docs/architecture.md), checked over the main classes of every module: dependencies
 * point one way (domain ← upcasters ← store ← the sides ← ui ← app), the two sides and the projections do not know
 * each other, handlers stay package-private, and no module reaches into another by reflection.
 */
class ArchitectureTest {

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // the other modules are jars when only this one builds; their test jars are not main code
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.vectorsync");
        // every module is on the test class path as a directory (reactor) or jar: the import must see them all
        assertThat(main.stream().map(c -> c.getPackageName().split("\\.")[2]).distinct())
                .as("modules imported").contains("domain", "json", "upcasters", "store", "command", "projections",
                        "query", "ui", "app");
    }

    @Test
    void moduleDependenciesPointOneWay() {
        ArchRule rule = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("domain").definedBy("io.vectorsync.domain..")
                .layer("upcasters").definedBy("io.vectorsync.upcasters..", "io.vectorsync.json..", "io.vectorsync.crypto..")
                .layer("store").definedBy("io.vectorsync.store..")
                .layer("command-side").definedBy("io.vectorsync.command..")
                .layer("projections").definedBy("io.vectorsync.projections..")
                .layer("query-side").definedBy("io.vectorsync.query..")
                .layer("ui").definedBy("io.vectorsync.ui..")
                .layer("cli").definedBy("io.vectorsync.cli..")
                .layer("app").definedBy("io.vectorsync.app..")
                .whereLayer("app").mayNotBeAccessedByAnyLayer()
                .whereLayer("ui").mayOnlyBeAccessedByLayers("app")
                .whereLayer("cli").mayOnlyBeAccessedByLayers("app")
                .whereLayer("query-side").mayOnlyBeAccessedByLayers("app")
                .whereLayer("command-side").mayOnlyBeAccessedByLayers("ui", "app")
                .whereLayer("projections").mayOnlyBeAccessedByLayers("query-side", "ui", "app")
                .whereLayer("store").mayOnlyBeAccessedByLayers("command-side", "projections", "query-side", "ui",
                        "cli", "app")
                .whereLayer("upcasters").mayOnlyBeAccessedByLayers("store", "command-side", "projections",
                        "query-side", "ui", "cli", "app");
        rule.check(main);
    }

    @Test
    void handlersStayPackagePrivate() {
        // the aggregate is the exception: Axon's configuration names it, and its command handlers are its API
        classes().that().containAnyMethodsThat(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "are handlers", method -> method.isAnnotatedWith(EventHandler.class)
                                || method.isAnnotatedWith(CommandHandler.class)))
                .and().doNotHaveFullyQualifiedName("io.vectorsync.domain.Document")
                .should().notBePublic()
                .check(main);
    }

    @Test
    void noModuleReachesIntoAnotherByReflection() {
        noClasses().that().doNotHaveFullyQualifiedName("io.vectorsync.upcasters.JsonbSerializer")
                .should().callMethodWhere(target(name("forName")).and(target(owner(type(Class.class)))))
                .because("a module uses another through its types; only the serializer resolves the event types it "
                        + "reads by name")
                .check(main);
        noClasses().that().doNotHaveFullyQualifiedName("io.vectorsync.store.H2Housekeeping")
                .should().callMethodWhere(target(name("setAccessible")))
                .because("nothing opens another module's internals; the H2 housekeeping steps H2's own file store, "
                        + "a third-party class")
                .check(main);
    }
}
