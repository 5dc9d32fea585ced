-- Which claim of each Kafka partition of the broadcast log may keep receiver-backlog rows (issue 11, item 3). An
-- instance given a partition raises its epoch before it reads the partition's rows; a transaction that keeps rows
-- first reads its claim's epoch FOR SHARE and rolls back when it changed. The raise waits for such transactions under
-- way, so the new owner either sees their rows (and, fanning the same records out again, adds none twice: the rows'
-- key is the delivery) or they roll back: an instance fenced out of the group commits no row after the new owner read
-- them, which would be a stale duplicate drained after newer pushes of its object. Per consumer group and topic: hubs
-- of another group or topic sharing the database (tests; a second deployment) own their partitions independently.
create table receiver_backlog_claim (
    consumer_group  text not null,
    topic           text not null,
    kafka_partition int not null,
    epoch           bigint not null,
    primary key (consumer_group, topic, kafka_partition)
);
