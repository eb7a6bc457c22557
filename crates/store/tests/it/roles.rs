//! Roles per exercise, invitations to a role, and published snapshots.

use std::time::Duration;

use store::{Role, StoreError};

use super::open;

const HASH: &str = "$argon2id$v=19$fake";

#[test]
fn accounts_made_before_roles_own_every_exercise() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("old.db");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        for (index, migration) in store::MIGRATIONS[..4].iter().enumerate() {
            connection.execute_batch(migration).unwrap();
            connection
                .execute_batch(&format!("PRAGMA user_version = {}", index + 1))
                .unwrap();
        }
        connection
            .execute(
                "INSERT INTO admins (email, password_hash, created_at) VALUES ('old@example.org', 'x', 0)",
                [],
            )
            .unwrap();
    }
    let store = store::Store::open(&path).unwrap();
    store
        .put_exercise(test_support::TINY_EXERCISE, "exercise.toml", "x")
        .unwrap();
    let old = store.admin_by_email("old@example.org").unwrap().unwrap();
    assert!(old.all_exercises);
    assert_eq!(store.role_in(old.id, "tiny").unwrap(), Some(Role::Owner));
    assert_eq!(
        store.role_in(old.id, "not-made-yet").unwrap(),
        Some(Role::Owner)
    );
    assert_eq!(
        store.roles_of(old.id).unwrap(),
        vec![("tiny".to_string(), Role::Owner)]
    );
}

#[test]
fn invitations_work_once_and_give_the_role() {
    let (_directory, store) = open();
    let owner = store.add_admin("owner@example.org", HASH).unwrap();
    assert_eq!(store.role_in(owner, "tiny").unwrap(), Some(Role::Owner));
    let token = store
        .create_account_invite(
            "tiny",
            "Ada@Example.org",
            Role::Advisory,
            Duration::from_secs(3600),
            "owner@example.org",
        )
        .unwrap();
    let invite = store.account_invite(&token).unwrap().unwrap();
    assert_eq!(
        (invite.email.as_str(), invite.exercise.as_str(), invite.role),
        ("Ada@Example.org", "tiny", Role::Advisory)
    );
    assert!(!invite.account_exists);
    assert_eq!(
        store.pending_invites("tiny").unwrap()[0].email,
        "Ada@Example.org"
    );
    // A new account needs a password.
    assert!(matches!(
        store.accept_account_invite(&token, None).unwrap_err(),
        StoreError::PasswordRequired
    ));
    let ada = store.accept_account_invite(&token, Some(HASH)).unwrap();
    assert!(!ada.all_exercises);
    assert_eq!(store.role_in(ada.id, "tiny").unwrap(), Some(Role::Advisory));
    assert_eq!(store.role_in(ada.id, "other").unwrap(), None);
    assert!(store.pending_invites("tiny").unwrap().is_empty());
    // Once only.
    assert!(store.account_invite(&token).unwrap().is_none());
    assert!(matches!(
        store.accept_account_invite(&token, Some(HASH)).unwrap_err(),
        StoreError::InvitationNotValid
    ));
    // An expired link does nothing.
    let expired = store
        .create_account_invite("tiny", "bo@example.org", Role::Lead, Duration::ZERO, "x")
        .unwrap();
    assert!(store.account_invite(&expired).unwrap().is_none());
    assert!(matches!(
        store
            .accept_account_invite(&expired, Some(HASH))
            .unwrap_err(),
        StoreError::InvitationNotValid
    ));
    assert!(store.admin_by_email("bo@example.org").unwrap().is_none());
    // An invitation to an existing account changes its role, keeping its password.
    let again = store
        .create_account_invite(
            "tiny",
            "ada@example.org",
            Role::Lead,
            Duration::from_secs(60),
            "x",
        )
        .unwrap();
    assert!(
        store
            .account_invite(&again)
            .unwrap()
            .unwrap()
            .account_exists
    );
    let same = store.accept_account_invite(&again, None).unwrap();
    assert_eq!(same.id, ada.id);
    assert_eq!(store.role_in(ada.id, "tiny").unwrap(), Some(Role::Lead));
    // Not an email, an unknown exercise.
    assert!(matches!(
        store
            .create_account_invite(
                "tiny",
                "not an email",
                Role::Lead,
                Duration::from_secs(60),
                "x"
            )
            .unwrap_err(),
        StoreError::NotAnEmail(_)
    ));
    assert!(matches!(
        store
            .create_account_invite(
                "nope",
                "a@example.org",
                Role::Lead,
                Duration::from_secs(60),
                "x"
            )
            .unwrap_err(),
        StoreError::UnknownExercise(_)
    ));
}

