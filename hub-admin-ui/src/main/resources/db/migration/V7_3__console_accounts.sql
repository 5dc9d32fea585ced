-- Operator accounts of the console at /admin (issue 9 item 1). Passwords are stored as Spring Security
-- DelegatingPasswordEncoder hashes ("{bcrypt}$2a$..."); the sign-in throttle counts failures here so that it holds
-- across every hub instance (D10).
create table operator_account (
    username         text        not null,
    password_hash    text        not null,
    role             text        not null check (role in ('VIEWER', 'OPERATOR', 'ADMIN')),
    enabled          boolean     not null default true,
    failed_attempts  integer     not null default 0,
    locked_until     timestamptz,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now()
);
-- one account per name, whatever its case: "Alice" and "alice" are the same operator
create unique index operator_account_username_ci on operator_account (lower(username));

-- Failed sign-ins with names that are no account: throttled like accounts, so that the answer never tells whether
-- an account exists. Rows whose lock has expired are removed by the next failure of any unknown name.
create table sign_in_unknown_name (
    username_key     text        primary key,
    failed_attempts  integer     not null default 0,
    locked_until     timestamptz,
    updated_at       timestamptz not null default now()
);
