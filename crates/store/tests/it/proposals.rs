//! Stored, versioned proposals and the provenance of decisions.

use std::sync::{Arc, Barrier};

use store::{
    CurationDecision, DecisionSource, NewProposal, PutProposal, Recorded, Store, StoreError,
};
use survey::curation::Status;

use crate::open;

fn proposal(sha: &str, made_by: &str, body: &str) -> NewProposal {
    NewProposal {
        inputs_sha256: sha.to_string(),
        made_by: made_by.to_string(),
        body: body.to_string(),
        summary: "test".to_string(),
    }
}

fn assigned(suggestion: &str, item: &str) -> CurationDecision {
    CurationDecision {
        suggestion: suggestion.to_string(),
        status: Status::Assigned,
        item: Some(item.to_string()),
        note: None,
    }
}

#[test]
fn proposals_are_stored_as_increasing_versions_based_on_the_latest() {
    let (_directory, store) = open();
    assert_eq!(store.latest_proposal("tiny", "top2").unwrap(), None);
    let first = store
        .put_proposal("tiny", "top2", 0, proposal("aaa", "system", "{\"v\":1}"))
        .unwrap();
    assert_eq!(first, PutProposal::Stored(1));
    let second = store
        .put_proposal(
            "tiny",
            "top2",
            1,
            proposal("aaa", "lead@example.org", "{\"v\":2}"),
        )
        .unwrap();
    assert_eq!(second, PutProposal::Stored(2));
    // Made from version 1, which is no longer the latest: not stored, the latest returned.
    let stale = store
        .put_proposal("tiny", "top2", 1, proposal("bbb", "system", "{\"v\":3}"))
        .unwrap();
    let PutProposal::Moved(latest) = stale else {
        panic!("stored a proposal made from an old version: {stale:?}");
    };
    assert_eq!(
        (
            latest.version,
            latest.made_by.as_str(),
            latest.body.as_str()
        ),
        (2, "lead@example.org", "{\"v\":2}")
    );
    let latest = store.latest_proposal("tiny", "top2").unwrap().unwrap();
    assert_eq!((latest.version, latest.inputs_sha256.as_str()), (2, "aaa"));
    assert_eq!(
        store.proposal("tiny", "top2", 1).unwrap().unwrap().body,
        "{\"v\":1}"
    );
    assert_eq!(store.proposal("tiny", "top2", 9).unwrap(), None);
    let versions: Vec<(i64, String)> = store
        .proposal_versions("tiny", "top2")
        .unwrap()
        .into_iter()
        .map(|stored| (stored.version, stored.made_by))
        .collect();
    assert_eq!(
        versions,
        [
            (1, "system".to_string()),
            (2, "lead@example.org".to_string())
        ]
    );
    // Other rounds keep their own versions; an unknown round is refused.
    assert_eq!(
        store
            .put_proposal("tiny", "ideas", 0, proposal("ccc", "system", "{}"))
            .unwrap(),
        PutProposal::Stored(1)
    );
    assert!(matches!(
        store.put_proposal("tiny", "nope", 0, proposal("ccc", "system", "{}")),
        Err(StoreError::UnknownRound { .. })
    ));
    let audit = store.audit_log(5).unwrap();
    assert!(
        audit
            .iter()
            .any(|entry| entry.action == "propose" && entry.detail.contains("top2 proposal 2")),
        "{audit:?}"
    );
}

#[test]
fn two_loads_racing_store_one_version() {
    let (_directory, store) = open();
    let threads = 8;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let (store, barrier): (Store, _) = (store.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                store
                    .put_proposal("tiny", "top2", 0, proposal("same", "system", "{}"))
                    .unwrap()
            })
        })
        .collect();
    let outcomes: Vec<PutProposal> = handles
        .into_iter()
        .map(|handle| handle.join().unwrap())
        .collect();
    let stored = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, PutProposal::Stored(_)))
        .count();
    assert_eq!(stored, 1, "{outcomes:?}");
    for outcome in &outcomes {
        if let PutProposal::Moved(latest) = outcome {
            assert_eq!(latest.version, 1);
        }
    }
    assert_eq!(store.proposal_versions("tiny", "top2").unwrap().len(), 1);
}

#[test]
fn decisions_record_who_when_and_from_which_proposal() {
    let (_directory, store) = open();
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    store
        .put_proposal("tiny", "top2", 0, proposal("x", "system", "{}"))
        .unwrap();
    let accepted = store
        .set_curation_from(
            "tiny",
            "top2",
            vec![assigned("p:1", "a"), assigned("p:2", "a")],
            "lead@example.org",
            DecisionSource {
                proposal_version: Some(1),
                checked_against: Some(1),
                accepted: true,
            },
        )
        .unwrap();
    assert_eq!(accepted, Recorded::Saved(2));
    store
        .set_curation(
            "tiny",
            "top2",
            vec![assigned("p:3", "b")],
            "other@example.org",
        )
        .unwrap();
    let provenance = store.curation_provenance("tiny", "top2").unwrap();
    let summary: Vec<(&str, Option<&str>, Option<i64>)> = provenance
        .iter()
        .map(|row| {
            (
                row.suggestion.as_str(),
                row.decided_by.as_deref(),
                row.proposal_version,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("p:1", Some("lead@example.org"), Some(1)),
            ("p:2", Some("lead@example.org"), Some(1)),
            ("p:3", Some("other@example.org"), None),
        ]
    );
    assert!(provenance.iter().all(|row| row.decided_at >= before));
    let audit = store.audit_log(2).unwrap();
    assert!(
        audit[1]
            .detail
            .ends_with("2 suggestions accepted from proposal 1"),
        "{audit:?}"
    );

    // Once another version is stored, decisions checked against version 1 record nothing.
    store
        .put_proposal("tiny", "top2", 1, proposal("y", "system", "{}"))
        .unwrap();
    let refused = store
        .set_curation_from(
            "tiny",
            "top2",
            vec![assigned("p:1", "b"), assigned("p:4", "b")],
            "lead@example.org",
            DecisionSource {
                proposal_version: Some(1),
                checked_against: Some(1),
                accepted: true,
            },
        )
        .unwrap();
    assert_eq!(refused, Recorded::ProposalMoved { latest: 2 });
    let decisions = store.curation("tiny", "top2").unwrap();
    assert_eq!(decisions.len(), 3);
    assert_eq!(decisions[0], assigned("p:1", "a"));
}
