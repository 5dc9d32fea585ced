-- Roaming agreements between two parties (issue 13, D14). The Java side stores a pair in one order (AgreementPair:
-- first sorts before second by code point), so one pair has one spelling; several agreements for a pair add up.
create table agreement (
    id            uuid primary key,
    first_cc      text        not null,              -- upper-case, as PartyId keeps them
    first_pid     text        not null,
    second_cc     text        not null,
    second_pid    text        not null,
    modules       text[]      not null,              -- OCPI module ids; all seven for "all"
    valid_from    timestamptz,                       -- null: since always
    valid_until   timestamptz,                       -- null: no end; exclusive
    created_at    timestamptz not null,
    created_by    text        not null,
    check (valid_until is null or valid_from is null or valid_until > valid_from)
);
create index agreement_first on agreement (first_cc, first_pid);
create index agreement_second on agreement (second_cc, second_pid);

-- Parties that opted in to agreements when hub.agreements.mode is per-party: traffic to or from them needs one.
create table agreement_required_party (
    country_code  text        not null,
    party_id      text        not null,
    since         timestamptz not null,
    primary key (country_code, party_id)
);

-- Every instance reloads its registry snapshot, which holds the agreements, when they change (D9, D14).
create trigger agreement_changed after insert or update or delete on agreement
    for each statement execute function notify_registry_changed();
create trigger agreement_required_party_changed after insert or update or delete on agreement_required_party
    for each statement execute function notify_registry_changed();
