package org.ocpihub.console.account;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The {@code operator_account} and {@code sign_in_unknown_name} tables over R2DBC (never blocking). Usernames are
 * compared case-insensitively ({@code lower(username)}, the unique index of V7_3). Every throttle update is one
 * statement, so concurrent failures on several hub instances are all counted.
 */
@Repository
public class AccountStore {

    private static final String COLUMNS = "username, password_hash, role, enabled, failed_attempts, locked_until, "
            + "created_at, updated_at";

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    public AccountStore(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
    }

    /** The account named {@code username} in any case, or empty. */
    public Mono<OperatorAccount> find(String username) {
        return db.sql("select " + COLUMNS + " from operator_account where lower(username) = lower(:u)")
                .bind("u", username).map(AccountStore::account).one();
    }

    /** Every account, by name. */
    public Flux<OperatorAccount> findAll() {
        return db.sql("select " + COLUMNS + " from operator_account order by lower(username)")
                .map(AccountStore::account).all();
    }

    /** How many accounts exist. */
    public Mono<Long> count() {
        return db.sql("select count(*) as n from operator_account").map(r -> r.get("n", Long.class)).one();
    }

    /**
     * Inserts a new account.
     *
     * @throws AccountRefused (CONFLICT, as the Mono's error) when the name exists in any case
     */
    public Mono<OperatorAccount> insert(String username, String passwordHash, AccountRole role) {
        return db.sql("insert into operator_account (username, password_hash, role) values (:u, :h, :r)")
                .bind("u", username).bind("h", passwordHash).bind("r", role.name())
                .fetch().rowsUpdated()
                .onErrorMap(DataIntegrityViolationException.class, e -> new AccountRefused(
                        AccountRefused.Reason.CONFLICT, "an account named " + username + " already exists"))
                .then(find(username));
    }

    /**
     * Runs {@code change} in one transaction after locking every enabled ADMIN row, so that two instances demoting or
     * disabling the last two admins at once cannot both succeed: the second sees the first's result.
     *
     * @param change gets the number of enabled admins (after the locks are held)
     */
    public <T> Mono<T> withAdminsLocked(java.util.function.Function<Long, Mono<T>> change) {
        return db.sql("select username from operator_account where role = 'ADMIN' and enabled for update")
                .map(r -> 1).all().count()
                .flatMap(change)
                .as(tx::transactional);
    }

    /** Sets the role; true when the account exists. */
    public Mono<Boolean> setRole(String username, AccountRole role) {
        return update("role = :v", username, role.name());
    }

    /** Enables or disables; enabling also lifts a throttle lock. True when the account exists. */
    public Mono<Boolean> setEnabled(String username, boolean enabled) {
        return update(enabled ? "enabled = :v, failed_attempts = 0, locked_until = null" : "enabled = :v",
                username, enabled);
    }

    /** Replaces the password hash and lifts a throttle lock; true when the account exists. */
    public Mono<Boolean> setPassword(String username, String passwordHash) {
        return update("password_hash = :v, failed_attempts = 0, locked_until = null", username, passwordHash);
    }

    private Mono<Boolean> update(String set, String username, Object value) {
        return db.sql("update operator_account set " + set + ", updated_at = now() where lower(username) = lower(:u)")
                .bind("v", value).bind("u", username)
                .fetch().rowsUpdated().map(n -> n > 0);
    }

    // --- sign-in throttle -------------------------------------------------------------------------------------

    /*
     * One failure: the count restarts at 1 when an earlier lock has expired; reaching maxFailures locks for lockFor.
     * In an UPDATE the right-hand sides see the row's old values.
     */
    private static final String NEXT_COUNT = "case when %1$s.locked_until is not null and %1$s.locked_until <= now() "
            + "then 1 else %1$s.failed_attempts + 1 end";
    private static final String NEXT_LOCK = "case when (" + NEXT_COUNT + ") >= cast(:max as integer) then now() + make_interval(secs => cast(:lock as double precision)) "
            + "when %1$s.locked_until <= now() then null else %1$s.locked_until end";

    /**
     * Counts a failed sign-in of an existing account.
     *
     * @return the lock's end if the account is now locked; empty when not locked or no such account
     */
    public Mono<Optional<Instant>> recordFailure(String username, int maxFailures, Duration lockFor) {
        String t = "operator_account";
        return db.sql("update operator_account set failed_attempts = " + NEXT_COUNT.formatted(t)
                        + ", locked_until = " + NEXT_LOCK.formatted(t)
                        + " where lower(username) = lower(:u) returning locked_until")
                .bind("u", username).bind("max", maxFailures).bind("lock", (double) lockFor.toSeconds())
                .map(r -> Optional.ofNullable(instant(r, "locked_until"))).one()
                .defaultIfEmpty(Optional.empty());
    }

    /** A successful sign-in: the failure count starts again. */
    public Mono<Void> recordSuccess(String username) {
        return db.sql("update operator_account set failed_attempts = 0, locked_until = null "
                        + "where lower(username) = lower(:u) and (failed_attempts <> 0 or locked_until is not null)")
                .bind("u", username).fetch().rowsUpdated().then();
    }

    /** When sign-ins with a name that is no account are refused until (empty: not locked). */
    public Mono<Optional<Instant>> unknownNameLockedUntil(String username) {
        return db.sql("select locked_until from sign_in_unknown_name where username_key = lower(:u) "
                        + "and locked_until > now()")
                .bind("u", username).map(r -> Optional.ofNullable(instant(r, "locked_until"))).one()
                .defaultIfEmpty(Optional.empty());
    }

    /**
     * Counts a failed sign-in with a name that is no account, exactly as {@link #recordFailure} does for accounts,
     * and removes expired rows of other names (so the table does not grow with every name ever tried).
     */
    public Mono<Optional<Instant>> recordUnknownNameFailure(String username, int maxFailures, Duration lockFor) {
        String t = "sign_in_unknown_name";
        Mono<Long> purge = db.sql("delete from sign_in_unknown_name where updated_at < now() - make_interval(secs => cast(:keep as double precision)) "
                        + "and (locked_until is null or locked_until < now())")
                .bind("keep", (double) lockFor.toSeconds() * 2).fetch().rowsUpdated();
        Mono<Optional<Instant>> count = db.sql("insert into sign_in_unknown_name (username_key, failed_attempts, "
                        + "locked_until) values (lower(:u), 1, case when 1 >= cast(:max as integer) then now() + make_interval(secs => cast(:lock as double precision)) end) "
                        + "on conflict (username_key) do update set failed_attempts = " + NEXT_COUNT.formatted(t)
                        + ", locked_until = " + NEXT_LOCK.formatted(t) + ", updated_at = now() returning locked_until")
                .bind("u", username).bind("max", maxFailures).bind("lock", (double) lockFor.toSeconds())
                .map(r -> Optional.ofNullable(instant(r, "locked_until"))).one()
                .defaultIfEmpty(Optional.empty());
        return purge.then(count);
    }

    private static OperatorAccount account(Readable r) {
        return new OperatorAccount(r.get("username", String.class), r.get("password_hash", String.class),
                AccountRole.valueOf(r.get("role", String.class)), Boolean.TRUE.equals(r.get("enabled", Boolean.class)),
                r.get("failed_attempts", Integer.class), instant(r, "locked_until"), instant(r, "created_at"),
                instant(r, "updated_at"));
    }

    private static Instant instant(Readable r, String column) {
        OffsetDateTime t = r.get(column, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).toInstant();
    }
}
