package org.ocpihub.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.ocpihub.router.pipeline.RoutingOrder;
import org.ocpihub.router.pipeline.RoutingStep;
import org.springframework.core.annotation.OrderUtils;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Every routing step has its own named order ({@link RoutingOrder}), the steps run in the order this test and
 * docs/ARCHITECTURE.md list, and nothing else is a step.
 */
class RoutingOrderTest {

    /** The pipeline, as RoutingOrder lists it and the start-up log line shows it. */
    static final List<String> PIPELINE = List.of(
            "RATE_LIMIT RateLimitStep",
            "RESOLVE_RELAY RelayResolution",
            "READ_HEADERS ReadRoutingHeaders",
            "SENDER_CHECK SenderCheck",
            "CLASSIFY CaseClassification",
            "SENDER_ROLE SenderRoleCheck",
            "READ_BODY BodyReader",
            "OWNER_CHECK ObjectOwnerCheck",
            "RESOLVE_RECEIVER ReceiverResolution",
            "AGREEMENT_CHECK AgreementCheck",
            "REWRITE_CALLBACKS CallbackRewrite",
            "LEARN_OWNERS OwnerLearning",
            "FORWARD_OR_ANSWER ForwardOrAnswer");

    private static List<Class<?>> steps() {
        List<Class<?>> steps = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.ocpihub.router")) {
            Class<?> step = type.reflect();
            if (RoutingStep.class.isAssignableFrom(step) && !step.isInterface()
                    && !Modifier.isAbstract(step.getModifiers())) {
                steps.add(step);
            }
        }
        steps.sort(Comparator.comparing(step -> OrderUtils.getOrder(step, Integer.MAX_VALUE)));
        return steps;
    }

    @Test
    void everyStepHasItsOwnNamedOrder() {
        Set<Integer> seen = new HashSet<>();
        for (Class<?> step : steps()) {
            Integer order = OrderUtils.getOrder(step);
            assertThat(order).as(step.getSimpleName() + " has an @Order").isNotNull();
            assertThat(RoutingPipeline.orderName(order))
                    .as(step.getSimpleName() + "'s order is a RoutingOrder constant").matches("[A-Z_]+");
            assertThat(seen.add(order)).as(step.getSimpleName() + "'s order is its own").isTrue();
        }
    }

    @Test
    void theStepsRunInTheListedOrder() {
        assertThat(steps().stream().map(step -> RoutingPipeline.orderName(OrderUtils.getOrder(step)) + " "
                + step.getSimpleName()).toList()).isEqualTo(PIPELINE);
    }

    /** docs/ARCHITECTURE.md's pipeline table lists the steps exactly as the code does (order name, class). */
    @Test
    void theArchitectureDocumentListsTheSameSteps() throws IOException {
        Path doc = Path.of("..", "docs", "ARCHITECTURE.md");
        String text = Files.readString(doc);
        int table = text.indexOf("| order | step |");
        assertThat(table).as("the pipeline table in " + doc).isNotNegative();
        Matcher row = Pattern.compile("^\\| `([A-Z_]+)` \\| `(\\w+)` \\|", Pattern.MULTILINE)
                .matcher(text.substring(table, text.indexOf("\n\n", table)));
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            documented.add(row.group(1) + " " + row.group(2));
        }
        assertThat(documented).isEqualTo(PIPELINE);
    }
}
