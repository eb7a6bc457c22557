use proptest::prelude::*;

use super::*;
use crate::responses::read_responses;

const EXERCISE: &str = r#"
id = "cur"
title = "Curation test"

[[groups]]
id = "young-people"
label = "Young people"
[[groups]]
id = "carers"
label = "Carers"

[[items]]
id = "mental-health"
title = "Mental health"
[[items]]
id = "transitions"
title = "Transitions"

[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 3
"#;

fn exercise() -> Exercise {
    Exercise::parse(EXERCISE, "cur.toml").unwrap()
}

const GOOD: &str = "\
suggestion,respondent,group,text,status,item,cluster,similarity,note
r1:1,r1,young-people,How can we improve mental health?,assigned,mental-health,0,0.82,
r1:2,r1,young-people,More youth clubs,out-of-scope,,,,not a research question
r2:1,r2,carers,'=SUM(A1),proposed,transitions,1,0.4,
r3:1,r3,carers,\"Leaving care, at 18\",proposed,,2,,
r4:1,r4,young-people,Mental health support,unassigned,,0,,check with the team
";

fn read(text: &str) -> Result<Curation, CurationError> {
    read_curation(text.as_bytes(), "curation.csv", Some(&exercise()))
}

/// Reads `text` (a header line is added) and expects an error with this line, field and a
/// message containing `fragment`.
fn check_error(rows: &str, line: u64, field: Option<&str>, fragment: &str) {
    let text = format!("{}\n{rows}", HEADER.join(","));
    let error = read(&text).expect_err("the file is refused");
    assert_eq!(error.line, Some(line), "{error}");
    assert_eq!(
        error.context,
        field.map(|field| Place::Field(field.to_string())),
        "{error}"
    );
    assert!(
        error.message.contains(fragment),
        "`{error}` should contain `{fragment}`"
    );
}

#[test]
fn a_good_file_reads_with_every_field() {
    let curation = read(GOOD).unwrap();
    assert_eq!(curation.suggestions.len(), 5);
    let first = &curation.suggestions[0];
    assert_eq!(
        first,
        &CuratedSuggestion {
            id: "r1:1".to_string(),
            respondent: "r1".to_string(),
            group: "young-people".to_string(),
            text: "How can we improve mental health?".to_string(),
            status: Status::Assigned,
            item: Some("mental-health".to_string()),
            cluster: Some(0),
            similarity: Some(0.82),
            note: None,
        }
    );
    assert_eq!(curation.suggestions[1].status, Status::OutOfScope);
    assert_eq!(
        curation.suggestions[1].note.as_deref(),
        Some("not a research question")
    );
    // The neutralised formula is restored to what the respondent wrote.
    assert_eq!(curation.suggestions[2].text, "=SUM(A1)");
    assert_eq!(curation.suggestions[3].text, "Leaving care, at 18");
    assert_eq!(curation.suggestions[3].item, None);
    assert_eq!(curation.suggestions[3].similarity, None);
}

#[test]
fn writing_then_reading_gives_the_same_curation_and_neutralises_formulas() {
    let curation = read(GOOD).unwrap();
    let written = write_curation(&curation, Vec::new()).unwrap();
    let text = String::from_utf8(written).unwrap();
    assert!(
        text.starts_with("suggestion,respondent,group,text,status,item,cluster,similarity,note\n")
    );
    assert!(text.contains(",'=SUM(A1),"), "{text}");
    assert_eq!(read(&text).unwrap(), curation);
}

#[test]
fn counts_by_item_and_group() {
    let curation = read(GOOD).unwrap();
    // Only accepted assignments count for items: the proposed `transitions` does not.
    assert_eq!(
        curation.suggestions_per_item(),
        BTreeMap::from([("mental-health", 1)])
    );
    assert_eq!(
        curation.suggestions_per_group(),
        BTreeMap::from([("carers", 2), ("young-people", 3)])
    );
    assert_eq!(
        curation.out_of_scope_per_group(),
        BTreeMap::from([("young-people", 1)])
    );
    assert_eq!(
        curation.suggestions_per_item_and_group(),
        BTreeMap::from([("mental-health", BTreeMap::from([("young-people", 1)]))])
    );
    assert_eq!(
        curation.status_counts(),
        [
            (Status::Proposed, 2),
            (Status::Assigned, 1),
            (Status::OutOfScope, 1),
            (Status::Unassigned, 1)
        ]
    );
    let ids: Vec<&str> = curation
        .assigned_to("mental-health")
        .map(|suggestion| suggestion.id.as_str())
        .collect();
    assert_eq!(ids, ["r1:1"]);
    assert_eq!(curation.suggestion("r3:1").unwrap().group, "carers");
}

#[test]
fn statuses_have_names_both_ways() {
    for status in Status::ALL {
        assert_eq!(Status::parse(status.as_str()), Some(status));
        assert_eq!(status.as_str().parse::<Status>(), Ok(status));
    }
    assert_eq!(Status::OutOfScope.to_string(), "out-of-scope");
    assert_eq!(Status::parse("Assigned"), None);
    assert_eq!(
        "done".parse::<Status>().unwrap_err().to_string(),
        "unknown status `done`: expected proposed, assigned, out-of-scope or unassigned"
    );
}

#[test]
fn suggestion_ids_count_each_respondents_suggestions_in_file_order() {
    assert_eq!(
        suggestion_ids(["r1", "r2", "r1", "r1", "r3", "r2"]),
        ["r1:1", "r2:1", "r1:2", "r1:3", "r3:1", "r2:2"]
    );
    assert!(suggestion_ids([]).is_empty());
}

#[test]
fn a_suggestions_file_becomes_an_unassigned_curation_with_the_same_ids() {
    let file =
        "respondent,group,text\nr1,young-people,First\nr2,carers,Second\nr1,young-people,Third\n";
    let exercise = exercise();
    let responses = read_responses(file.as_bytes(), "ideas.csv", None)
        .unwrap()
        .responses;
    let curation = Curation::unassigned(&responses).unwrap();
    let rows: Vec<(&str, &str, &str)> = curation
        .suggestions
        .iter()
        .map(|suggestion| {
            (
                suggestion.id.as_str(),
                suggestion.group.as_str(),
                suggestion.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("r1:1", "young-people", "First"),
            ("r1:2", "young-people", "Third"),
            ("r2:1", "carers", "Second")
        ]
    );
    assert!(
        curation
            .suggestions
            .iter()
            .all(|suggestion| suggestion.status == Status::Unassigned)
    );
    // The same ids as `suggestion_ids` gives from the file's rows.
    let mut from_rows = suggestion_ids(["r1", "r2", "r1"]);
    from_rows.sort();
    let mut from_curation: Vec<String> = curation
        .suggestions
        .iter()
        .map(|suggestion| suggestion.id.clone())
        .collect();
    from_curation.sort();
    assert_eq!(from_rows, from_curation);
    // And the whole thing is a valid curation file.
    let written = write_curation(&curation, Vec::new()).unwrap();
    assert_eq!(
        read_curation(written.as_slice(), "c.csv", Some(&exercise)).unwrap(),
        curation
    );

    let ranking = read_responses(
        "respondent,group,item,rank\nr1,g,a,1\n".as_bytes(),
        "r.csv",
        None,
    )
    .unwrap()
    .responses;
    assert!(Curation::unassigned(&ranking).is_none());
}

#[test]
fn a_wrong_header_is_refused() {
    let error =
        read("suggestion,respondent,group,text,status,item\nr1:1,r1,carers,x,unassigned,\n")
            .unwrap_err();
    assert_eq!(error.line, Some(1));
    assert!(
        error
            .message
            .contains("the header is `suggestion,respondent,group,text,status,item`"),
        "{error}"
    );
    let error = read("").unwrap_err();
    assert!(error.message.contains("the file is empty"), "{error}");
    // A byte-order mark is not part of the header.
    let with_bom = format!("\u{feff}{GOOD}");
    assert_eq!(read(&with_bom).unwrap().suggestions.len(), 5);
}

#[test]
fn bad_rows_name_the_line_and_field() {
    check_error(
        "r1:1,r1,carers,Text,done,,,,\n",
        2,
        Some("status"),
        "unknown status `done`",
    );
    check_error(
        "r1:1,r1,carers,Text,unassigned,,,,\nr1:2,r1,carers,Text,assigned,,,,\n",
        3,
        Some("item"),
        "an assigned suggestion needs the id of the item",
    );
    check_error(
        "r1:1,r1,carers,Text,assigned,housing,,,\n",
        2,
        Some("item"),
        "exercise `cur` has no item `housing`",
    );
    check_error(
        "r1:1,r1,carers,Text,out-of-scope,transitions,,,\n",
        2,
        Some("item"),
        "a suggestion marked out-of-scope has no item",
    );
    check_error(
        "r1:1,r1,carers,Text,unassigned,,,,\nr2:1,r2,carers,Other,unassigned,,,,\nr1:1,r1,carers,Again,unassigned,,,,\n",
        4,
        Some("suggestion"),
        "the suggestion `r1:1` is already on line 2",
    );
    check_error(
        "r1:1,r1,parents,Text,unassigned,,,,\n",
        2,
        Some("group"),
        "exercise `cur` has no group `parents`",
    );
    check_error(
        "r2:1,r1,carers,Text,unassigned,,,,\n",
        2,
        Some("suggestion"),
        "the suggestion id `r2:1` is not `r1:N`",
    );
    check_error(
        "r1:0,r1,carers,Text,unassigned,,,,\n",
        2,
        Some("suggestion"),
        "is not `r1:N`",
    );
    check_error(
        "r1,r1,carers,Text,unassigned,,,,\n",
        2,
        Some("suggestion"),
        "is not `r1:N`",
    );
    check_error(
        "r1:1,r1,carers,Text,proposed,,-1,,\n",
        2,
        Some("cluster"),
        "the cluster `-1` is not a whole number",
    );
    check_error(
        "r1:1,r1,carers,Text,proposed,,,1.5,\n",
        2,
        Some("similarity"),
        "the similarity `1.5` is not a number from 0 to 1",
    );
    check_error(
        "r1:1,r1,carers,Text,proposed,,,NaN,\n",
        2,
        Some("similarity"),
        "is not a number from 0 to 1",
    );
    check_error("r1:1,r1,carers,,unassigned,,,,\n", 2, Some("text"), "empty");
    check_error(
        ",r1,carers,Text,unassigned,,,,\n",
        2,
        Some("suggestion"),
        "empty",
    );
    check_error(
        "r1:1,r1,carers,Text,unassigned,,,\n",
        2,
        None,
        "the row has 8 fields but the header has 9",
    );
}

#[test]
fn without_an_exercise_any_group_and_item_are_accepted() {
    let text = format!(
        "{}\nr1:1,r1,parents,Text,assigned,housing,,,\n",
        HEADER.join(",")
    );
    let curation = read_curation(text.as_bytes(), "c.csv", None).unwrap();
    assert_eq!(curation.suggestions[0].item.as_deref(), Some("housing"));
}

#[test]
fn errors_render_with_the_file_line_and_field() {
    let error = read(&format!(
        "{}\nr1:1,r1,carers,Text,done,,,,\n",
        HEADER.join(",")
    ))
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "curation.csv:2: field `status`: unknown status `done`: expected proposed, assigned, out-of-scope or unassigned"
    );
}

fn status() -> impl Strategy<Value = Status> {
    proptest::sample::select(Status::ALL.to_vec())
}

fn suggestion() -> impl Strategy<Value = CuratedSuggestion> {
    (
        "[a-z0-9'=+@-]{1,8}",
        1u32..5,
        "[a-z][a-z-]{0,10}",
        "[^\u{0}-\u{8}\u{b}\u{c}\u{e}-\u{1f}\u{7f}]{0,30}",
        status(),
        proptest::option::of("[a-z][a-z0-9-]{0,10}"),
        proptest::option::of(any::<u32>()),
        proptest::option::of(0.0..=1.0f64),
        proptest::option::of("[^\u{0}-\u{8}\u{b}\u{c}\u{e}-\u{1f}\u{7f}]{0,20}"),
    )
        .prop_map(
            |(respondent, number, group, text, status, item, cluster, similarity, note)| {
                let item = match status {
                    Status::Assigned => Some(item.unwrap_or_else(|| "item".to_string())),
                    Status::Proposed => item,
                    Status::OutOfScope | Status::Unassigned => None,
                };
                CuratedSuggestion {
                    id: format!("{respondent}:{number}"),
                    respondent,
                    group,
                    text: if text.trim().is_empty() {
                        format!("x{text}")
                    } else {
                        text
                    },
                    status,
                    item,
                    cluster,
                    similarity,
                    note: note.filter(|note| !note.trim().is_empty()),
                }
            },
        )
}

proptest! {
    #[test]
    fn reading_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_curation(bytes.as_slice(), "c.csv", Some(&exercise()));
    }

    #[test]
    fn reading_arbitrary_rows_after_the_header_never_panics(rows in "[a-z0-9:,'=\"\n .-]{0,300}") {
        let text = format!("{}\n{rows}", HEADER.join(","));
        let _ = read_curation(text.as_bytes(), "c.csv", Some(&exercise()));
        let _ = read_curation(text.as_bytes(), "c.csv", None);
    }

    #[test]
    fn curations_round_trip(suggestions in proptest::collection::vec(suggestion(), 0..8)) {
        // Ids must be unique: keep the first of each.
        let mut seen = std::collections::BTreeSet::new();
        let suggestions: Vec<CuratedSuggestion> = suggestions
            .into_iter()
            .filter(|suggestion| seen.insert(suggestion.id.clone()))
            .collect();
        let curation = Curation { suggestions };
        let written = write_curation(&curation, Vec::new()).unwrap();
        let read_back = read_curation(written.as_slice(), "c.csv", None)
            .unwrap_or_else(|error| panic!("{error}\n{}", String::from_utf8_lossy(&written)));
        prop_assert_eq!(read_back, curation);
    }
}

