-- Open routing (D6): who owns an object, learned from the traffic the hub routes.
-- Location ids are unique only within one CPO, so one id may have several owners (then it is ambiguous).
create table owner_index (
    kind          text        not null,   -- TOKEN, LOCATION, SESSION_CPO, SESSION_EMSP, RESERVATION
    object_id     text        not null,
    country_code  text        not null,
    party_id      text        not null,
    updated_at    timestamptz not null,
    primary key (kind, object_id, country_code, party_id)
);

-- URLs that point inside a member platform (D5), handed out as hub URLs: callbacks (response_url), CDR locations,
-- pagination links the hub cannot map onto an endpoint. Calls to the hub URL are forwarded to the original.
create table relay (
    id                  text primary key,
    kind                text        not null,  -- COMMAND, CHARGING_PROFILE, CDR_LOCATION, PAGE
    target_url          text        not null,  -- inside the owner's platform
    owner_platform_id   uuid        not null references platform (id) on delete cascade,
    owner_country_code  text        not null,  -- the party whose URL it is (gets the call)
    owner_party_id      text        not null,
    caller_country_code text        not null,  -- the party allowed to call it
    caller_party_id     text        not null,
    command             text,                  -- COMMAND: which one, for the synthetic TIMEOUT result
    state               text        not null,  -- PENDING, DONE
    timeout_at          timestamptz,           -- COMMAND: when the hub answers TIMEOUT itself
    created_at          timestamptz not null,
    expires_at          timestamptz not null
);
create index relay_pending_timeouts on relay (timeout_at) where state = 'PENDING' and timeout_at is not null;
