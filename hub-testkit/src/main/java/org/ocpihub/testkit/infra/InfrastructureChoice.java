package org.ocpihub.testkit.infra;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which PostgreSQL and Kafka the tests of this JVM use, and why: the one decision {@link TestInfrastructure#get()}
 * acts on, kept apart so that it is tested with made-up environments.
 *
 * @param kind   where the servers come from
 * @param reason one sentence for the log: which variable or file decided
 */
public record InfrastructureChoice(Kind kind, String reason) {

    /** Where the servers come from. */
    public enum Kind {
        /** Already running elsewhere, named by the {@code HUB_TEST_*} variables. */
        EXTERNAL,
        /** Started in Docker containers by Testcontainers. */
        TESTCONTAINERS,
        /** Started in this JVM (Kafka) and as a child process (PostgreSQL) by hub-embedded. */
        EMBEDDED
    }

    /** Forces a kind ({@code embedded} or {@code testcontainers}) regardless of a Docker socket. */
    static final String FORCE = "HUB_TEST_INFRASTRUCTURE";
    static final String DOCKER_HOST = "DOCKER_HOST";
    static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");

    /**
     * In this order: all {@code HUB_TEST_*} address variables set → external; {@code HUB_TEST_INFRASTRUCTURE} set →
     * that kind; {@code DOCKER_HOST} set or {@code /var/run/docker.sock} present → Testcontainers; else embedded. An
     * installed {@code docker} client says nothing about a reachable engine, so it is not looked at.
     *
     * @param environment the process environment ({@link System#getenv()} in real use)
     * @param fileExists  whether a path exists ({@code Files::exists} in real use)
     * @throws IllegalStateException if only some {@code HUB_TEST_*} address variables are set, or
     *                               {@code HUB_TEST_INFRASTRUCTURE} names no known kind
     */
    public static InfrastructureChoice choose(Map<String, String> environment, Predicate<Path> fileExists) {
        if (TestInfrastructure.fromEnvironment(environment).isPresent()) {
            return new InfrastructureChoice(Kind.EXTERNAL, "the HUB_TEST_* variables name a PostgreSQL and a Kafka");
        }
        String forced = blankToNull(environment.get(FORCE));
        if (forced != null) {
            return switch (forced.toLowerCase(Locale.ROOT)) {
                case "embedded" -> new InfrastructureChoice(Kind.EMBEDDED, FORCE + "=" + forced);
                case "testcontainers" -> new InfrastructureChoice(Kind.TESTCONTAINERS, FORCE + "=" + forced);
                default -> throw new IllegalStateException(FORCE + " must be embedded or testcontainers, not "
                        + forced);
            };
        }
        String dockerHost = blankToNull(environment.get(DOCKER_HOST));
        if (dockerHost != null) {
            return new InfrastructureChoice(Kind.TESTCONTAINERS, DOCKER_HOST + "=" + dockerHost + " names a Docker "
                    + "engine");
        }
        if (fileExists.test(DOCKER_SOCKET)) {
            return new InfrastructureChoice(Kind.TESTCONTAINERS, DOCKER_SOCKET + " exists");
        }
        return new InfrastructureChoice(Kind.EMBEDDED, "no HUB_TEST_* variables, no " + DOCKER_HOST + ", no "
                + DOCKER_SOCKET);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
