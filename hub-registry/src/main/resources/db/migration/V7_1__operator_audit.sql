-- Issue 9 (operator services): the audit log of operator actions and the history of every platform's status.

-- Every operator action (JSON admin API or console), success and failure. The detail is in operator words and never
-- holds a token; platform_name is kept because the platform may be deleted later (no foreign key on purpose).
create table audit_log (
    id             uuid        primary key,
    seq            bigserial   not null,              -- insertion order: orders entries of the same instant
    at             timestamptz not null,
    actor          text        not null,               -- "admin-token" or the console user's name
    via            text        not null,               -- "api" or "console"
    action         text        not null,               -- e.g. platform.suspend, delivery.replay
    platform_id    uuid,
    platform_name  text,
    outcome        text        not null check (outcome in ('OK', 'FAILED')),
    detail         text        not null
);
create index audit_log_at on audit_log (at desc, seq desc);
create index audit_log_platform on audit_log (platform_id, at desc, seq desc);

-- Every change of a platform's connection status, recorded by the database in the same transaction as the change,
-- so the handshake, the still-alive check and operator actions of any instance are all caught.
create table platform_status_change (
    id           bigserial   primary key,
    platform_id  uuid        not null references platform (id) on delete cascade,
    at           timestamptz not null,
    old_status   text,                                  -- null for the creation
    new_status   text        not null
);
create index platform_status_change_platform on platform_status_change (platform_id, at desc, id desc);

create function record_platform_status_change() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into platform_status_change (platform_id, at, old_status, new_status)
        values (new.id, now(), null, new.status);
    elsif new.status is distinct from old.status then
        insert into platform_status_change (platform_id, at, old_status, new_status)
        values (new.id, now(), old.status, new.status);
    end if;
    return null;
end;
$$;
create trigger platform_status_history after insert or update of status on platform
    for each row execute function record_platform_status_change();
