-- Positions (slots) of deleted entries, reused last-freed-first by new entries, as OpenAFS reuses database blocks:
-- ListEntries then lists entries in the same order a real ptserver does.
CREATE TABLE pr_free_slot (
    slot     BIGINT NOT NULL,
    freed_at BIGINT NOT NULL,
    CONSTRAINT pr_free_slot_pk PRIMARY KEY (slot)
);
