-- Whether the stored object is whole: true once a PUT of the whole object was stored; false while the hub has only
-- PATCHes or EVSE/connector PUTs of it (a partial object). Broadcast conflation sends a stored object in place of
-- waiting pushes only when it is whole (ReceiverLane, CurrentObjects). Rows from before: unknown, so not whole until
-- their next whole PUT.
alter table broadcast_object add column complete boolean not null default false;
