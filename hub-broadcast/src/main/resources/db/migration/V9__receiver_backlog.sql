-- The durable per-receiver backlog (issue 11, D7): deliveries owed to a receiving platform that is behind, kept here
-- instead of the hub's memory. A record of the broadcast log whose deliveries all ended or wait here is acknowledged,
-- so a lagging receiver holds back no Kafka offset. One row per delivery, drained in (kafka_offset, party) order per
-- receiver and partition by the instance that owns the partition (ReceiverBacklog); the pushed record itself is kept
-- once in spilled_broadcast, however many receivers wait for it.
create table spilled_broadcast (
    broadcast_id text primary key,
    record       bytea not null,
    spilled_at   timestamptz not null default now()
);

create table receiver_backlog (
    receiver_platform_id uuid not null,
    kafka_partition      int not null,
    kafka_offset         bigint not null,
    party_country        text not null,
    party_id             text not null,
    broadcast_id         text not null,
    stored               boolean not null,
    spilled_at           timestamptz not null default now(),
    primary key (receiver_platform_id, kafka_partition, kafka_offset, party_country, party_id)
);

-- the sweep of records no receiver waits for any longer
create index receiver_backlog_broadcast on receiver_backlog (broadcast_id);
-- which receivers wait on a partition that an instance was just given
create index receiver_backlog_partition on receiver_backlog (kafka_partition, receiver_platform_id);
