package org.ocpihub.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL 17 server run as a child process from the zonky binaries, on 127.0.0.1 and a free port.
 *
 * <p>As root, zonky runs it through {@code unshare -U} (PostgreSQL refuses to run as root); the files still belong
 * to root on disk, so a data directory can be reused. A JVM shutdown hook stops it if it is not closed. zonky logs
 * every line of initdb and postgres output at INFO: set the logger {@code io.zonky.test} to WARN to quiet it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private static final String HOST = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    // initdb runs with "-A trust": any password is accepted; a non-empty one keeps clients that refuse an
    // empty password (or configuration that treats "" as unset) happy.
    private static final String PASSWORD = "postgres";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    // zonky's lock file in the data directory, held by a running instance
    private static final String LOCK_FILE = "epg-lock";
    private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(15);

    private final EmbeddedPostgres postgres;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a server whose data lives in {@code dataDirectory}: created (initdb) on the first start, reused
     * afterwards. The port is chosen anew on each start.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        Path directory = Directories.createDirectories(dataDirectory);
        stopOrphanedPostmaster(directory);
        EmbeddedPostgres.Builder builder = baseBuilder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                // zonky defaults to synchronous_commit=off; a persistent hub must not lose committed rows
                .setServerConfig("synchronous_commit", "on");
        return start(builder, "persistent in " + directory);
    }

    /** Starts a throw-away server for tests: its data directory is deleted on close, and durability is off. */
    public static EmbeddedPostgresServer startTemporary() {
        EmbeddedPostgres.Builder builder = baseBuilder()
                .setCleanDataDirectory(true)
                // nothing survives this server anyway: trade durability for speed
                .setServerConfig("fsync", "off")
                .setServerConfig("full_page_writes", "off");
        return start(builder, "temporary");
    }

    private static EmbeddedPostgres.Builder baseBuilder() {
        return EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", HOST)
                // pinned, OS-independent locale: a data directory must start again even if LANG changes;
                // the builtin C.UTF-8 provider still upper/lower-cases non-ASCII text correctly
                .setLocaleConfig("locale-provider", "builtin")
                .setLocaleConfig("builtin-locale", "C.UTF-8")
                .setLocaleConfig("locale", "C")
                .setPGStartupWait(Duration.ofSeconds(60));
    }

    private static EmbeddedPostgresServer start(EmbeddedPostgres.Builder builder, String description) {
        long started = System.nanoTime();
        try {
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
            log.info("PostgreSQL ({}) listening on {}:{}, started in {} ms", description, HOST, server.port(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL (" + description + ")", e);
        }
    }

    /**
     * pg_ctl daemonizes the postmaster, so a JVM killed with -9 leaves it running and holding the data directory
     * ("lock file postmaster.pid already exists"). If no live instance holds zonky's lock, such a postmaster is an
     * orphan: stop it so the directory can be used again.
     */
    private static void stopOrphanedPostmaster(Path directory) {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        if (lockedByAnotherInstance(directory.resolve(LOCK_FILE))) {
            throw new IllegalStateException("The PostgreSQL data directory " + directory + " is in use");
        }
        Optional<ProcessHandle> postmaster = readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> process.info().command().map(command -> command.endsWith("/postgres"))
                        .orElse(false));
        if (postmaster.isEmpty()) {
            return; // a stale pid file: postgres itself copes with it
        }
        ProcessHandle process = postmaster.get();
        log.warn("Stopping an orphaned PostgreSQL (pid {}) left running on {}", process.pid(), directory);
        process.destroy(); // SIGTERM: "smart" shutdown; the dead JVM's sessions are gone already
        try {
            process.onExit().get(ORPHAN_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly(); // the next start then runs crash recovery, which loses nothing committed
            process.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot stop the orphaned PostgreSQL " + process.pid(), e);
        }
    }

    private static boolean lockedByAnotherInstance(Path lockFile) {
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock()) {
            return lock == null;
        } catch (OverlappingFileLockException e) {
            return true; // held by an instance in this JVM
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot check " + lockFile, e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
    }

    public String r2dbcUrl(String database) {
        return "r2dbc:postgresql://" + HOST + ":" + port() + "/" + database;
    }

    public String username() {
        return SUPERUSER;
    }

    public String password() {
        return PASSWORD;
    }

    /** Creates the database unless it exists; safe to call concurrently and on every start. */
    public void createDatabaseIfMissing(String name) {
        // CREATE DATABASE takes no bind parameters: only plain lower-case identifiers are accepted
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain lower-case database name: " + name);
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, PASSWORD)) {
            if (exists(connection, name)) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE " + name);
                log.info("Created database {}", name);
            }
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // duplicate_database: a concurrent caller was first
                throw new IllegalStateException("Cannot create database " + name, e);
            }
        }
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet result = query.executeQuery()) {
                return result.next();
            }
        }
    }

    /** Stops the server (fast shutdown); a temporary server's data directory is deleted. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop PostgreSQL", e);
        }
    }
}
