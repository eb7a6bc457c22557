//! The schema, as append-only migrations tracked by `PRAGMA user_version`.
//!
//! Migration `n` (0-based) takes a database from version `n` to `n + 1`. A released migration
//! never changes: a test pins a hash of each one's text. To change the schema, append one.
//!
//! Anonymity is part of the schema: respondents carry a random id, their group and the *day*
//! they started, nothing else; answers carry the day they were saved; invites carry only a hash
//! of the token and whether it was used, never which respondent used it.

use rusqlite::Connection;

/// Every migration, in order. Append only.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE exercises (
    id TEXT PRIMARY KEY NOT NULL
) STRICT;

CREATE TABLE exercise_versions (
    exercise_id TEXT NOT NULL REFERENCES exercises(id),
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (exercise_id, version)
) STRICT;

CREATE TABLE rounds (
    exercise_id TEXT NOT NULL REFERENCES exercises(id),
    round_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed')),
    opened_at INTEGER,
    closed_at INTEGER,
    PRIMARY KEY (exercise_id, round_id)
) STRICT;

CREATE TABLE respondents (
    id TEXT PRIMARY KEY NOT NULL,
    exercise_id TEXT NOT NULL REFERENCES exercises(id),
    group_id TEXT NOT NULL,
    resume_hash TEXT NOT NULL UNIQUE,
    created_day TEXT NOT NULL
) STRICT;

CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    respondent_id TEXT NOT NULL REFERENCES respondents(id),
    exercise_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    submitted INTEGER NOT NULL CHECK (submitted IN (0, 1)),
    latest INTEGER NOT NULL CHECK (latest IN (0, 1)),
    body TEXT NOT NULL,
    receipt TEXT NOT NULL UNIQUE,
    idempotency_key TEXT,
    saved_day TEXT NOT NULL,
    FOREIGN KEY (exercise_id, round_id) REFERENCES rounds(exercise_id, round_id)
) STRICT;

CREATE INDEX answers_by_respondent ON answers (respondent_id, exercise_id, round_id, id);
CREATE INDEX answers_latest ON answers (exercise_id, round_id, submitted, latest);
CREATE UNIQUE INDEX answers_idempotency
    ON answers (respondent_id, exercise_id, round_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE invites (
    token_hash TEXT PRIMARY KEY NOT NULL,
    exercise_id TEXT NOT NULL REFERENCES exercises(id),
    used INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE admins (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE admin_sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    admin_id INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
) STRICT;
"#,
    r#"
-- The current answer of a respondent in a round, found without scanning their history
-- (superseded answers) or the round's other respondents.
CREATE INDEX answers_current ON answers (respondent_id, exercise_id, round_id, submitted, latest);
"#,
    r#"
-- Curation: what the research team decided for each suggestion of a suggest round. A
-- suggestion is `RESPONDENT:N`, the N-th suggestion (1-based) of that respondent's current
-- submitted answer. Suggestions are never deleted: out-of-scope ones are kept and counted.
CREATE TABLE curation (
    exercise_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    suggestion_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'assigned', 'out-of-scope', 'unassigned')),
    item_id TEXT,
    note TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (exercise_id, round_id, suggestion_id),
    FOREIGN KEY (exercise_id, round_id) REFERENCES rounds(exercise_id, round_id)
) STRICT;
"#,
    r#"
-- The key of respondents' pseudonyms (HMAC-SHA256) in exports, the curation view and logs:
-- one row, 32 random bytes, made when the store is opened (see pseudonym.rs).
CREATE TABLE pseudonym_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key BLOB NOT NULL CHECK (length(key) = 32)
) STRICT;
"#,
    r#"
-- Roles per exercise (issue 16). An account with `all_exercises` is owner of every exercise,
-- present and future: the accounts made before roles existed become such owners. Other
-- accounts have a role in the exercises listed in `exercise_roles`.
ALTER TABLE admins ADD COLUMN all_exercises INTEGER NOT NULL DEFAULT 0
    CHECK (all_exercises IN (0, 1));
UPDATE admins SET all_exercises = 1;

