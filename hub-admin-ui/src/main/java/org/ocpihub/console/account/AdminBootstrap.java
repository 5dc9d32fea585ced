package org.ocpihub.console.account;

import org.ocpihub.console.ConsoleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the first ADMIN account at start-up (issue 9 item 1), the way the admin token is bootstrapped: from
 * {@code hub.console.admin.username} / {@code hub.console.admin.password}, which the operator configures in external
 * mode and the embedded default generates into the data dir. Only when no account exists at all: it never
 * overwrites or re-creates an account. Without a configured password and without accounts it says how to add one.
 * Runs on the main thread at start-up (not an event loop), so it may wait for the database.
 */
@Component
public class AdminBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

    private final AccountOperations accounts;
    private final AccountStore store;
    private final ConsoleProperties properties;

    public AdminBootstrap(AccountOperations accounts, AccountStore store, ConsoleProperties properties) {
        this.accounts = accounts;
        this.store = store;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        ConsoleProperties.Admin admin = properties.admin();
        if (admin.password() == null || admin.password().isBlank()) {
            Long count = store.count().block();
            if (count != null && count == 0) {
                log.warn("the console at /admin has no account yet: set hub.console.admin.password (and optionally "
                        + "hub.console.admin.username) and restart, or create one with POST /admin/api/accounts");
            }
            return;
        }
        Boolean created = accounts.bootstrapAdmin(admin.username(), admin.password()).block();
        if (Boolean.TRUE.equals(created)) {
            // the name only: the password never goes to the log
            log.info("created the console's first ADMIN account '{}' from hub.console.admin.*", admin.username());
        }
    }
}
