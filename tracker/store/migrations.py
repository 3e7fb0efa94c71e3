"""Numbered schema migrations. Append new ones; never edit one that has shipped."""

MIGRATIONS: list[str] = [
    # 1: the data model of DESIGN.md
    """
    CREATE TABLE sources (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        url TEXT NOT NULL,
        schedule TEXT,
        rhythm TEXT,
        enabled INTEGER NOT NULL DEFAULT 1,
        last_fetch_at TEXT,
        last_success_at TEXT,
        last_new_at TEXT,
        last_error TEXT,
        last_warning TEXT,
        status TEXT NOT NULL DEFAULT 'new',
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_retry_at TEXT
    );
    -- HTTP validators per URL, saved only in the transaction that stores what they cover
    CREATE TABLE http_cache (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        checked_at TEXT
    );
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        guid TEXT,
        source TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        published_at TEXT,
        fetched_at TEXT NOT NULL,
        language TEXT,
        content_hash TEXT NOT NULL,
        simhash INTEGER NOT NULL DEFAULT 0,
        story_id INTEGER,
        extract_status TEXT NOT NULL DEFAULT 'ok',
        extract_attempts INTEGER NOT NULL DEFAULT 0,
        rules_version TEXT
    );
    CREATE INDEX documents_guid ON documents(source, guid);
    CREATE INDEX documents_hash ON documents(content_hash);
    CREATE INDEX documents_story ON documents(story_id);
    CREATE INDEX documents_published ON documents(published_at);
    CREATE INDEX documents_when ON documents(coalesce(published_at, fetched_at)) WHERE simhash != 0;
    CREATE INDEX documents_pending ON documents(extract_status) WHERE extract_status != 'ok';
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, body, content=documents, content_rowid=id, tokenize='porter unicode61'
    );
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END;
    CREATE TRIGGER documents_au AFTER UPDATE OF title, body ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]',
        jurisdiction TEXT
    );
    CREATE INDEX entities_kind ON entities(kind);
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL REFERENCES entities(id),
        surface TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        title TEXT,
        rule_id TEXT
    );
    CREATE INDEX mentions_document ON mentions(document_id);
    CREATE INDEX mentions_entity ON mentions(entity_id, document_id);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        date TEXT,
        date_precision TEXT,
        jurisdiction TEXT,
        modality TEXT NOT NULL DEFAULT 'happened',
        is_news INTEGER NOT NULL DEFAULT 1,
        evidence TEXT NOT NULL,
        start INTEGER,
        end INTEGER,
        rule_id TEXT NOT NULL,
        confidence REAL NOT NULL DEFAULT 1.0,
        created_at TEXT NOT NULL
    );
    CREATE INDEX events_document ON events(document_id);
    CREATE INDEX events_type_date ON events(type, date);
    CREATE INDEX events_date ON events(date);
    -- the event date is copied here so an entity timeline is one index range scan
    CREATE TABLE event_entities (
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        entity_id TEXT NOT NULL REFERENCES entities(id),
        role TEXT NOT NULL,
        date TEXT,
        PRIMARY KEY (event_id, entity_id, role)
    );
    CREATE INDEX event_entities_entity_date ON event_entities(entity_id, date);
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body_text TEXT NOT NULL,
        body_html TEXT,
        message_id TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        next_attempt_at TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT
    );
    CREATE INDEX deliveries_state ON deliveries(state, next_attempt_at);
    CREATE TABLE alert_state (
        name TEXT PRIMARY KEY,
        last_event_id INTEGER NOT NULL DEFAULT 0,
        last_document_id INTEGER NOT NULL DEFAULT 0,
        last_run_at TEXT
    );
    """,
    # 2 (search): Datasette finds a table's FTS index only when it is declared with a quoted
    # content="documents"; rebuild it so. entity_names: every id, name and alias of an entity,
    # lower-cased and indexed, so entity:NDRC resolves with one index lookup; kept by triggers.
    """
    DROP TRIGGER documents_ai;
    DROP TRIGGER documents_ad;
    DROP TRIGGER documents_au;
    DROP TABLE documents_fts;
    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, body, content="documents", content_rowid="id", tokenize='porter unicode61'
    );
    INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END;
    CREATE TRIGGER documents_au AFTER UPDATE OF title, body ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO documents_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END;
    CREATE TABLE entity_names (
        name_key TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        PRIMARY KEY (name_key, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_names_entity ON entity_names(entity_id);
    CREATE TRIGGER entities_names_ai AFTER INSERT ON entities BEGIN
        INSERT OR IGNORE INTO entity_names (name_key, entity_id)
        SELECT lower(value), new.id FROM json_each(json_array(new.id, new.name))
        UNION SELECT lower(value), new.id FROM json_each(
            CASE WHEN json_valid(new.aliases) THEN new.aliases ELSE '[]' END);
    END;
    CREATE TRIGGER entities_names_au AFTER UPDATE OF id, name, aliases ON entities BEGIN
        DELETE FROM entity_names WHERE entity_id = old.id;
        INSERT OR IGNORE INTO entity_names (name_key, entity_id)
        SELECT lower(value), new.id FROM json_each(json_array(new.id, new.name))
        UNION SELECT lower(value), new.id FROM json_each(
            CASE WHEN json_valid(new.aliases) THEN new.aliases ELSE '[]' END);
    END;
    CREATE TRIGGER entities_names_ad AFTER DELETE ON entities BEGIN
        DELETE FROM entity_names WHERE entity_id = old.id;
    END;
    INSERT OR IGNORE INTO entity_names (name_key, entity_id)
    SELECT lower(id), id FROM entities
    UNION SELECT lower(name), id FROM entities
    UNION SELECT lower(j.value), e.id FROM entities e, json_each(
        CASE WHEN json_valid(e.aliases) THEN e.aliases ELSE '[]' END) j;
    """,
    # 3 (daemon): the running daemon (one row: pid, heartbeat) and its jobs (next run, last
    # result), so `tracker status` can answer from another process without asking the daemon.
    """
    CREATE TABLE daemon_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        state TEXT NOT NULL,
        stopped_at TEXT
    );
    CREATE TABLE daemon_jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        source TEXT,
        trigger TEXT NOT NULL,
        next_run_at TEXT,
        last_run_at TEXT,
        last_status TEXT,
        last_summary TEXT,
        last_elapsed REAL
    );
    """,
    # 4 (search speed): a filtered search collects the documents holding an event of a type
    # from this index alone (no table lookups); a case history walks an entity's events in one
    # role newest first without touching the table (covering).
    """
    CREATE INDEX events_type_document ON events(type, document_id);
    CREATE INDEX event_entities_entity_role_date ON event_entities(entity_id, role, date, event_id);
    """,
    # 5 (search speed): a date range becomes a range of document ids with two seeks per month;
    # filters on a document's date and source are checked without reading its (large) row.
    """
    CREATE INDEX documents_month ON documents(substr(published_at, 1, 7), id);
    CREATE INDEX documents_id_filters ON documents(id, published_at, source);
    """,
    # 6 (search speed): story ids too, so collapsing ranked candidates into stories reads
    # this narrow index rather than the candidates' rows
    """
    DROP INDEX documents_id_filters;
    CREATE INDEX documents_id_cover ON documents(id, published_at, source, story_id);
    """,
    # 7 (search speed): case histories need only the target rows of event_entities; a partial
    # index over them is a third the size of the covering index of migration 4 it replaces
    """
    DROP INDEX event_entities_entity_role_date;
    CREATE INDEX event_entities_target ON event_entities(entity_id, date, event_id)
        WHERE role = 'target';
    """,
    # 8 (outbox): a message being sent is claimed in its own column. The claim used to be
    # next_attempt_at, which `deliveries --retry` clears, so a retry during a send sent twice.
    """
    ALTER TABLE deliveries ADD COLUMN claimed_until TEXT;
    """,
    # 9 (search speed): the documents that joined another's story. A story's first document
    # has story_id = id, so collapsing ranked candidates into stories asks only this small
    # index (a tenth of the rows, often less) which of them belong to an earlier one.
    """
    CREATE INDEX documents_followers ON documents(id, story_id) WHERE story_id != id;
    """,
    # 10 (dates): the day a document is dated in its source's own time zone (sources.toml
    # `timezone`), which since:/until: compare and tables show: a Beijing notice of 24 May
    # 07:00 is 23 May in UTC. published_at stays the instant, in UTC. Rows stored before were
    # read in UTC, so their UTC day is their day. The month and covering indexes move to it.
    """
    ALTER TABLE documents ADD COLUMN published_day TEXT;
    UPDATE documents SET published_day = substr(published_at, 1, 10)
        WHERE published_at IS NOT NULL;
    DROP INDEX documents_month;
    CREATE INDEX documents_month ON documents(substr(published_day, 1, 7), id);
    DROP INDEX documents_id_cover;
    CREATE INDEX documents_id_cover ON documents(id, published_day, source, story_id);
    """,
    # 11 (dates): a process still running code from before migration 10 (a daemon started
    # before the upgrade) writes no published_day; date filters would skip those rows for
    # good. Such a row takes its UTC day, as every row stored before migration 10 did.
    """
    CREATE TRIGGER documents_day_ai AFTER INSERT ON documents
    WHEN new.published_day IS NULL AND new.published_at IS NOT NULL BEGIN
        UPDATE documents SET published_day = substr(new.published_at, 1, 10) WHERE id = new.id;
    END;
    CREATE TRIGGER documents_day_au AFTER UPDATE OF published_at ON documents
    WHEN new.published_day IS NULL AND new.published_at IS NOT NULL BEGIN
        UPDATE documents SET published_day = substr(new.published_at, 1, 10) WHERE id = new.id;
    END;
    """,
    # 12 (outbox): whose claim it is. A sender whose lease ran out mid-send used to clear
    # the claim of the sender that took the message over when its own attempt failed, so a
    # third sender sent it again; now only the holder records a failure or gives it back.
    """
    ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
    """,
]
