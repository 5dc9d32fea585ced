package org.ocpihub.deploy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a command-line tool to its end and keeps what it printed (standard output and standard error apart), for the
 * tests' assertions and their failure messages.
 */
public final class Command {

    private final List<String> arguments;
    private Path directory;
    private Consumer<Map<String, String>> environment = env -> {
    };

    private Command(List<String> arguments) {
        this.arguments = List.copyOf(arguments);
    }

    /** A command: the executable (e.g. from {@link Tools#require}) and its arguments. */
    public static Command of(Path executable, String... arguments) {
        List<String> all = new ArrayList<>();
        all.add(executable.toString());
        all.addAll(List.of(arguments));
        return new Command(all);
    }

    /** Runs it in {@code directory} (default: the working directory). */
    public Command in(Path directory) {
        this.directory = directory;
        return this;
    }

    /** Changes the environment the command gets (a copy of this JVM's), e.g. to remove a variable. */
    public Command environment(Consumer<Map<String, String>> change) {
        this.environment = change;
        return this;
    }

    /**
     * Runs the command and waits for its end.
     *
     * @param timeout longest run; a command still running then is killed and reported as exit code -1
     * @return its exit code and output
     */
    public Result run(Duration timeout) {
        try {
            Path output = Files.createTempFile("deploy-command", ".out");
            Path errors = Files.createTempFile("deploy-command", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(arguments).redirectOutput(output.toFile())
                        .redirectError(errors.toFile());
                if (directory != null) {
                    builder.directory(directory.toFile());
                }
                environment.accept(builder.environment());
                Process process = builder.start();
                boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!ended) {
                    process.destroyForcibly().waitFor();
                }
                return new Result(arguments, ended ? process.exitValue() : -1,
                        Files.readString(output, StandardCharsets.UTF_8),
                        Files.readString(errors, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + arguments, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + arguments, e);
        }
    }

    /**
     * What a command did.
     *
     * @param command  the command line
     * @param exitCode its exit code; -1 when it was killed at the timeout
     * @param stdout   what it printed on standard output
     * @param stderr   what it printed on standard error
     */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {

        /** Everything it printed: standard output, then standard error. */
        public String output() {
            return stdout + stderr;
        }

        /** For failure messages: the command, its exit code and everything it printed. */
        public String describe() {
            return String.join(" ", command) + " → exit " + exitCode + "\n" + output();
        }
    }
}
