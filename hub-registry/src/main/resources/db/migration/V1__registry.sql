-- Member platforms of the hub, the roles the operator granted them, and the endpoints they offer.
create table platform (
    id                 uuid primary key,
    name               text        not null,
    status             text        not null,          -- ConnectionStatus: PLANNED, CONNECTED, OFFLINE, SUSPENDED
    registered         boolean     not null default false,
    versions_url       text,
    version            text,
    token_encoding     text        not null default 'BASE64',
    token_a_hash       text unique,                   -- SHA-256 of the token A the hub issued (null once used)
    hub_token_hash     text unique,                   -- SHA-256 of the token the platform calls the hub with (C, or B when the hub initiated)
    peer_token_secret  text,                          -- AES-GCM sealed token the hub calls the platform with
    created_at         timestamptz not null,
    updated_at         timestamptz not null
);

create table platform_role (
    platform_id       uuid    not null references platform (id) on delete cascade,
    role              text    not null,
    country_code      text    not null,              -- upper-case: CiString compares case-insensitively
    party_id          text    not null,
    business_details  jsonb   not null,
    claimed           boolean not null default false, -- listed in the platform's last credentials
    primary key (role, country_code, party_id)
);
create index platform_role_platform on platform_role (platform_id);

create table platform_endpoint (
    platform_id     uuid not null references platform (id) on delete cascade,
    module          text not null,
    interface_role  text not null,
    url             text not null,
    primary key (platform_id, module, interface_role)
);

-- Last time the hub heard from a platform; kept apart so frequent updates do not trigger registry reloads.
create table platform_activity (
    platform_id  uuid primary key references platform (id) on delete cascade,
    last_seen    timestamptz not null
);

-- Every hub instance reloads its in-memory registry snapshot when this channel fires (D9).
create function notify_registry_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('registry_changed', tg_table_name);
    return null;
end;
$$;

create trigger platform_changed after insert or update or delete on platform
    for each statement execute function notify_registry_changed();
create trigger platform_role_changed after insert or update or delete on platform_role
    for each statement execute function notify_registry_changed();
create trigger platform_endpoint_changed after insert or update or delete on platform_endpoint
    for each statement execute function notify_registry_changed();