// ---------------------------------------------------------------------------------------------
// The curation view and the checks of decisions.

fn stored_suggestion(id: &str, group: &str, text: &str) -> Suggestion {
    Suggestion {
        id: id.to_string(),
        respondent: id.split(':').next().unwrap().to_string(),
        group: group.to_string(),
        text: text.to_string(),
    }
}

fn decision(suggestion: &str, status: Status, item: Option<&str>, note: Option<&str>) -> Decision {
    Decision {
        suggestion: suggestion.to_string(),
        status,
        item: item.map(str::to_string),
        note: note.map(str::to_string),
    }
}

/// Four suggestions in two proposed groups: the first matches `mental-health`. One is
/// assigned, one out of scope, one `proposed` by an imported file (not yet a decision).
fn view() -> CurationView {
    let suggestions = [
        stored_suggestion("r1:1", "young-people", "Mental health support"),
        stored_suggestion("r2:1", "carers", "Help with mental health"),
        stored_suggestion("r2:2", "carers", "More youth clubs"),
        stored_suggestion("r3:1", "young-people", "Better mental health care"),
    ];
    let decisions = [
        decision("r1:1", Status::Assigned, Some("mental-health"), None),
        decision(
            "r2:2",
            Status::OutOfScope,
            None,
            Some("not a research question"),
        ),
        decision("r3:1", Status::Proposed, Some("mental-health"), None),
    ];
    let proposal = [
        ProposedGroup {
            members: vec![0, 1, 3],
            item: Some(ProposedMatch {
                item: 0,
                similarity: 0.8,
                confidence: MatchConfidence::High,
                words: vec!["mental".into(), "health".into()],
            }),
        },
        ProposedGroup {
            members: vec![2],
            item: None,
        },
    ];
    CurationView::build(
        &exercise(),
        "ideas",
        3,
        &suggestions,
        &decisions,
        1,
        &proposal,
    )
}

