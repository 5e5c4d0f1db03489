"""The SQLite schema, as an ordered list of migrations.

``PRAGMA user_version`` records how many migrations a database has had; opening a
database applies the missing ones in one transaction. Append new migrations; never
edit one that has shipped.
"""

MIGRATIONS: list[str] = [
    """
    CREATE TABLE posts (
        id             INTEGER PRIMARY KEY,
        uid            TEXT NOT NULL UNIQUE,
        path           TEXT NOT NULL UNIQUE,
        slug           TEXT NOT NULL,
        title          TEXT NOT NULL,
        body_html      TEXT NOT NULL,
        body_text      TEXT NOT NULL,
        published      TEXT NOT NULL,
        published_ts   INTEGER NOT NULL,
        updated        TEXT,
        status         TEXT NOT NULL CHECK (status IN ('published', 'draft')),
        kind           TEXT NOT NULL DEFAULT 'post' CHECK (kind IN ('post', 'page')),
        author         TEXT,
        origin_format  TEXT NOT NULL,
        origin_url     TEXT,
        source_path    TEXT,
        content_hash   TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        modified_at    TEXT NOT NULL
    );
    CREATE INDEX posts_by_date ON posts (status, kind, published_ts);

    CREATE TABLE labels (
        id   INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE
    );

    CREATE TABLE post_labels (
        post_id  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        label_id INTEGER NOT NULL REFERENCES labels (id),
        position INTEGER NOT NULL,
        PRIMARY KEY (post_id, label_id)
    );
    CREATE INDEX post_labels_by_label ON post_labels (label_id);

    CREATE TABLE clips (
        post_id   INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        position  INTEGER NOT NULL,
        headline  TEXT NOT NULL,
        body      TEXT NOT NULL,
        outlet    TEXT,
        authors   TEXT NOT NULL DEFAULT '[]',
        published TEXT,
        updated   TEXT,
        dateline  TEXT,
        url       TEXT,
        story_id  INTEGER,
        captions  TEXT NOT NULL DEFAULT '[]',
        credits   TEXT NOT NULL DEFAULT '[]',
        signature BLOB,
        PRIMARY KEY (post_id, position)
    );
    CREATE INDEX clips_by_story ON clips (story_id);

    CREATE TABLE comments (
        post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        position   INTEGER NOT NULL,
        uid        TEXT NOT NULL,
        author     TEXT,
        author_url TEXT,
        published  TEXT,
        status     TEXT NOT NULL,
        body_html  TEXT NOT NULL,
        body_text  TEXT NOT NULL,
        PRIMARY KEY (post_id, position)
    );

    CREATE TABLE attachments (
        uid        TEXT PRIMARY KEY,
        url        TEXT NOT NULL,
        title      TEXT NOT NULL,
        mime_type  TEXT,
        parent_uid TEXT,
        source     TEXT
    );

    CREATE TABLE feeds (
        id            INTEGER PRIMARY KEY,
        url           TEXT NOT NULL UNIQUE,
        label         TEXT,
        title         TEXT,
        etag          TEXT,
        last_modified TEXT,
        last_polled   TEXT,
        last_status   INTEGER,
        error         TEXT,
        added_at      TEXT NOT NULL
    );

    CREATE TABLE import_runs (
        id        INTEGER PRIMARY KEY,
        source    TEXT NOT NULL,
        format    TEXT NOT NULL,
        started   TEXT NOT NULL,
        finished  TEXT NOT NULL,
        added     INTEGER NOT NULL,
        updated   INTEGER NOT NULL,
        unchanged INTEGER NOT NULL,
        skipped   INTEGER NOT NULL,
        failed    INTEGER NOT NULL,
        errors    TEXT NOT NULL DEFAULT '[]',
        warnings  TEXT NOT NULL DEFAULT '[]'
    );

    -- Every write to a post appends a change; the search index applies them in order.
    CREATE TABLE changes (
        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
        post_id INTEGER NOT NULL,
        op      TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        at      TEXT NOT NULL
    );
    """,
    # 2: clips get ids of their own, for the versions of one story (``store/stories.py``):
    # ``signature`` is the clip's MinHash (empty when the clip is too short to compare,
    # NULL until it is grouped), ``story_id`` the smallest id among its versions (NULL when
    # it has none), ``story_bands`` the LSH band keys of each signed clip. And a post's
    # labels are read in order from an index, without sorting (every page of results).
    """
    CREATE TABLE clips_v2 (
        id        INTEGER PRIMARY KEY,
        post_id   INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        position  INTEGER NOT NULL,
        headline  TEXT NOT NULL,
        body      TEXT NOT NULL,
        outlet    TEXT,
        authors   TEXT NOT NULL DEFAULT '[]',
        published TEXT,
        updated   TEXT,
        dateline  TEXT,
        url       TEXT,
        story_id  INTEGER,
        captions  TEXT NOT NULL DEFAULT '[]',
        credits   TEXT NOT NULL DEFAULT '[]',
        signature BLOB,
        UNIQUE (post_id, position)
    );
    INSERT INTO clips_v2 (post_id, position, headline, body, outlet, authors, published,
                          updated, dateline, url, captions, credits)
        SELECT post_id, position, headline, body, outlet, authors, published, updated,
               dateline, url, captions, credits
        FROM clips ORDER BY post_id, position;
    DROP TABLE clips;
    ALTER TABLE clips_v2 RENAME TO clips;
    CREATE INDEX clips_by_story ON clips (story_id) WHERE story_id IS NOT NULL;
    CREATE INDEX clips_ungrouped ON clips (id) WHERE signature IS NULL;

    CREATE TABLE story_bands (
        key     INTEGER NOT NULL,
        clip_id INTEGER NOT NULL,
        PRIMARY KEY (key, clip_id)
    ) WITHOUT ROWID;

    CREATE INDEX post_labels_in_order ON post_labels (post_id, position, label_id);
    """,
    # 3: signatures hash a clip's words another way (in numpy, for many clips at once), so
    # the old ones no longer compare: every clip is signed and grouped again as the
    # migration commits.
    """
    DELETE FROM story_bands;
    UPDATE clips SET signature = NULL, story_id = NULL;
    """,
]
