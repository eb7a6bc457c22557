//! Integration tests of `store`, each on a temporary database file.

use std::sync::Arc;
use std::time::Duration;

mod proposals;
mod review;
mod roles;

use sha2::{Digest, Sha256};
use store::{RoundState, Store, StoreError, Submission};
use survey::answer::Answer;
use test_support::{ExerciseToml, TINY_EXERCISE as EXERCISE};

fn open() -> (tempfile::TempDir, Store) {
    let directory = tempfile::tempdir().unwrap();
    let store = Store::open(directory.path().join("test.db")).unwrap();
    store
        .put_exercise(EXERCISE, "exercise.toml", "admin@example.org")
        .unwrap();
    (directory, store)
}

fn ranking(items: &[&str]) -> Answer {
    Answer::Rank(items.iter().map(|item| item.to_string()).collect())
}

fn submission(respondent: &str, answer: Answer, key: Option<&str>) -> Submission {
    Submission {
        exercise: "tiny".to_string(),
        round: "top2".to_string(),
        respondent: respondent.to_string(),
        answer,
        submit: true,
        idempotency_key: key.map(str::to_string),
        shown_order: None,
    }
}

fn open_round(store: &Store) {
    store
        .set_round_state("tiny", "top2", RoundState::Open, "admin@example.org")
        .unwrap();
}

#[test]
fn migrations_never_change_once_released() {
    // Pinned SHA-256 of each released migration. Append new migrations; never edit these.
    const PINNED: &[&str] = &[
        "85b42f0038eace1b91562072db86736c12f9284126bd5c85506970044eb44604",
        "4ed50ae73ef2d6be1d6ed4c3e202435da2d3f97bf8b6a7f51b2479533b45b645",
        "74289b482724f4c125484efaa17ebd631b9a7d6622f9d2324859dbbf6d4b2f9c",
        "9c41e108c30b7c87782070b5969c558515e9f662c1de90dbbb59fa49d7619453",
        "23db03249cca49e5f4006e693953ef1f80af89e401e754d11b1427feddd7cbcc",
        "5cd09f84214a1a8fc6da605a0da2f9abcb2f9ee3b82103f4f34450a555bf78b0",
    ];
    let actual: Vec<String> = store::MIGRATIONS
        .iter()
        .map(|text| {
            Sha256::digest(text.as_bytes())
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect()
        })
        .collect();
    assert!(
        actual.len() >= PINNED.len(),
        "a released migration was removed"
    );
    assert_eq!(
        &actual[..PINNED.len()],
        PINNED,
        "a released migration was changed"
    );
}

#[test]
fn databases_at_every_version_migrate_to_the_latest() {
    for start in 0..=store::MIGRATIONS.len() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("old.db");
        {
            let connection = rusqlite::Connection::open(&path).unwrap();
            for (index, migration) in store::MIGRATIONS[..start].iter().enumerate() {
                connection.execute_batch(migration).unwrap();
                connection
                    .execute_batch(&format!("PRAGMA user_version = {}", index + 1))
                    .unwrap();
            }
        }
        drop(Store::open(&path).unwrap());
        let connection = rusqlite::Connection::open(&path).unwrap();
        assert_eq!(
            store::migrations::version(&connection).unwrap(),
            store::migrations::latest_version()
        );
        let mode: String = connection
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
    // A database from a newer program is refused.
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("new.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999")
        .unwrap();
    let error = Store::open(&path).err().unwrap();
    assert!(error.to_string().contains("schema version 999"), "{error}");
}

