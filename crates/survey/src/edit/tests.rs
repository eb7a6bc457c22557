use super::*;

const SOURCE: &str = r#"# A small exercise, with comments that must survive edits.
id = "tiny"
title = "Tiny"

[[groups]]
id = "all"
label = "Everyone"

[[items]]
id = "early-help"
title = "Early help"

[[items]]
id = "caseloads"
title = "Caseloads" # the workforce item

[[items]]
id = "kinship"
title = "Kinship care"

# Round one: ideas.
[[rounds]]
id = "ideas"
kind = "suggest"

[[rounds]]
id = "rate"
kind = "rate"
scale = { min = 1, max = 9 }

[[rounds]]
id = "rank"
kind = "rank"
top_k = 2
"#;

#[test]
fn adding_an_item_keeps_items_together_and_comments() {
    let changed = add_item(
        SOURCE,
        "adoption",
        &NewItem {
            title: "Adoption support".to_string(),
            description: Some("After the order".to_string()),
            theme: None,
        },
    )
    .unwrap();
    assert!(changed.contains("# A small exercise, with comments that must survive edits."));
    assert!(changed.contains("title = \"Caseloads\" # the workforce item"));
    assert!(changed.contains("# Round one: ideas."));
    let exercise = Exercise::parse(&changed, "x").unwrap();
    let ids: Vec<&str> = exercise.items.iter().map(|item| item.id.as_str()).collect();
    assert_eq!(ids, ["early-help", "caseloads", "kinship", "adoption"]);
    assert_eq!(
        exercise.item("adoption").unwrap().description.as_deref(),
        Some("After the order")
    );
    // The new table sits before the first round in the text.
    let new_at = changed.find("id = \"adoption\"").unwrap();
    let rounds_at = changed.find("[[rounds]]").unwrap();
    assert!(new_at < rounds_at, "{changed}");
    // The rate round asks about every item, so it now has four.
    assert_eq!(exercise.round("rate").unwrap().items.len(), 4);
}

#[test]
fn adding_items_to_a_definition_without_items() {
    let source = SOURCE.split("[[items]]").next().unwrap().to_string()
        + &SOURCE[SOURCE.find("# Round one").unwrap()..];
    assert!(Exercise::parse(&source, "x").unwrap().items.is_empty());
    let once = add_item(
        &source,
        "a",
        &NewItem {
            title: "A".into(),
            ..NewItem::default()
        },
    )
    .unwrap();
    let twice = add_item(
        &once,
        "b",
        &NewItem {
            title: "B".into(),
            ..NewItem::default()
        },
    )
    .unwrap();
    let exercise = Exercise::parse(&twice, "x").unwrap();
    assert_eq!(exercise.items.len(), 2);
    assert_eq!(exercise.round("rank").unwrap().items, [0, 1]);
    assert!(
        twice.find("id = \"b\"").unwrap() < twice.find("[[rounds]]").unwrap(),
        "{twice}"
    );
}

#[test]
fn refuses_taken_ids_empty_titles_and_bad_ids() {
    let taken = add_item(
        SOURCE,
        "caseloads",
        &NewItem {
            title: "X".into(),
            ..NewItem::default()
        },
    );
    assert!(matches!(taken, Err(EditError::ItemExists(id)) if id == "caseloads"));
    let empty = add_item(
        SOURCE,
        "x",
        &NewItem {
            title: "  ".into(),
            ..NewItem::default()
        },
    );
    assert!(matches!(empty, Err(EditError::Empty("title"))));
    let bad = add_item(
        SOURCE,
        "Not A Slug",
        &NewItem {
            title: "X".into(),
            ..NewItem::default()
        },
    );
    assert!(matches!(bad, Err(EditError::Invalid(_))));
}

#[test]
fn changing_wording_and_evidence() {
    let changed = change_item(
        SOURCE,
        "kinship",
        &ItemChange {
            title: Some("Support for kinship carers".to_string()),
            evidence: Some(Some("Cochrane review CD006546 (2020)".to_string())),
            answered: Some(true),
            ..ItemChange::default()
        },
    )
    .unwrap();
    let exercise = Exercise::parse(&changed, "x").unwrap();
    let kinship = exercise.item("kinship").unwrap();
    assert_eq!(kinship.title, "Support for kinship carers");
    assert!(kinship.answered);
    // Answered items leave rounds that ask about every item.
    assert_eq!(exercise.round("rate").unwrap().items, [0, 1]);
    let back = change_item(
        &changed,
        "kinship",
        &ItemChange {
            answered: Some(false),
            evidence: Some(None),
            ..ItemChange::default()
        },
    )
    .unwrap();
    let kinship = Exercise::parse(&back, "x")
        .unwrap()
        .item("kinship")
        .cloned()
        .unwrap();
    assert!(!kinship.answered);
    assert_eq!(kinship.evidence, None);
    assert!(matches!(
        change_item(SOURCE, "nothing", &ItemChange::default()),
        Err(EditError::UnknownItem(_))
    ));
}

#[test]
fn answered_without_evidence_is_refused() {
    let result = change_item(
        SOURCE,
        "kinship",
        &ItemChange {
            answered: Some(true),
            ..ItemChange::default()
        },
    );
    match result {
        Err(EditError::Invalid(errors)) => {
            assert!(
                errors.to_string().contains("`evidence` is missing"),
                "{errors}"
            )
        }
        other => panic!("expected an invalid definition, got {other:?}"),
    }
}

#[test]
fn setting_a_round_s_items() {
    let changed = set_round_items(SOURCE, "rank", &["kinship", "early-help"]).unwrap();
    assert!(
        changed.contains("items = [\n  \"kinship\",\n  \"early-help\",\n]"),
        "{changed}"
    );
    let exercise = Exercise::parse(&changed, "x").unwrap();
    assert_eq!(exercise.round("rank").unwrap().items, [2, 0]);
    // Replacing the list again keeps one `items` key.
    let again = set_round_items(&changed, "rank", &["caseloads", "kinship", "early-help"]).unwrap();
    assert_eq!(again.matches("items = [").count(), 1);
    assert!(matches!(
        set_round_items(SOURCE, "later", &["kinship"]),
        Err(EditError::UnknownRound(_))
    ));
    // Fewer items than the round's top_k is refused, naming the problem.
    match set_round_items(SOURCE, "rank", &["kinship"]) {
        Err(EditError::Invalid(errors)) => {
            assert!(
                errors.to_string().contains("needs at least 2 items"),
                "{errors}"
            )
        }
        other => panic!("expected an invalid definition, got {other:?}"),
    }
}

#[test]
fn new_ids_come_from_titles_and_never_collide() {
    let taken = ["early-help", "early-help-2"];
    assert_eq!(new_item_id("Kinship care", taken), "kinship-care");
    assert_eq!(new_item_id("Early help", taken), "early-help-3");
    assert_eq!(
        new_item_id(
            "How can we keep brothers and sisters together in care?",
            taken
        ),
        "how-can-we-keep-brothers"
    );
    assert_eq!(new_item_id("???", taken), "item");
}