#[test]
fn the_view_counts_decisions_per_item_group_and_status() {
    let view = view();
    assert_eq!(
        (view.total, view.assigned, view.out_of_scope, view.undecided),
        (4, 1, 1, 2)
    );
    let statuses: Vec<(&str, Status)> = view
        .suggestions
        .iter()
        .map(|row| (row.id.as_str(), row.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("r1:1", Status::Assigned),
            ("r2:1", Status::Unassigned),
            ("r3:1", Status::Unassigned),
            ("r2:2", Status::OutOfScope),
        ]
    );
    assert_eq!(view.clusters[0].undecided, 2);
    assert_eq!(
        view.clusters[0].proposed_item.as_deref(),
        Some("mental-health")
    );
    assert_eq!(view.clusters[1].similarity, None);
    let mental_health = &view.items[0];
    assert_eq!(mental_health.suggestions, 1);
    assert_eq!(
        mental_health.by_group,
        BTreeMap::from([("young-people".to_string(), 1)])
    );
    assert_eq!(view.items[1].suggestions, 0);
    let counts: Vec<(&str, usize, usize, usize, usize)> = view
        .groups
        .iter()
        .map(|g| {
            (
                g.group.as_str(),
                g.suggestions,
                g.assigned,
                g.out_of_scope,
                g.undecided,
            )
        })
        .collect();
    assert_eq!(
        counts,
        [("young-people", 2, 1, 0, 1), ("carers", 2, 0, 1, 1)]
    );
    assert_eq!(view.acceptable(), 2);
}

