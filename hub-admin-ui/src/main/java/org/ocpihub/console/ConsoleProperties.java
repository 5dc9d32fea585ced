package org.ocpihub.console;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hub.console.*}: the operator console at {@code /admin}.
 *
 * @param signIn the sign-in throttle
 * @param admin  the first ADMIN account, created at start-up when no account exists (external mode; the embedded
 *               default generates it into the data dir)
 */
@ConfigurationProperties("hub.console")
public record ConsoleProperties(@DefaultValue SignIn signIn, @DefaultValue Admin admin) {

    /**
     * {@code hub.console.sign-in.*}: after {@code maxFailures} failed sign-ins in a row with one username (account
     * or not), sign-in with it is refused for {@code lockFor}. Counted in PostgreSQL, so it holds across instances.
     */
    public record SignIn(@DefaultValue("5") int maxFailures, @DefaultValue("15m") Duration lockFor) {
        public SignIn {
            if (maxFailures < 1) {
                throw new IllegalArgumentException("hub.console.sign-in.max-failures must be at least 1");
            }
            if (lockFor.isNegative() || lockFor.isZero()) {
                throw new IllegalArgumentException("hub.console.sign-in.lock-for must be positive, e.g. 15m");
            }
        }
    }

    /** {@code hub.console.admin.username} / {@code .password}: the bootstrap ADMIN (never overwrites an account). */
    public record Admin(@DefaultValue("admin") String username, String password) {
        @Override
        public String toString() {
            return "Admin[username=" + username + ", password=" + (password == null ? "unset" : "****") + "]";
        }
    }
}
