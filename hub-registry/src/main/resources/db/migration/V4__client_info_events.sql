-- Hub Client Info (HCI 15): every change of a platform's connection status is recorded here by the database itself,
-- in the same transaction as the change, so no code path can forget to announce one (a transactional outbox).
-- The hub relays these rows to the broadcast log and deletes them.
alter table platform add column status_changed_at timestamptz;
update platform set status_changed_at = updated_at;
alter table platform alter column status_changed_at set not null;

create table client_info_event (
    event_id        bigserial primary key,
    platform_id     uuid        not null,          -- no foreign key: a deleted platform is announced SUSPENDED
    status          text        not null,
    roles           jsonb       not null,          -- [{role, country_code, party_id}] at the time of the change
    status_changed  boolean     not null,          -- announce to the other members
    handshake       boolean     not null,          -- a (re-)registration: send this platform the full list
    changed_at      timestamptz not null
);

-- status_changed_at moves with the status, whoever changes it
create function touch_status_changed_at() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' or new.status is distinct from old.status then
        new.status_changed_at := now();
    end if;
    return new;
end;
$$;
create trigger platform_status_changed_at before insert or update on platform
    for each row execute function touch_status_changed_at();

create function record_client_info_event() returns trigger language plpgsql as $$
declare
    subject platform;
    changed boolean;
    handshake boolean;
begin
    if tg_op = 'DELETE' then
        subject := old;
        subject.status := 'SUSPENDED';
        changed := old.status <> 'SUSPENDED';
        handshake := false;
    else
        subject := new;
        changed := new.status is distinct from old.status;
        handshake := new.status = 'CONNECTED' and new.hub_token_hash is distinct from old.hub_token_hash;
    end if;
    if changed or handshake then
        insert into client_info_event (platform_id, status, roles, status_changed, handshake, changed_at)
        select subject.id, subject.status,
               coalesce((select jsonb_agg(jsonb_build_object('role', r.role, 'country_code', r.country_code,
                                                              'party_id', r.party_id))
                         from platform_role r where r.platform_id = subject.id), '[]'::jsonb),
               changed, handshake, now();
    end if;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return null;
end;
$$;
create trigger platform_status_event after update on platform
    for each row execute function record_client_info_event();
create trigger platform_deleted_event before delete on platform
    for each row execute function record_client_info_event();

-- roles are inserted after their platform row: a new platform is announced (PLANNED) role by role
create function record_planned_event() returns trigger language plpgsql as $$
begin
    insert into client_info_event (platform_id, status, roles, status_changed, handshake, changed_at)
    select p.id, p.status, jsonb_build_array(jsonb_build_object('role', new.role, 'country_code', new.country_code,
                                                                'party_id', new.party_id)), true, false, now()
    from platform p where p.id = new.platform_id;
    return null;
end;
$$;
create trigger platform_role_created_event after insert on platform_role
    for each row execute function record_planned_event();
