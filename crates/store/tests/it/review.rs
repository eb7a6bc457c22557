//! The second reviewer's check of curation decisions.

use store::{CurationDecision, StoreError};
use survey::curation::{Review, Status};

use crate::open;

const ROUND: &str = "ideas";

fn assigned(suggestion: &str, item: &str) -> CurationDecision {
    CurationDecision {
        suggestion: suggestion.to_string(),
        status: Status::Assigned,
        item: Some(item.to_string()),
        note: None,
    }
}

fn ids(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}

#[test]
fn someone_else_marks_a_decision_and_a_changed_decision_clears_the_mark() {
    let (_directory, store) = open();
    store
        .set_curation(
            "tiny",
            ROUND,
            vec![assigned("p1:1", "a"), assigned("p2:1", "b")],
            "lead@example.org",
        )
        .unwrap();

    // The decider cannot check their own decision; nothing is marked.
    let own = store
        .set_review(
            "tiny",
            ROUND,
            &ids(&["p1:1", "p2:1"]),
            Some(Review::Reviewed),
            None,
            "lead@example.org",
        )
        .unwrap_err();
    assert!(
        matches!(&own, StoreError::SelfReview { suggestion, .. } if suggestion == "p1:1"),
        "{own:?}"
    );
    assert!(
        own.to_string()
            .contains("a second reviewer must be someone else")
    );
    assert!(
        store
            .reviews("tiny", ROUND)
            .unwrap()
            .iter()
            .all(|row| row.review.is_none())
    );

    // Someone else can; who, when and the note are kept, and the audit log says so.
    let outcome = store
        .set_review(
            "tiny",
            ROUND,
            &ids(&["p1:1", "p2:1"]),
            Some(Review::Queried),
            Some("  is this really about b?  "),
            "second@example.org",
        )
        .unwrap();
    assert_eq!(outcome.marked, 2);
    assert_eq!(outcome.without_decider, 0);
    let reviews = store.reviews("tiny", ROUND).unwrap();
    assert_eq!(reviews.len(), 2);
    for row in &reviews {
        assert_eq!(row.decided_by.as_deref(), Some("lead@example.org"));
        assert_eq!(row.review, Some(Review::Queried));
        assert_eq!(row.note.as_deref(), Some("is this really about b?"));
        assert_eq!(row.reviewed_by.as_deref(), Some("second@example.org"));
        assert!(row.reviewed_at.unwrap() > 1_700_000_000);
    }
    let audit = store.audit_log(1).unwrap();
    assert_eq!(audit[0].actor, "second@example.org");
    assert_eq!(audit[0].action, "review");
    assert_eq!(
        audit[0].detail,
        "exercise tiny round ideas 2 suggestions queried: is this really about b?"
    );

    // Recording the same decision again keeps the mark; changing it clears it.
    store
        .set_curation(
            "tiny",
            ROUND,
            vec![assigned("p1:1", "a")],
            "lead@example.org",
        )
        .unwrap();
    store
        .set_curation(
            "tiny",
            ROUND,
            vec![assigned("p2:1", "a")],
            "lead@example.org",
        )
        .unwrap();
    let reviews = store.reviews("tiny", ROUND).unwrap();
    let of = |id: &str| reviews.iter().find(|row| row.suggestion == id).unwrap();
    assert_eq!(of("p1:1").review, Some(Review::Queried));
    assert_eq!(of("p2:1").review, None);
    assert_eq!(of("p2:1").reviewed_by, None);
}

#[test]
fn only_decided_suggestions_are_marked_and_a_missing_decider_lets_anyone() {
    let (_directory, store) = open();
    store
        .set_curation(
            "tiny",
            ROUND,
            vec![
                assigned("p1:1", "a"),
                CurationDecision {
                    suggestion: "p3:1".to_string(),
                    status: Status::Unassigned,
                    item: None,
                    note: None,
                },
            ],
            "lead@example.org",
        )
        .unwrap();
    let undecided = store
        .set_review(
            "tiny",
            ROUND,
            &ids(&["p1:1", "p3:1"]),
            Some(Review::Reviewed),
            None,
            "second@example.org",
        )
        .unwrap_err();
    assert!(matches!(&undecided, StoreError::NotDecided(id) if id == "p3:1"));
    // All or nothing: p1:1 was not marked either.
    assert!(store.reviews("tiny", ROUND).unwrap()[0].review.is_none());
    let unknown = store
        .set_review(
            "tiny",
            ROUND,
            &ids(&["nobody:1"]),
            Some(Review::Reviewed),
            None,
            "second@example.org",
        )
        .unwrap_err();
    assert!(matches!(unknown, StoreError::NotDecided(_)));
    let round = store
        .set_review("tiny", "nope", &ids(&["p1:1"]), None, None, "x")
        .unwrap_err();
    assert!(matches!(round, StoreError::UnknownRound { .. }));

    // A decision recorded without a decider (as before decisions recorded one) may be checked
    // by anyone, and the outcome says how many were so.
    store
        .set_curation("tiny", ROUND, vec![assigned("p4:1", "b")], "")
        .unwrap();
    let outcome = store
        .set_review(
            "tiny",
            ROUND,
            &ids(&["p4:1"]),
            Some(Review::Reviewed),
            None,
            "lead@example.org",
        )
        .unwrap();
    assert_eq!(outcome.without_decider, 1);
    // Clearing a mark.
    let cleared = store
        .set_review(
            "tiny",
            ROUND,
            &ids(&["p4:1"]),
            None,
            None,
            "second@example.org",
        )
        .unwrap();
    assert_eq!(cleared.marked, 1);
    let reviews = store.reviews("tiny", ROUND).unwrap();
    assert!(reviews.iter().all(|row| row.review.is_none()));
    assert_eq!(
        store.audit_log(1).unwrap()[0].detail,
        "exercise tiny round ideas suggestion p4:1 review cleared"
    );
}
