-- A row of the receiver backlog is one delivery: a pushed record to a receiving party. Until now one Kafka record held
-- one pushed record, so (receiver, partition, offset, party) named the delivery. A new member's Hub Client Info list
-- is one Kafka record holding up to 500 ClientInfo PUTs to the same party (ClientInfoList, issue 11), each with a
-- broadcast id of its own: the key now includes it, or all but one of a list's rows would be dropped as conflicts.
alter table receiver_backlog
    drop constraint receiver_backlog_pkey,
    add primary key (receiver_platform_id, kafka_partition, kafka_offset, party_country, party_id, broadcast_id);
