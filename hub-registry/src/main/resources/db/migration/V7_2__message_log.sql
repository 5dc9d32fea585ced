-- The message log (issue 9 item 7): metadata of every routed and relayed request, every broadcast acceptance and
-- every broadcast delivery, written in batches by every instance (MessageLog), so any instance can search all of it.
-- Never a body, never a token. Rows older than hub.message-log.retention are purged (MessageLogPurge).
create table message_log (
    id                   bigint generated always as identity primary key,
    at                   timestamptz not null,  -- when the request reached the hub (a delivery: when it ended)
    instance_id          text        not null,
    kind                 text        not null,  -- ROUTED, RELAYED, BROADCAST_ACCEPTED, DELIVERY
    request_id           text,                  -- X-Request-ID as the requester sent it (as the hub kept it)
    outbound_request_id  text,                  -- X-Request-ID the hub sent to the receiver
    correlation_id       text,
    module               text,
    interface_role       text,
    method               text,
    routing_case         text,
    from_country_code    text,
    from_party_id        text,
    to_country_code      text,
    to_party_id          text,
    sender_platform_id   uuid,
    sender_name          text,
    receiver_platform_id uuid,
    receiver_name        text,
    object_id            text,
    broadcast_id         text,
    attempts             integer,
    outcome              text,                  -- DELIVERY: DELIVERED, FAILED, SKIPPED_NOT_CONNECTED
    http_status          integer,
    ocpi_status          integer,
    latency_ms           integer,
    accepted_at          timestamptz,           -- DELIVERY: when the broadcast was accepted (lag = at - accepted_at)
    error                text
);

-- What a trace search looks for, one key per criterion a row answers to: c: correlation or broadcast id, r: the
-- X-Request-ID the requester sent or the one the hub sent on, p: a party as sender or addressee (CC/PID), o: the
-- object id (upper case), s: a member platform as sender or receiver. ONE GIN index over these keys replaced nine
-- b-tree indexes: the GIN index takes new rows into its pending list (fastupdate) and merges them in bulk. Index
-- upkeep is what the log costs the routing benchmark (docs/benchmarks.md, "Message log on and off").
alter table message_log add column search_keys text[] generated always as (array_remove(array[
    'c:' || correlation_id,
    'c:' || broadcast_id,
    'r:' || request_id,
    'r:' || outbound_request_id,
    'p:' || from_country_code || '/' || from_party_id,
    'p:' || to_country_code || '/' || to_party_id,
    'o:' || upper(object_id),
    's:' || sender_platform_id::text,
    's:' || receiver_platform_id::text], null)) stored;

-- purge by time and the time windows of traffic / receiver lag
create index message_log_at on message_log (at);
-- trace searches and a platform's recent requests: search_keys @> array[...]
create index message_log_keys on message_log using gin (search_keys);