#[test]
fn exercises_are_versioned_and_rounds_have_states() {
    let (_directory, store) = open();
    let again = store.put_exercise(EXERCISE, "exercise.toml", "x").unwrap();
    assert_eq!((again.version, again.changed), (1, false));
    let changed = ExerciseToml::tiny().title("Tiny, revised").build();
    let second = store.put_exercise(&changed, "exercise.toml", "x").unwrap();
    assert_eq!((second.version, second.changed), (2, true));
    assert_eq!(store.exercise_versions("tiny").unwrap().len(), 2);
    let stored = store.exercise("tiny").unwrap().unwrap();
    assert_eq!(stored.exercise.title, "Tiny, revised");
    assert_eq!(stored.version, 2);
    assert!(
        stored
            .rounds
            .iter()
            .all(|round| round.state == RoundState::Draft)
    );
    open_round(&store);
    let stored = &store.exercises().unwrap()[0];
    assert_eq!(stored.rounds[1].state, RoundState::Open);
    assert!(stored.rounds[1].opened_at.is_some());
    assert!(store.exercise("nope").unwrap().is_none());
    let bad = store.put_exercise("id = 3", "bad.toml", "x").unwrap_err();
    assert!(matches!(bad, StoreError::Definition(_)), "{bad}");
    let unknown = store
        .set_round_state("tiny", "nope", RoundState::Open, "x")
        .unwrap_err();
    assert_eq!(unknown.to_string(), "exercise `tiny` has no round `nope`");
    let log = store.audit_log(10).unwrap();
    assert_eq!(log[0].action, "set round open");
    assert_eq!(log[0].detail, "exercise tiny round top2");
    assert_eq!(log[0].actor, "admin@example.org");
}

