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

-- purge by time and the time windows of traffic / receiver lag
create index message_log_at on message_log (at);
-- trace searches (newest first within each)
create index message_log_correlation on message_log (correlation_id, at desc) where correlation_id is not null;
create index message_log_request on message_log (request_id) where request_id is not null;
create index message_log_outbound_request on message_log (outbound_request_id) where outbound_request_id is not null;
create index message_log_broadcast on message_log (broadcast_id, at desc) where broadcast_id is not null;
create index message_log_from on message_log (from_country_code, from_party_id, at desc);
create index message_log_to on message_log (to_country_code, to_party_id, at desc);
create index message_log_object on message_log (upper(object_id), at desc) where object_id is not null;
-- a platform's recent requests
create index message_log_sender on message_log (sender_platform_id, at desc) where sender_platform_id is not null;
create index message_log_receiver on message_log (receiver_platform_id, at desc) where receiver_platform_id is not null;
