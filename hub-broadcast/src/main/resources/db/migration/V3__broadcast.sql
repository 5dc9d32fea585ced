-- What was broadcast (D8): Locations, Tariffs and Tokens per owner, as a receiver would hold them, for GET All.
create table broadcast_object (
    module        text        not null,   -- locations, tariffs, tokens
    country_code  text        not null,   -- the owner (upper-case)
    party_id      text        not null,
    object_id     text        not null,   -- location id, tariff id, token uid
    body          jsonb       not null,   -- the object, with PATCHes merged
    last_updated  timestamptz not null,   -- the object's own last_updated (never changed by the hub)
    deleted       boolean     not null default false,
    stored_at     timestamptz not null,
    primary key (module, country_code, party_id, object_id)
);
create index broadcast_object_paging on broadcast_object (module, last_updated, country_code, party_id, object_id)
    where not deleted;

-- Broadcast deliveries that finally failed (D7), for operators to see and replay.
create table delivery_failure (
    id                    uuid primary key,
    correlation_id        text        not null,
    broadcast_id          text        not null,
    receiver_platform_id  uuid        not null,
    receiver_country_code text        not null,
    receiver_party_id     text        not null,
    module                text        not null,
    method                text        not null,
    path_suffix           text        not null,  -- after the receiver's endpoint URL, e.g. /NL/CPO/LOC1
    query                 text,
    body                  bytea,
    attempts              int         not null,
    last_error            text        not null,
    status                text        not null,  -- FAILED, REPLAYED
    created_at            timestamptz not null,
    updated_at            timestamptz not null
);
create index delivery_failure_status on delivery_failure (status, created_at);