#[test]
fn role_changes_are_audited_and_owners_of_everything_keep_theirs() {
    let (_directory, store) = open();
    store.add_admin("owner@example.org", HASH).unwrap();
    let token = store
        .create_account_invite(
            "tiny",
            "ada@example.org",
            Role::Advisory,
            Duration::from_secs(60),
            "owner@example.org",
        )
        .unwrap();
    let ada = store.accept_account_invite(&token, Some(HASH)).unwrap();
    store
        .set_role("tiny", "ada@example.org", Role::Lead, "owner@example.org")
        .unwrap();
    assert_eq!(store.role_in(ada.id, "tiny").unwrap(), Some(Role::Lead));
    let members = store.members("tiny").unwrap();
    assert_eq!(
        members
            .iter()
            .map(|member| (member.email.as_str(), member.role, member.all_exercises))
            .collect::<Vec<_>>(),
        vec![
            ("owner@example.org", Role::Owner, true),
            ("ada@example.org", Role::Lead, false)
        ]
    );
    assert!(matches!(
        store
            .set_role("tiny", "owner@example.org", Role::Advisory, "x")
            .unwrap_err(),
        StoreError::OwnsEveryExercise(_)
    ));
    assert!(matches!(
        store
            .set_role("tiny", "nobody@example.org", Role::Advisory, "x")
            .unwrap_err(),
        StoreError::UnknownAccount(_)
    ));
    assert!(
        store
            .remove_role("tiny", "ada@example.org", "owner@example.org")
            .unwrap()
    );
    assert!(
        !store
            .remove_role("tiny", "ada@example.org", "owner@example.org")
            .unwrap()
    );
    assert_eq!(store.role_in(ada.id, "tiny").unwrap(), None);
    let log: Vec<(String, String, String)> = store
        .audit_log(20)
        .unwrap()
        .into_iter()
        .map(|entry| (entry.actor, entry.action, entry.detail))
        .collect();
    for expected in [
        (
            "owner@example.org",
            "invite to role",
            "exercise tiny email ada@example.org as advisory",
        ),
        (
            "ada@example.org",
            "accept invitation",
            "exercise tiny as advisory (invited by owner@example.org)",
        ),
        (
            "owner@example.org",
            "set role",
            "exercise tiny account ada@example.org from advisory to lead",
        ),
        (
            "owner@example.org",
            "remove role",
            "exercise tiny account ada@example.org was lead",
        ),
    ] {
        assert!(
            log.iter().any(|(actor, action, detail)| (
                actor.as_str(),
                action.as_str(),
                detail.as_str()
            ) == expected),
            "{expected:?} not in {log:#?}"
        );
    }
    // Advisory downloads: off by default, audited when changed.
    assert!(!store.advisory_downloads("tiny").unwrap());
    store
        .set_advisory_downloads("tiny", true, "owner@example.org")
        .unwrap();
    assert!(store.advisory_downloads("tiny").unwrap());
    assert_eq!(
        store.audit_log(1).unwrap()[0].action,
        "allow advisory downloads"
    );
}

#[test]
fn publications_are_frozen_and_withdrawn() {
    let (_directory, store) = open();
    assert!(store.current_publication("tiny").unwrap().is_none());
    let first = store
        .publish(
            "tiny",
            "top2",
            "abc",
            "{\"a\":1}".to_string(),
            "<p>1</p>".to_string(),
            "lead",
        )
        .unwrap();
    let second = store
        .publish(
            "tiny",
            "top2",
            "def",
            "{\"a\":2}".to_string(),
            "<p>2</p>".to_string(),
            "lead",
        )
        .unwrap();
    assert!(second > first);
    let current = store.current_publication("tiny").unwrap().unwrap();
    assert_eq!(
        (
            current.id,
            current.inputs_sha256.as_str(),
            current.snapshot.as_str()
        ),
        (second, "def", "{\"a\":2}")
    );
    assert_eq!(store.publications("tiny").unwrap().len(), 2);
    assert!(store.unpublish("tiny", "lead").unwrap());
    assert!(store.current_publication("tiny").unwrap().is_none());
    assert!(!store.unpublish("tiny", "lead").unwrap());
    let actions: Vec<String> = store
        .audit_log(3)
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert_eq!(
        actions,
        ["unpublish results", "publish results", "publish results"]
    );
    assert!(matches!(
        store
            .publish("nope", "r", "x", String::new(), String::new(), "lead")
            .unwrap_err(),
        StoreError::UnknownExercise(_)
    ));
}
