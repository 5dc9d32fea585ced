-- Accepted broadcasts the hub's store could not hold (issue 7.5): recorded once, skipped, shown to operators.
create table broadcast_store_failure (
    id                 uuid primary key,
    broadcast_id       text        not null,
    correlation_id     text,
    module             text        not null,
    method             text        not null,
    owner_country_code text        not null,
    owner_party_id     text        not null,
    path_suffix        text        not null,
    attempts           int         not null,
    sql_state          text,
    last_error         text        not null,
    created_at         timestamptz not null
);
create index broadcast_store_failure_created on broadcast_store_failure (created_at);
