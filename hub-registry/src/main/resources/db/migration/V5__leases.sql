-- Periodic jobs that exactly one hub instance may run at a time hold a lease here (D10).
create table lease (
    name        text primary key,
    holder      text        not null,
    expires_at  timestamptz not null
);