#[test]
fn respondents_start_in_an_existing_group_and_resume_by_code() {
    let (_directory, store) = open();
    let new = store.create_respondent("tiny", "carers", None).unwrap();
    let resumed = store
        .resume("tiny", &new.resume_code.to_uppercase().replace('-', " "))
        .unwrap()
        .unwrap();
    assert_eq!(resumed.id, new.respondent);
    assert_eq!(resumed.group, "carers");
    assert!(
        store
            .resume("tiny", "0000-0000-0000-0000")
            .unwrap()
            .is_none()
    );
    assert_eq!(store.respondent(&new.respondent).unwrap().unwrap(), resumed);
    let error = store.create_respondent("tiny", "aliens", None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "exercise `tiny` has no group `aliens` (its groups are: carers, young-people)"
    );
    // The resume code itself is not stored.
    let directory = tempfile::tempdir().unwrap();
    let copy = directory.path().join("copy.db");
    store.backup(&copy).unwrap();
    let connection = rusqlite::Connection::open(&copy).unwrap();
    let hits: i64 = connection
        .query_row(
            "SELECT COUNT(*) FROM respondents WHERE resume_hash = ?1 OR id = ?1",
            [&new.resume_code],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(hits, 0);
    let day: String = connection
        .query_row("SELECT created_day FROM respondents", [], |row| row.get(0))
        .unwrap();
    assert_eq!(day.len(), 10, "only a day is stored: {day}");
}

#[test]
fn answers_need_an_open_round_and_a_valid_body() {
    let (_directory, store) = open();
    let respondent = store
        .create_respondent("tiny", "carers", None)
        .unwrap()
        .respondent;
    let closed = store
        .save_answer(submission(&respondent, ranking(&["a"]), None))
        .unwrap_err();
    assert_eq!(
        closed.to_string(),
        "round `top2` is draft, not open: answers are taken only while a round is open"
    );
    open_round(&store);
    let bad = store
        .save_answer(submission(&respondent, ranking(&["a", "housing"]), None))
        .unwrap_err();
    assert_eq!(
        bad.to_string(),
        "`ranking[1]`: `housing` is not one of this round's items (its items are: a, b, c)"
    );
    let stranger = store
        .save_answer(submission("nobody", ranking(&["a"]), None))
        .unwrap_err();
    assert_eq!(
        stranger.to_string(),
        "there is no respondent `nobody` in this exercise"
    );
    store
        .save_answer(submission(&respondent, ranking(&["a"]), None))
        .unwrap();
    store
        .set_round_state("tiny", "top2", RoundState::Closed, "x")
        .unwrap();
    let after = store
        .save_answer(submission(&respondent, ranking(&["b"]), None))
        .unwrap_err();
    assert!(matches!(
        after,
        StoreError::RoundNotOpen {
            state: RoundState::Closed,
            ..
        }
    ));
    assert_eq!(
        store
            .current_answer("tiny", "top2", &respondent)
            .unwrap()
            .unwrap()
            .answer,
        ranking(&["a"])
    );
}

#[test]
fn resubmission_with_the_same_key_is_idempotent() {
    let (_directory, store) = open();
    open_round(&store);
    let respondent = store
        .create_respondent("tiny", "carers", None)
        .unwrap()
        .respondent;
    let first = store
        .save_answer(submission(&respondent, ranking(&["a", "b"]), Some("k1")))
        .unwrap();
    let again = store
        .save_answer(submission(&respondent, ranking(&["a", "b"]), Some("k1")))
        .unwrap();
    assert!(!first.replayed);
    assert!(again.replayed);
    assert_eq!(first.receipt, again.receipt);
    assert_eq!(
        store
            .answer_history("tiny", "top2", &respondent)
            .unwrap()
            .len(),
        1
    );
    let conflict = store
        .save_answer(submission(&respondent, ranking(&["c"]), Some("k1")))
        .unwrap_err();
    assert!(
        matches!(conflict, StoreError::IdempotencyConflict(_)),
        "{conflict}"
    );
}

#[test]
fn repeating_the_current_answer_without_a_key_stores_nothing_more() {
    let (_directory, store) = open();
    open_round(&store);
    let respondent = store
        .create_respondent("tiny", "carers", None)
        .unwrap()
        .respondent;
    let first = store
        .save_answer(submission(&respondent, ranking(&["a", "b"]), None))
        .unwrap();
    let again = store
        .save_answer(submission(&respondent, ranking(&["a", "b"]), None))
        .unwrap();
    assert!(!first.replayed);
    assert!(again.replayed);
    assert_eq!(first.receipt, again.receipt);
    assert_eq!(
        store
            .answer_history("tiny", "top2", &respondent)
            .unwrap()
            .len(),
        1
    );
    // A different answer is stored, and going back to the first answer is stored again.
    store
        .save_answer(submission(&respondent, ranking(&["b"]), None))
        .unwrap();
    let back = store
        .save_answer(submission(&respondent, ranking(&["a", "b"]), None))
        .unwrap();
    assert!(!back.replayed);
    assert_eq!(
        store
            .answer_history("tiny", "top2", &respondent)
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn the_last_answer_wins_and_history_is_kept() {
    let (_directory, store) = open();
    open_round(&store);
    let respondent = store
        .create_respondent("tiny", "carers", None)
        .unwrap()
        .respondent;
    store
        .save_answer(submission(&respondent, ranking(&["a"]), None))
        .unwrap();
    store
        .save_answer(submission(&respondent, ranking(&["b", "c"]), None))
        .unwrap();
    let mut draft = submission(&respondent, ranking(&["c"]), None);
    draft.submit = false;
    store.save_answer(draft).unwrap();
    let history = store.answer_history("tiny", "top2", &respondent).unwrap();
    assert_eq!(history.len(), 3);
    let current = store
        .current_answer("tiny", "top2", &respondent)
        .unwrap()
        .unwrap();
    assert!(!current.submitted);
    assert_eq!(current.answer, ranking(&["c"]));
    // The export holds the latest submitted answer only; drafts are never exported.
    let (csv, count) = store.export_round("tiny", "top2", Vec::new()).unwrap();
    assert_eq!(count, 1);
    let pseudonym = store.pseudonyms().of(&respondent);
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        format!("respondent,group,item,rank\n{pseudonym},carers,b,1\n{pseudonym},carers,c,2\n")
    );
    let participation = store.participation("tiny").unwrap();
    assert_eq!(participation.len(), 1);
    assert_eq!(participation[0].respondents, 1);
    assert_eq!(participation[0].group, "carers");
}

#[test]
fn suggestions_export_neutralised() {
    let (_directory, store) = open();
    store
        .set_round_state("tiny", "ideas", RoundState::Open, "x")
        .unwrap();
    let respondent = store
        .create_respondent("tiny", "young-people", None)
        .unwrap()
        .respondent;
    store
        .save_answer(Submission {
            round: "ideas".to_string(),
            ..submission(
                &respondent,
                Answer::Suggest(vec![
                    "=HYPERLINK(\"x\")".to_string(),
                    " more support ".to_string(),
                ]),
                None,
            )
        })
        .unwrap();
    let (csv, _) = store.export_round("tiny", "ideas", Vec::new()).unwrap();
    // The respondent is written as its pseudonym, never by id (a capability).
    let pseudonym = store.pseudonyms().of(&respondent);
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        format!(
            "respondent,group,text\n{pseudonym},young-people,\"'=HYPERLINK(\"\"x\"\")\"\n{pseudonym},young-people,more support\n"
        )
    );
}

#[test]
fn an_invite_admits_exactly_one_respondent_among_fifty_racing() {
    let (_directory, store) = open();
    let invite_only = ExerciseToml::tiny().set("invite_only", "true").build();
    store
        .put_exercise(&invite_only, "exercise.toml", "x")
        .unwrap();
    assert!(matches!(
        store.create_respondent("tiny", "carers", None).unwrap_err(),
        StoreError::InviteRequired(_)
    ));
    let tokens = store.create_invites("tiny", 2, "admin").unwrap();
    let token = Arc::new(tokens[0].clone());
    let threads: Vec<_> = (0..50)
        .map(|_| {
            let store = store.clone();
            let token = Arc::clone(&token);
            std::thread::spawn(move || store.create_respondent("tiny", "carers", Some(&token)))
        })
        .collect();
    let results: Vec<_> = threads
        .into_iter()
        .map(|thread| thread.join().unwrap())
        .collect();
    assert_eq!(results.iter().filter(|result| result.is_ok()).count(), 1);
    assert!(
        results
            .iter()
            .filter_map(|result| result.as_ref().err())
            .all(|error| matches!(error, StoreError::InviteNotValid))
    );
    assert!(
        store
            .create_respondent("tiny", "carers", Some("made-up"))
            .is_err()
    );
    assert!(
        store
            .create_respondent("tiny", "carers", Some(&tokens[1]))
            .is_ok()
    );
    assert_eq!(
        store
            .create_invites("tiny", 0, "x")
            .unwrap_err()
            .to_string(),
        "invites are created 1 to 10000 at a time, not 0"
    );
}

#[test]
fn concurrent_submissions_lose_nothing_and_are_committed_in_groups() {
    let (directory, store) = open();
    open_round(&store);
    let before = store.write_stats();
    let threads: Vec<_> = (0..32)
        .map(|thread| {
            let store = store.clone();
            std::thread::spawn(move || {
                let group = if thread % 2 == 0 {
                    "carers"
                } else {
                    "young-people"
                };
                let mut respondent = String::new();
                for index in 0..100 {
                    if index % 4 == 0 {
                        respondent = store
                            .create_respondent("tiny", group, None)
                            .unwrap()
                            .respondent;
                    }
                    let items = if index % 2 == 0 {
                        ["a", "b"]
                    } else {
                        ["c", "a"]
                    };
                    store
                        .save_answer(submission(
                            &respondent,
                            ranking(&items),
                            Some(&format!("{thread}-{index}")),
                        ))
                        .unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let after = store.write_stats();
    let requests = after.requests - before.requests;
    let transactions = after.transactions - before.transactions;
    assert_eq!(requests, 32 * 100 + 32 * 25);
    assert!(
        transactions < requests,
        "group commit should batch: {transactions} transactions for {requests} requests"
    );
    let connection = rusqlite::Connection::open(directory.path().join("test.db")).unwrap();
    let rows: i64 = connection
        .query_row("SELECT COUNT(*) FROM answers", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows, 3200);
    let participation: u64 = store
        .participation("tiny")
        .unwrap()
        .iter()
        .map(|entry| entry.respondents)
        .sum();
    assert_eq!(participation, 32 * 25);
    let (_, exported) = store.export_round("tiny", "top2", std::io::sink()).unwrap();
    assert_eq!(exported, 800);
}

#[test]
fn one_bad_request_in_a_group_fails_alone() {
    let (_directory, store) = open();
    open_round(&store);
    let threads: Vec<_> = (0..16)
        .map(|thread| {
            let store = store.clone();
            std::thread::spawn(move || {
                let respondent = store
                    .create_respondent("tiny", "carers", None)
                    .unwrap()
                    .respondent;
                let items: &[&str] = if thread == 7 { &["zzz"] } else { &["a"] };
                store.save_answer(submission(&respondent, ranking(items), None))
            })
        })
        .collect();
    let results: Vec<_> = threads
        .into_iter()
        .map(|thread| thread.join().unwrap())
        .collect();
    assert_eq!(results.iter().filter(|result| result.is_err()).count(), 1);
    let (_, exported) = store.export_round("tiny", "top2", std::io::sink()).unwrap();
    assert_eq!(exported, 15);
}

#[test]
fn admins_sessions_and_audit() {
    let (_directory, store) = open();
    assert_eq!(store.admin_count().unwrap(), 0);
    let id = store
        .add_admin("Lead@Example.org", "$argon2id$v=19$fake")
        .unwrap();
    assert_eq!(store.admin_count().unwrap(), 1);
    assert!(matches!(
        store.add_admin("lead@example.org", "x").unwrap_err(),
        StoreError::AdminExists(_)
    ));
    let admin = store.admin_by_email("lead@example.org").unwrap().unwrap();
    assert_eq!(admin.id, id);
    assert_eq!(admin.password_hash, "$argon2id$v=19$fake");
    let token = store.create_session(id, Duration::from_secs(3600)).unwrap();
    assert_eq!(store.session(&token).unwrap().unwrap().id, id);
    assert!(store.session("wrong").unwrap().is_none());
    let expired = store.create_session(id, Duration::ZERO).unwrap();
    assert!(store.session(&expired).unwrap().is_none());
    assert!(store.delete_session(&token).unwrap());
    assert!(store.session(&token).unwrap().is_none());
    assert!(matches!(
        store
            .create_session(999, Duration::from_secs(1))
            .unwrap_err(),
        StoreError::UnknownAdmin(999)
    ));
    store.audit("lead@example.org", "sign in", "").unwrap();
    let log = store.audit_log(2).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, "sign in");
    assert!(log[0].id > log[1].id);
}

#[test]
fn backups_are_complete_copies() {
    let (directory, store) = open();
    open_round(&store);
    let respondent = store
        .create_respondent("tiny", "carers", None)
        .unwrap()
        .respondent;
    store
        .save_answer(submission(&respondent, ranking(&["b"]), None))
        .unwrap();
    let copy = directory.path().join("backup.db");
    store.backup(&copy).unwrap();
    assert!(matches!(
        store.backup(&copy).unwrap_err(),
        StoreError::BackupExists(_)
    ));
    let restored = Store::open(&copy).unwrap();
    let (_, count) = restored
        .export_round("tiny", "top2", std::io::sink())
        .unwrap();
    assert_eq!(count, 1);
    assert_eq!(restored.integrity_check().unwrap(), ["ok"]);
}

#[test]
fn closing_the_store_checkpoints_and_removes_the_write_ahead_log() {
    let (directory, store) = open();
    open_round(&store);
    let respondent = store
        .create_respondent("tiny", "carers", None)
        .unwrap()
        .respondent;
    store
        .save_answer(submission(&respondent, ranking(&["b"]), None))
        .unwrap();
    let wal = directory.path().join("test.db-wal");
    assert!(wal.exists(), "the database is in WAL mode");
    drop(store);
    assert!(
        !wal.exists(),
        "the last connection to close checkpoints the log"
    );
    let reopened = Store::open(directory.path().join("test.db")).unwrap();
    assert_eq!(reopened.integrity_check().unwrap(), ["ok"]);
    assert_eq!(
        reopened
            .export_round("tiny", "top2", std::io::sink())
            .unwrap()
            .1,
        1
    );
}

#[test]
fn suggestions_are_numbered_as_exported_and_curated_without_loss() {
    use store::CurationDecision;
    use survey::curation::Status;

    let (_directory, store) = open();
    store
        .set_round_state("tiny", "ideas", RoundState::Open, "x")
        .unwrap();
    let mut respondents = Vec::new();
    for (group, texts) in [
        ("carers", vec!["More help early", "Caseloads"]),
        ("young-people", vec!["Help early on"]),
    ] {
        let respondent = store
            .create_respondent("tiny", group, None)
            .unwrap()
            .respondent;
        store
            .save_answer(Submission {
                round: "ideas".to_string(),
                ..submission(
                    &respondent,
                    Answer::Suggest(texts.iter().map(|text| text.to_string()).collect()),
                    None,
                )
            })
            .unwrap();
        respondents.push(store.pseudonyms().of(&respondent));
    }
    let suggestions = store.suggestions("tiny", "ideas").unwrap();
    let ids: Vec<&str> = suggestions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            format!("{}:1", respondents[0]),
            format!("{}:2", respondents[0]),
            format!("{}:1", respondents[1]),
        ]
    );
    // The ids are those the curation file gives the round's export.
    let (csv, _) = store.export_round("tiny", "ideas", Vec::new()).unwrap();
    let exported: Vec<String> = String::from_utf8(csv)
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(
        survey::curation::suggestion_ids(exported.iter().map(String::as_str)),
        ids
    );
    assert_eq!(suggestions[2].group, "young-people");
    assert_eq!(suggestions[1].text, "Caseloads");

    assert!(store.curation("tiny", "ideas").unwrap().is_empty());
    let decide =
        |suggestion: &str, status, item: Option<&str>, note: Option<&str>| CurationDecision {
            suggestion: suggestion.to_string(),
            status,
            item: item.map(str::to_string),
            note: note.map(str::to_string),
        };
    store
        .set_curation(
            "tiny",
            "ideas",
            vec![
                decide(ids[0], Status::Assigned, Some("a"), None),
                decide(ids[1], Status::Proposed, Some("b"), None),
                decide(ids[2], Status::Assigned, Some("a"), None),
            ],
            "lead@example.org",
        )
        .unwrap();
    // A later decision replaces the earlier one for that suggestion only.
    store
        .set_curation(
            "tiny",
            "ideas",
            vec![decide(
                ids[1],
                Status::OutOfScope,
                None,
                Some("about pay, not research"),
            )],
            "lead@example.org",
        )
        .unwrap();
    let mut decisions = store.curation("tiny", "ideas").unwrap();
    decisions.sort_by_key(|decision| ids.iter().position(|id| *id == decision.suggestion));
    assert_eq!(
        decisions,
        [
            decide(ids[0], Status::Assigned, Some("a"), None),
            decide(
                ids[1],
                Status::OutOfScope,
                None,
                Some("about pay, not research")
            ),
            decide(ids[2], Status::Assigned, Some("a"), None),
        ]
    );
    let audit = store.audit_log(1).unwrap();
    assert_eq!(audit[0].action, "curate");
    assert!(
        audit[0].detail.contains("out-of-scope"),
        "{}",
        audit[0].detail
    );
    assert!(matches!(
        store.set_curation("tiny", "nope", vec![], "x"),
        Err(StoreError::UnknownRound { .. })
    ));
}

#[test]
fn continuation_counts_respondents_in_both_rounds_by_group() {
    let (_directory, store) = open();
    for round in ["ideas", "top2"] {
        store
            .set_round_state("tiny", round, RoundState::Open, "x")
            .unwrap();
    }
    // Three carers and one young person suggest; two carers go on to rank.
    let mut carers = Vec::new();
    for group in ["carers", "carers", "carers", "young-people"] {
        let respondent = store
            .create_respondent("tiny", group, None)
            .unwrap()
            .respondent;
        store
            .save_answer(Submission {
                round: "ideas".to_string(),
                ..submission(&respondent, Answer::Suggest(vec!["x".to_string()]), None)
            })
            .unwrap();
        if group == "carers" {
            carers.push(respondent);
        }
    }
    for respondent in &carers[..2] {
        store
            .save_answer(submission(respondent, ranking(&["a", "b"]), None))
            .unwrap();
    }
    let continuation = store.continuation("tiny").unwrap();
    assert_eq!(
        continuation,
        [
            store::Continuation {
                from_round: "ideas".to_string(),
                to_round: "top2".to_string(),
                group: "carers".to_string(),
                respondents: 2,
            },
            store::Continuation {
                from_round: "top2".to_string(),
                to_round: "ideas".to_string(),
                group: "carers".to_string(),
                respondents: 2,
            },
        ]
    );
}

#[test]
fn changes_based_on_an_old_version_are_refused() {
    let (_directory, store) = open();
    let changed = ExerciseToml::tiny().title("Tiny, renamed").build();
    let put = store
        .put_exercise_based_on(&changed, "edit", 1, "lead@example.org")
        .unwrap();
    assert_eq!(put.version, 2);
    // A second change made from version 1 would overwrite the first: refused.
    let other = ExerciseToml::tiny().title("Tiny, again").build();
    match store.put_exercise_based_on(&other, "edit", 1, "someone@example.org") {
        Err(StoreError::VersionConflict {
            expected, found, ..
        }) => assert_eq!((expected, found), (1, 2)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(
        store.exercise("tiny").unwrap().unwrap().exercise.title,
        "Tiny, renamed"
    );
}

#[test]
fn an_item_and_its_suggestions_are_stored_together_or_not_at_all() {
    use store::CurationDecision;
    use survey::curation::Status;

    let (_directory, store) = open();
    let with_item = ExerciseToml::tiny().item("d", "Item D").build();
    let decision = CurationDecision {
        suggestion: "r:1".to_string(),
        status: Status::Assigned,
        item: Some("d".to_string()),
        note: None,
    };
    // An unknown round fails the decisions, and so the definition is not stored either.
    assert!(matches!(
        store.put_exercise_and_curate(&with_item, 1, "nope", vec![decision.clone()], "x"),
        Err(StoreError::UnknownRound { .. })
    ));
    assert_eq!(store.exercise("tiny").unwrap().unwrap().version, 1);
    let put = store
        .put_exercise_and_curate(&with_item, 1, "ideas", vec![decision.clone()], "x")
        .unwrap();
    assert_eq!(put.version, 2);
    assert_eq!(store.curation("tiny", "ideas").unwrap(), [decision]);
    assert!(
        store
            .exercise("tiny")
            .unwrap()
            .unwrap()
            .exercise
            .item("d")
            .is_some()
    );
}

#[test]
fn pseudonyms_are_stable_across_opens_and_old_decisions_lose_their_respondent_ids() {
    use store::CurationDecision;
    use survey::curation::Status;

    let (directory, store) = open();
    store
        .set_round_state("tiny", "ideas", RoundState::Open, "x")
        .unwrap();
    let respondent = store
        .create_respondent("tiny", "carers", None)
        .unwrap()
        .respondent;
    let pseudonym = store.pseudonyms().of(&respondent);
    // A decision recorded before pseudonyms, by respondent id.
    store
        .set_curation(
            "tiny",
            "ideas",
            vec![CurationDecision {
                suggestion: format!("{respondent}:1"),
                status: Status::OutOfScope,
                item: None,
                note: Some("old".to_string()),
            }],
            "lead@example.org",
        )
        .unwrap();
    drop(store);
    let reopened = store::Store::open(directory.path().join("test.db")).unwrap();
    assert_eq!(reopened.pseudonyms().of(&respondent), pseudonym);
    let decisions = reopened.curation("tiny", "ideas").unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].suggestion, format!("{pseudonym}:1"));
    // Another database has another key.
    let (_other_directory, other) = open();
    assert_ne!(other.pseudonyms().of(&respondent), pseudonym);
}

#[test]
fn a_drafts_page_is_kept_even_when_the_answer_repeats_the_draft() {
    let (_directory, store) = open();
    open_round(&store);
    let someone = store
        .create_respondent("tiny", "carers", None)
        .unwrap()
        .respondent;
    let draft = || Submission {
        submit: false,
        ..submission(&someone, ranking(&["a", "b"]), None)
    };
    let first = store.save_answer_on_page(draft(), Some(2)).unwrap();
    let current = store
        .current_answer("tiny", "top2", &someone)
        .unwrap()
        .unwrap();
    assert_eq!(current.page, Some(2));
    // The same answer again, from another page: nothing new is stored, but the page moves.
    let again = store.save_answer_on_page(draft(), Some(3)).unwrap();
    assert!(again.replayed);
    assert_eq!(again.receipt, first.receipt);
    let history = store.answer_history("tiny", "top2", &someone).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].page, Some(3));
    // A plain save keeps no page, and a submission none either.
    store
        .save_answer(submission(&someone, ranking(&["b", "a"]), None))
        .unwrap();
    let current = store
        .current_answer("tiny", "top2", &someone)
        .unwrap()
        .unwrap();
    assert!(current.submitted);
    assert_eq!(current.page, None);
}

#[test]
fn schedules_open_and_close_rounds_once_and_refuse_a_close_before_the_open() {
    let (_directory, store) = open();
    let refused = store.set_round_schedule("tiny", "top2", Some(100), Some(100), "lead");
    assert!(
        matches!(refused, Err(StoreError::ScheduleOrder { .. })),
        "{refused:?}"
    );
    assert!(matches!(
        store.set_round_schedule("tiny", "nope", Some(100), None, "lead"),
        Err(StoreError::UnknownRound { .. })
    ));
    store
        .set_round_schedule("tiny", "top2", Some(100), Some(200), "lead")
        .unwrap();
    let status = |store: &Store| store.exercise("tiny").unwrap().unwrap().rounds[1].clone();
    assert_eq!(
        (status(&store).opens_at, status(&store).closes_at),
        (Some(100), Some(200))
    );
    assert!(store.apply_schedule(99).unwrap().is_empty());
    assert_eq!(
        store.apply_schedule(100).unwrap(),
        [("tiny".to_string(), "top2".to_string(), RoundState::Open)]
    );
    assert_eq!(status(&store).opened_at, Some(100));
    assert!(store.apply_schedule(150).unwrap().is_empty());
    assert_eq!(
        store.apply_schedule(250).unwrap(),
        [("tiny".to_string(), "top2".to_string(), RoundState::Closed)]
    );
    assert_eq!(status(&store).closed_at, Some(250));
    // Opened again by hand after its closing time: that time is dropped, and it stays open.
    store
        .set_round_state_at("tiny", "top2", RoundState::Open, "lead", 300)
        .unwrap();
    assert_eq!(status(&store).closes_at, None);
    assert!(store.apply_schedule(400).unwrap().is_empty());
    assert_eq!(status(&store).state, RoundState::Open);
    let log = store.audit_log(20).unwrap();
    let by_schedule: Vec<&str> = log
        .iter()
        .rev()
        .filter(|entry| entry.actor == store::SCHEDULE_ACTOR)
        .map(|entry| entry.action.as_str())
        .collect();
    assert_eq!(by_schedule, ["set round open", "set round closed"]);
    assert!(log.iter().any(|entry| entry.action == "set round schedule"
        && entry.detail == "exercise tiny round top2 opens_at 100 closes_at 200"));
}