#[test]
fn the_view_as_a_curation_file_carries_the_proposals_of_undecided_suggestions() {
    let curation = view().to_curation();
    let undecided = curation.suggestion("r2:1").unwrap();
    assert_eq!(undecided.status, Status::Proposed);
    assert_eq!(undecided.item.as_deref(), Some("mental-health"));
    assert_eq!(
        (undecided.cluster, undecided.similarity),
        (Some(1), Some(0.8))
    );
    let out = curation.suggestion("r2:2").unwrap();
    assert_eq!((out.status, out.item.clone()), (Status::OutOfScope, None));
}

#[test]
fn accepting_proposals_assigns_the_undecided_of_matched_groups() {
    let view = view();
    let accepted = view.accept_proposals(None).unwrap();
    let ids: Vec<&str> = accepted.iter().map(|d| d.suggestion.as_str()).collect();
    assert_eq!(ids, ["r2:1", "r3:1"]);
    assert!(accepted.iter().all(|d| d.status == Status::Assigned));
    assert_eq!(view.accept_proposals(Some(&[1])).unwrap(), []);
    assert_eq!(view.accept_proposals(Some(&[2])), Err(UnknownCluster(2)));
    assert_eq!(
        UnknownCluster(2).to_string(),
        "there is no proposed group 2"
    );
}

