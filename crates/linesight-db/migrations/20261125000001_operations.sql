-- Cases, operations and audit. Portable SQL: the same file runs on SQLite and PostgreSQL.
-- Times are RFC 3339 UTC text (sorts correctly, hashes the same on both); ids are text made
-- by the application; JSON documents are text; flags are BIGINT 0/1.

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

-- Only a hash of the session token is stored: a copy of this table lets no one log in.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX sessions_user ON sessions (user_name);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    owning_force TEXT NOT NULL,
    partner_forces TEXT NOT NULL,
    case_store TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT,
    purge_after TEXT,
    -- The dashboard figures kept after a purge (counts only, no personal data).
    final_dashboard TEXT
);

CREATE TABLE case_members (
    case_id TEXT NOT NULL REFERENCES cases (id),
    user_name TEXT NOT NULL REFERENCES users (name),
    role TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, user_name)
);

-- One plan document per case; `version` is the optimistic-concurrency token.
CREATE TABLE plans (
    case_id TEXT PRIMARY KEY REFERENCES cases (id),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Case records share one shape: the domain value is the JSON `body`; `parent_id` ties a
-- custody movement to its exhibit and a check-back to its closure; `natural_key` (e.g. an
-- exhibit reference) is unique within the case where present.
CREATE TABLE targets (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases (id), parent_id TEXT, natural_key TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (case_id, natural_key)
);
CREATE TABLE warrants (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases (id), parent_id TEXT, natural_key TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (case_id, natural_key)
);
CREATE TABLE searches (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases (id), parent_id TEXT, natural_key TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (case_id, natural_key)
);
CREATE TABLE arrests (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases (id), parent_id TEXT, natural_key TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (case_id, natural_key)
);
CREATE TABLE exhibits (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases (id), parent_id TEXT, natural_key TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (case_id, natural_key)
);
CREATE TABLE custody_movements (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases (id), parent_id TEXT, natural_key TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (case_id, natural_key)
);
CREATE TABLE referrals (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases (id), parent_id TEXT, natural_key TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (case_id, natural_key)
);
CREATE TABLE closures (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases (id), parent_id TEXT, natural_key TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (case_id, natural_key)
);
CREATE TABLE check_backs (
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases (id), parent_id TEXT, natural_key TEXT,
    created_at TEXT NOT NULL, created_by TEXT NOT NULL, body TEXT NOT NULL, UNIQUE (case_id, natural_key)
);

-- The append-only audit log. No foreign keys: entries outlive the cases they describe.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    case_id TEXT,
    reason TEXT,
    details TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

-- The chain's head: the last seq and hash. Appenders update this one row first, which
-- serialises them (a row lock on PostgreSQL, the write lock on SQLite), and it lets
-- `audit verify` notice entries cut from the end of the log.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
