-- The entries every protection database starts with, in OpenAFS's creation order, with its ids, owners, flags
-- (2 = group, 128 = quota set) and quotas. system:administrators carries the quota the creator charge gives it.
INSERT INTO pr_entry (id, name, flags, owner_id, creator_id, ngroups, nusers)
VALUES (-204, 'system:administrators', 130, -204, -204, 20, 20);
INSERT INTO pr_entry (id, name, flags, owner_id, creator_id, ngroups, nusers)
VALUES (-205, 'system:backup', 2, -204, -204, 0, 0);
INSERT INTO pr_entry (id, name, flags, owner_id, creator_id, ngroups, nusers)
VALUES (-101, 'system:anyuser', 2, -204, -204, 0, 0);
INSERT INTO pr_entry (id, name, flags, owner_id, creator_id, ngroups, nusers)
VALUES (-102, 'system:authuser', 2, -204, -204, 0, 0);
INSERT INTO pr_entry (id, name, flags, owner_id, creator_id, ngroups, nusers)
VALUES (-203, 'system:ptsviewers', 2, -204, -204, 0, 0);
INSERT INTO pr_entry (id, name, flags, owner_id, creator_id, ngroups, nusers)
VALUES (32766, 'anonymous', 128, -204, -204, 20, 20);

-- The largest user id is reset to 0 after anonymous; the most negative group id is system:backup's.
INSERT INTO pr_header (k, v) VALUES ('max_user_id', 0);
INSERT INTO pr_header (k, v) VALUES ('max_group_id', -205);
INSERT INTO pr_header (k, v) VALUES ('db_version', 1);
