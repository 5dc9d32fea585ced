-- GET All via the hub for a requester who sees only its own objects (a CPO listing its Locations): keyset pages over
-- one owner's rows, without walking every owner's part of broadcast_object_paging.
create index broadcast_object_owner_paging
    on broadcast_object (module, country_code, party_id, last_updated, object_id) where not deleted;