#[test]
fn decisions_are_checked_in_order_with_their_field() {
    let (exercise, view) = (exercise(), view());
    let check = |suggestion: &str, status: &str, item: Option<&str>, note: Option<&str>| {
        check_decision(
            &exercise,
            &view,
            suggestion,
            DecisionInput { status, item, note },
        )
    };
    let long = "x".repeat(501);
    let cases: [(Result<Decision, DecisionError>, Option<&str>, &str); 6] = [
        (
            check("r9:1", "bogus", None, None),
            None,
            "round `ideas` has no suggestion `r9:1`",
        ),
        (
            check("r1:1", "bogus", None, Some(&long)),
            Some("note"),
            "the note is longer than 500 characters",
        ),
        (
            check("r1:1", "proposed", None, None),
            Some("status"),
            "`status` is `proposed` but must be assigned, out-of-scope or unassigned",
        ),
        (
            check("r1:1", "assigned", Some(""), None),
            Some("item"),
            "choose the item the suggestion belongs to",
        ),
        (
            check("r1:1", "assigned", Some("nope"), None),
            Some("item"),
            "there is no item `nope`",
        ),
        (
            check("r1:1", "out-of-scope", None, Some("  ")),
            Some("note"),
            "say why the suggestion is out of scope (it is kept and counted, and the reason is reported)",
        ),
    ];
    for (outcome, field, message) in cases {
        let error = outcome.expect_err(message);
        assert_eq!(
            (error.field(), error.to_string().as_str()),
            (field, message)
        );
    }
    assert_eq!(
        check("r2:1", "assigned", Some("transitions"), Some(" why ")),
        Ok(decision(
            "r2:1",
            Status::Assigned,
            Some("transitions"),
            Some("why")
        ))
    );
    assert_eq!(
        check("r2:1", "unassigned", Some("transitions"), None),
        Ok(decision("r2:1", Status::Unassigned, None, None))
    );
}

#[test]
fn a_new_item_needs_a_wording_and_the_round_s_suggestions() {
    let (exercise, view) = (exercise(), view());
    let made = check_new_item(
        &exercise,
        &view,
        "  Youth clubs  ",
        None,
        &["r2:2".to_string()],
    )
    .unwrap();
    assert_eq!(
        (made.id.as_str(), made.title.as_str()),
        ("youth-clubs", "Youth clubs")
    );
    assert_eq!(
        made.decisions,
        [decision(
            "r2:2",
            Status::Assigned,
            Some("youth-clubs"),
            None
        )]
    );
    let refused = |title: &str, suggestions: &[&str]| {
        let suggestions: Vec<String> = suggestions.iter().map(|s| s.to_string()).collect();
        let error = check_new_item(&exercise, &view, title, Some("x"), &suggestions).unwrap_err();
        (error.field(), error.to_string())
    };
    assert_eq!(
        refused(" ", &[]),
        ("title", "give the item's wording".to_string())
    );
    assert_eq!(
        refused(&"w".repeat(301), &[]),
        (
            "title",
            "the wording is longer than 300 characters".to_string()
        )
    );
    assert_eq!(
        refused("Fine", &["r9:9"]),
        (
            "suggestions",
            "round `ideas` has no suggestion `r9:9`".to_string()
        )
    );
}