CREATE TABLE exercise_roles (
    admin_id INTEGER NOT NULL REFERENCES admins(id) ON DELETE CASCADE,
    exercise_id TEXT NOT NULL REFERENCES exercises(id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'lead', 'advisory')),
    PRIMARY KEY (admin_id, exercise_id)
) STRICT;
CREATE INDEX exercise_roles_by_exercise ON exercise_roles (exercise_id);

-- Invitations of people to a role: a one-time sign-up link, of which only the hash is kept.
CREATE TABLE account_invites (
    token_hash TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL COLLATE NOCASE,
    exercise_id TEXT NOT NULL REFERENCES exercises(id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'lead', 'advisory')),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
) STRICT;

-- Whether advisory members may download an exercise's raw responses (the owner decides).
ALTER TABLE exercises ADD COLUMN advisory_downloads INTEGER NOT NULL DEFAULT 0
    CHECK (advisory_downloads IN (0, 1));

-- Published results: frozen snapshots, computed once and stored with the SHA-256 of their
-- inputs. The current publication of an exercise is its latest one not withdrawn.
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    exercise_id TEXT NOT NULL REFERENCES exercises(id),
    round_id TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    published_by TEXT NOT NULL,
    inputs_sha256 TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    report_html TEXT NOT NULL,
    withdrawn_at INTEGER
) STRICT;
CREATE INDEX publications_by_exercise ON publications (exercise_id, id);

-- Rounds may open and close by themselves at these times (Unix seconds).
ALTER TABLE rounds ADD COLUMN opens_at INTEGER;
ALTER TABLE rounds ADD COLUMN closes_at INTEGER;

-- The page of a paged round a respondent's draft was saved on, to bring them back to it.
ALTER TABLE answers ADD COLUMN page INTEGER;
"#,
    r#"
-- Proposals of a suggest round's curation (issue 17): computed once per change of the
-- suggestions or the items, and stored with a version that decisions refer to, so that
-- nothing moves behind the team's back. `inputs_sha256` is the SHA-256 of the suggestions and
-- the items the proposal was computed from; `made_by` is `system` for a computed proposal, or
-- the account that merged or split its groups; `body` is the proposal as JSON.
CREATE TABLE curation_proposals (
    exercise_id TEXT NOT NULL,
    round_id TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    inputs_sha256 TEXT NOT NULL,
    made_by TEXT NOT NULL,
    made_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (exercise_id, round_id, version),
    FOREIGN KEY (exercise_id, round_id) REFERENCES rounds(exercise_id, round_id)
) STRICT;

-- Who made each decision and from which proposal version (its time is `updated_at`), and a
-- second reviewer's check of it: `reviewed` or `queried`, with a note, by whom and when.
ALTER TABLE curation ADD COLUMN decided_by TEXT;
ALTER TABLE curation ADD COLUMN proposal_version INTEGER;
ALTER TABLE curation ADD COLUMN review TEXT CHECK (review IN ('reviewed', 'queried'));
ALTER TABLE curation ADD COLUMN review_note TEXT;
ALTER TABLE curation ADD COLUMN reviewed_by TEXT;
ALTER TABLE curation ADD COLUMN reviewed_at INTEGER;

-- The order the round's items (or, for a pairwise round, each pair's two items) were shown
-- to the respondent in, as JSON, drawn for each respondent and recorded with the answer.
ALTER TABLE answers ADD COLUMN shown_order TEXT;
"#,
];

/// The schema version of a database with every migration applied.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// The database's `user_version`.
///
/// # Errors
/// SQLite's error.
pub fn version(connection: &Connection) -> rusqlite::Result<u32> {
    connection.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Applies the migrations the database lacks, each in its own IMMEDIATE transaction together
/// with the new `user_version`. Returns the version found before.
pub(crate) fn migrate(connection: &mut Connection) -> Result<u32, crate::OpenError> {
    let found = version(connection)?;
    if found > latest_version() {
        return Err(crate::OpenError::TooNew {
            found,
            latest: latest_version(),
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        transaction.execute_batch(migration)?;
        // PRAGMA takes no bound parameters; the value is our own integer.
        transaction.execute_batch(&format!("PRAGMA user_version = {}", index + 1))?;
        transaction.commit()?;
    }
    Ok(found)
}
