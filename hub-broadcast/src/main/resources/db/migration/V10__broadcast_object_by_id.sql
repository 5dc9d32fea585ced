-- Open routing from what the hub keeps (issue 13 item 4): who owns a Location or Token id, without knowing its owner
-- (the primary key starts with the owner). One index range scan per lookup.
create index broadcast_object_by_id on broadcast_object (module, object_id);
