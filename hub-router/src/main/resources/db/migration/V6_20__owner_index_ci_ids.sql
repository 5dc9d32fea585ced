-- Object ids are CiStrings (TYP 16.1): the owner index keys them upper-case. Rows learned before keep their owners.
insert into owner_index (kind, object_id, country_code, party_id, updated_at)
    select kind, upper(object_id), country_code, party_id, updated_at from owner_index
    where object_id <> upper(object_id)
    on conflict (kind, object_id, country_code, party_id) do nothing;
delete from owner_index where object_id <> upper(object_id);
