package org.ocpihub.bench;

/**
 * Where a benchmark program writes the {@code key=value} lines the bench scripts read: a logger that
 * bench/driver's logback.xml sends to stdout with the message alone, while every other logger writes warnings to
 * stderr.
 */
final class BenchResults {

    /** The logger's name. */
    static final String LOGGER = "ocpihub.bench.results";

    private BenchResults() {
    }
}
