use super::*;

const VALID: &str = r#"
id = "tiny"
title = "A tiny exercise"
description = "For tests."

[[groups]]
id = "young-people"
label = "Care-experienced young people"

[[groups]]
id = "practitioners"
label = "Practitioners"

[[items]]
id = "mental-health"
title = "Mental health"

[[items]]
id = "transitions"
title = "Transitions"
theme = "Leaving care"

[[items]]
id = "workforce"
title = "Stable workforce"

[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 5

[[rounds]]
id = "rating"
kind = "rate"
scale = { min = 1, max = 9, labels = { 1 = "Not important", 9 = "Critical" } }
method = "delphi"

[[rounds]]
id = "chnri"
kind = "rate"
criteria = [
  { id = "answerability", label = "Is it answerable?" },
  { id = "equity", label = "Would it reduce inequity?", weight = 2.0 },
]
method = "chnri"

[[rounds]]
id = "ranking"
kind = "rank"
items = ["transitions", "mental-health"]
top_k = 1
method = "borda"
weighting = "custom"
group_weights = { young-people = 2.0, practitioners = 1.0 }

[[rounds]]
id = "picks"
kind = "pick"
max_picks = 2

[[rounds]]
id = "pairs"
kind = "pairwise"
"#;

fn errors_of(source: &str) -> Vec<String> {
    match Exercise::parse(source, "surveys/x/exercise.toml") {
        Ok(_) => panic!("expected the definition to be refused"),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    }
}

/// Checks that changing `from` to `to` in the valid definition gives exactly `expected`.
fn check(from: &str, to: &str, expected: &[&str]) {
    assert!(
        VALID.contains(from),
        "test is wrong: `{from}` is not in the definition"
    );
    let source = VALID.replacen(from, to, 1);
    assert_eq!(errors_of(&source), expected);
}

#[test]
fn parses_every_round_kind() {
    let exercise = Exercise::parse(VALID, "tiny.toml").unwrap();
    assert_eq!(exercise.id.as_str(), "tiny");
    assert_eq!(exercise.groups.len(), 2);
    assert_eq!(exercise.items[1].theme.as_deref(), Some("Leaving care"));
    assert_eq!(exercise.disclosure_threshold, DEFAULT_DISCLOSURE_THRESHOLD);
    let kinds: Vec<&str> = exercise
        .rounds
        .iter()
        .map(|round| round.kind.name())
        .collect();
    assert_eq!(
        kinds,
        ["suggest", "rate", "rate", "rank", "pick", "pairwise"]
    );

    let rating = exercise.round("rating").unwrap();
    match &rating.kind {
        RoundKind::Rate {
            scale: Scale::Numeric { min, max, labels },
            allow_dont_know,
            criteria,
        } => {
            assert_eq!((*min, *max), (1, 9));
            assert_eq!(labels.get(&9).map(String::as_str), Some("Critical"));
            assert!(*allow_dont_know);
            assert!(criteria.is_empty());
        }
        other => panic!("unexpected kind {other:?}"),
    }
    assert_eq!(rating.method, Some(Method::Delphi));
    assert_eq!(rating.items, [0, 1, 2]);

    let chnri = exercise.round("chnri").unwrap();
    match &chnri.kind {
        RoundKind::Rate {
            scale, criteria, ..
        } => {
            assert_eq!(*scale, Scale::YesUndecidedNo);
            assert_eq!(criteria[1].weight, 2.0);
        }
        other => panic!("unexpected kind {other:?}"),
    }

    let ranking = exercise.round("ranking").unwrap();
    assert_eq!(ranking.kind, RoundKind::Rank { top_k: 1 });
    assert_eq!(ranking.items, [1, 0]);
    assert_eq!(ranking.weighting, Some(Weighting::Custom));
    assert_eq!(ranking.group_weights.get("young-people"), Some(&2.0));
    let titles: Vec<&str> = exercise
        .round_items(ranking)
        .map(|item| item.title.as_str())
        .collect();
    assert_eq!(titles, ["Transitions", "Mental health"]);

    assert_eq!(
        exercise.round("picks").unwrap().kind,
        RoundKind::Pick { max_picks: 2 }
    );
    assert_eq!(
        exercise.round("ideas").unwrap().kind,
        RoundKind::Suggest {
            max_suggestions: 5,
            max_length: DEFAULT_MAX_SUGGESTION_LENGTH
        }
    );
}

#[test]
fn top_k_all_means_every_item() {
    let source = VALID.replacen("top_k = 1", "top_k = \"all\"", 1);
    let exercise = Exercise::parse(&source, "x.toml").unwrap();
    assert_eq!(
        exercise.round("ranking").unwrap().kind,
        RoundKind::Rank { top_k: 2 }
    );
}

#[test]
fn top_k_larger_than_the_round_names_the_line() {
    check(
        "top_k = 1",
        "top_k = 12",
        &["surveys/x/exercise.toml:51: round `ranking`: `top_k` is 12 but the round has 2 items"],
    );
}

#[test]
fn syntax_errors_name_the_line() {
    let errors = errors_of("id = \"x\"\ntitle = \n");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("surveys/x/exercise.toml:2: "),
        "{}",
        errors[0]
    );
}

#[test]
fn unknown_keys_are_errors_with_the_key_meant() {
    check(
        "theme = \"Leaving care\"",
        "theem = \"Leaving care\"",
        &[
            "surveys/x/exercise.toml:21: item `transitions`: unknown key `theem`: did you mean `theme`?",
        ],
    );
    check(
        "max_picks = 2",
        "max_picks = 2\npicks = 3",
        &[
            "surveys/x/exercise.toml:60: round `picks`: unknown key `picks`: did you mean `max_picks`?",
        ],
    );
    check(
        "title = \"A tiny exercise\"",
        "title = \"A tiny exercise\"\ncolour = \"blue\"",
        &[
            "surveys/x/exercise.toml:4: unknown key `colour`: the exercise may have id, title, description, invite_only, disclosure_threshold, groups, items, rounds and delphi",
        ],
    );
    // Keys of nested tables are named by their path; a required key misspelt is not reported
    // again as missing.
    check(
        "scale = { min = 1, max = 9,",
        "scale = { min = 1, mxa = 9,",
        &[
            "surveys/x/exercise.toml:35: round `rating`: unknown key `scale.mxa`: did you mean `scale.max`?",
        ],
    );
    check(
        "{ id = \"equity\", label",
        "{ id = \"equity\", lable",
        &[
            "surveys/x/exercise.toml:43: round `chnri`: unknown key `criteria.lable`: did you mean `criteria.label`?",
        ],
    );
}

#[test]
fn missing_keys_are_errors_at_their_table() {
    check(
        "title = \"Transitions\"\n",
        "",
        &["surveys/x/exercise.toml:18: item `transitions`: `title` is missing: an item needs one"],
    );
    // A round without a kind cannot be checked further, but the rounds after it are.
    let source =
        VALID
            .replacen("kind = \"suggest\"\n", "", 1)
            .replacen("max_picks = 2", "max_picks = 0", 1);
    assert_eq!(
        errors_of(&source),
        [
            "surveys/x/exercise.toml:27: round `ideas`: `kind` is missing: a round needs one",
            "surveys/x/exercise.toml:58: round `picks`: `max_picks` is 0 but must be at least 1",
        ]
    );
    // An entry without an id is named by its place.
    check(
        "id = \"practitioners\"\n",
        "",
        &[
            "surveys/x/exercise.toml:10: group 2 of `[[groups]]`: `id` is missing: a group needs one",
            "surveys/x/exercise.toml:53: round `ranking`: `group_weights` names `practitioners`, which is not a group",
        ],
    );
}

#[test]
fn values_of_the_wrong_type_are_errors() {
    check(
        "max_suggestions = 5",
        "max_suggestions = \"five\"",
        &[
            "surveys/x/exercise.toml:30: round `ideas`: `max_suggestions` must be a whole number, not text",
        ],
    );
    check(
        "top_k = 1",
        "top_k = true",
        &[
            "surveys/x/exercise.toml:51: round `ranking`: `top_k` must be a whole number or \"all\", not true or false",
        ],
    );
    check(
        "items = [\"transitions\", \"mental-health\"]",
        "items = [\"transitions\", 2, \"mental-health\"]",
        &[
            "surveys/x/exercise.toml:50: round `ranking`: `items` must hold text in quotes, not a whole number",
        ],
    );
    check(
        "group_weights = { young-people = 2.0,",
        "group_weights = { young-people = \"double\",",
        &[
            "surveys/x/exercise.toml:54: round `ranking`: `group_weights.young-people` must be a number, not text",
            "surveys/x/exercise.toml:54: round `ranking`: `group_weights` gives no weight for group `young-people`",
        ],
    );
    check(
        "title = \"A tiny exercise\"",
        "title = 2026-12-07",
        &["surveys/x/exercise.toml:3: `title` must be text in quotes, not a date or time"],
    );
    check(
        "title = \"A tiny exercise\"",
        "title = \"A tiny exercise\"\ndisclosure_threshold = 99999999999999999999",
        &[
            "surveys/x/exercise.toml:4: `disclosure_threshold` must be a whole number, not a whole number too large to use",
        ],
    );
    // Whole numbers are numbers.
    let source = VALID.replacen("weight = 2.0", "weight = 2", 1);
    assert!(Exercise::parse(&source, "x.toml").is_ok());
}

#[test]
fn a_misspelt_key_does_not_hide_the_other_problems() {
    // A misspelt key, a value of the wrong type and a problem of meaning, given out of order:
    // all three are reported, in the order of their lines.
    let source = VALID
        .replacen("max_picks = 2", "max_picks = 0", 1)
        .replacen(
            "title = \"A tiny exercise\"",
            "titel = \"A tiny exercise\"",
            1,
        )
        .replacen("theme = \"Leaving care\"", "theme = 3", 1);
    assert_eq!(
        errors_of(&source),
        [
            "surveys/x/exercise.toml:3: unknown key `titel`: did you mean `title`?",
            "surveys/x/exercise.toml:21: item `transitions`: `theme` must be text in quotes, not a whole number",
            "surveys/x/exercise.toml:59: round `picks`: `max_picks` is 0 but must be at least 1",
        ]
    );
    // A required key missing with no misspelling to explain it is reported.
    check(
        "title = \"A tiny exercise\"\n",
        "",
        &["surveys/x/exercise.toml:1: `title` is missing: the exercise needs one"],
    );
}

#[test]
fn every_syntax_error_is_reported() {
    let errors = errors_of("id = \"x\"\ntitle = \n[[groups]\nid = \"a\"\n");
    assert!(errors.len() >= 2, "{errors:?}");
    assert!(
        errors[0].starts_with("surveys/x/exercise.toml:2: "),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("surveys/x/exercise.toml:3: "),
        "{}",
        errors[1]
    );
}

#[test]
fn close_keys_are_suggested_and_far_ones_are_not() {
    let known = ["id", "title", "description", "theme", "max_picks", "top_k"];
    for (typed, expected) in [
        ("titel", Some("title")),
        ("Title", Some("title")),
        ("descripton", Some("description")),
        ("theem", Some("theme")),
        ("picks", Some("max_picks")),
        ("topk", Some("top_k")),
        ("ib", Some("id")),
        ("colour", None),
        ("x", None),
    ] {
        assert_eq!(shape::closest(typed, &known), expected, "{typed}");
    }
    assert_eq!(shape::edit_distance("titel", "title"), 1);
    assert_eq!(shape::edit_distance("kitten", "sitting"), 3);
    assert_eq!(shape::edit_distance("", "abc"), 3);
    assert_eq!(shape::edit_distance("ca", "abc"), 3);
}

#[test]
fn every_class_of_bad_definition_is_explained() {
    check(
        "id = \"young-people\"",
        "id = \"Young People\"",
        &[
            "surveys/x/exercise.toml:7: group `Young People`: `id`: `Young People` is not a valid id: use lowercase letters a-z, digits, `-` and `_`, starting with a letter or digit (found 'Y')",
            "surveys/x/exercise.toml:54: round `ranking`: `group_weights` names `young-people`, which is not a group",
            "surveys/x/exercise.toml:54: round `ranking`: `group_weights` gives no weight for group `Young People`",
        ],
    );
    check(
        "id = \"workforce\"",
        "id = \"transitions\"",
        &[
            "surveys/x/exercise.toml:24: item `transitions`: `id` repeats the item defined at line 19",
        ],
    );
    check(
        "items = [\"transitions\", \"mental-health\"]",
        "items = [\"transitions\", \"housing\", \"transitions\"]",
        &[
            "surveys/x/exercise.toml:50: round `ranking`: `items` names `housing`, which is not an item",
            "surveys/x/exercise.toml:50: round `ranking`: `items` lists `transitions` twice",
            "surveys/x/exercise.toml:50: round `ranking`: a rank round needs at least 2 items but has 1",
        ],
    );
    check(
        "kind = \"pairwise\"",
        "kind = \"compare\"",
        &[
            "surveys/x/exercise.toml:63: round `pairs`: `kind` is `compare` but must be one of: suggest, rate, rank, pick, pairwise",
        ],
    );
    check(
        "method = \"borda\"",
        "method = \"mean\"",
        &[
            "surveys/x/exercise.toml:52: round `ranking`: `method` is `mean`, which does not fit ranking data (it fits rating)",
        ],
    );
    check(
        "method = \"borda\"",
        "method = \"bordaa\"",
        &[
            "surveys/x/exercise.toml:52: round `ranking`: `method`: unknown method `bordaa` (expected one of: borda, points, dowdall, count, copeland, schulze, kemeny, plackett-luce, bradley-terry, win-rate, mean, median, top-box, delphi, rand-ucla, chnri)",
        ],
    );
    // A round that lists its items must fit them at once.
    check(
        "top_k = 1",
        "top_k = 3",
        &["surveys/x/exercise.toml:51: round `ranking`: `top_k` is 3 but the round has 2 items"],
    );
    check(
        "max_suggestions = 5",
        "max_suggestions = 0",
        &[
            "surveys/x/exercise.toml:30: round `ideas`: `max_suggestions` is 0 but must be at least 1",
        ],
    );
    check(
        "max_suggestions = 5",
        "max_suggestions = 5\ntop_k = 3",
        &[
            "surveys/x/exercise.toml:31: round `ideas`: `top_k` applies to rank rounds, not to a suggest round",
        ],
    );
    check(
        "scale = { min = 1, max = 9, labels = { 1 = \"Not important\", 9 = \"Critical\" } }",
        "scale = { min = 9, max = 1, labels = { 10 = \"Off\" } }",
        &[
            "surveys/x/exercise.toml:35: round `rating`: `scale.max` is 1 but must be more than `scale.min` (9)",
            "surveys/x/exercise.toml:35: round `rating`: `scale.labels` has a label for 10, which is off the scale 9-1",
        ],
    );
    check(
        "group_weights = { young-people = 2.0, practitioners = 1.0 }",
        "group_weights = { young-people = -2.0 }",
        &[
            "surveys/x/exercise.toml:54: round `ranking`: `group_weights.young-people` is -2 but must be zero or more",
            "surveys/x/exercise.toml:54: round `ranking`: `group_weights` gives no weight for group `practitioners`",
        ],
    );
    check(
        "weighting = \"custom\"",
        "weighting = \"pooled\"",
        &[
            "surveys/x/exercise.toml:54: round `ranking`: `group_weights` applies only with `weighting = \"custom\"`",
        ],
    );
    check(
        "criteria = [",
        "scale = { min = 1, max = 5 }\ncriteria = [",
        &[
            "surveys/x/exercise.toml:41: round `chnri`: `scale` does not apply when `criteria` are given: criteria are answered yes, undecided or no",
        ],
    );
}

#[test]
fn all_problems_are_reported_at_once() {
    let source = VALID
        .replacen("max_picks = 2", "max_picks = 0", 1)
        .replacen("top_k = 1", "top_k = 0", 1);
    assert_eq!(errors_of(&source).len(), 2);
}

#[test]
fn rounds_after_a_suggest_round_that_ask_about_every_item_are_checked_when_opened() {
    // The pick round follows the suggest round and asks about every item: more items may come
    // from the suggestions, so the definition is valid, but the round cannot open yet.
    let source = VALID.replacen("max_picks = 2", "max_picks = 4", 1);
    let exercise = Exercise::parse(&source, "tiny.toml").unwrap();
    assert_eq!(
        exercise.round("picks").unwrap().ready(),
        Err("round `picks` asks about 3 items but needs at least 4: add items from the suggestions first".to_string())
    );
}

#[test]
fn an_exercise_needs_groups_and_rounds() {
    let errors = errors_of("id = \"x\"\ntitle = \"X\"\n");
    assert_eq!(
        errors,
        [
            "surveys/x/exercise.toml:1: no stakeholder groups: add at least one `[[groups]]` table",
            "surveys/x/exercise.toml:1: no rounds: add at least one `[[rounds]]` table",
        ]
    );
}

#[test]
fn delphi_settings_feedback_and_evidence_parse() {
    let source = VALID
        .replacen(
            "title = \"Stable workforce\"",
            "title = \"Stable workforce\"\nevidence = \"Cochrane review CD000001 (2025)\"\nanswered = true",
            1,
        )
        .replacen(
            "[[rounds]]\nid = \"chnri\"",
            "[[rounds]]\nid = \"rerate\"\nkind = \"rate\"\nscale = { min = 1, max = 9 }\nfeedback_from = \"rating\"\nfeedback_by = \"group\"\n\n[[rounds]]\nid = \"chnri\"",
            1,
        )
        + "\n[delphi]\nagreement = 0.75\nstop = \"stability\"\nstable_change = 0.1\nstop_share = 0.8\n";
    let exercise = Exercise::parse(&source, "tiny.toml").unwrap();
    let workforce = exercise.item("workforce").unwrap();
    assert!(workforce.answered);
    assert_eq!(
        workforce.evidence.as_deref(),
        Some("Cochrane review CD000001 (2025)")
    );
    // Rounds that ask about every item leave the answered item out.
    assert_eq!(exercise.round("rating").unwrap().items, [0, 1]);
    let rerate = exercise.round("rerate").unwrap();
    assert_eq!(
        rerate.feedback,
        Some(Feedback {
            from: 1,
            by: FeedbackBy::Group
        })
    );
    assert_eq!(exercise.round("rating").unwrap().feedback, None);
    assert_eq!(exercise.delphi.thresholds.agreement, 0.75);
    assert_eq!(exercise.delphi.thresholds.dissent, 0.15);
    assert_eq!(
        exercise.delphi.stopping,
        StoppingRule::Stability {
            max_change: 0.1,
            share: 0.8
        }
    );
    assert_eq!(
        Exercise::parse(VALID, "tiny.toml").unwrap().delphi,
        Delphi::default()
    );
}

#[test]
fn bad_delphi_settings_feedback_and_evidence_name_the_line() {
    check(
        "title = \"Stable workforce\"",
        "title = \"Stable workforce\"\nanswered = true",
        &[
            "surveys/x/exercise.toml:26: item `workforce`: `answered` is true but `evidence` is missing: give the reference that answers it",
        ],
    );
    check(
        "method = \"delphi\"",
        "method = \"delphi\"\nfeedback_from = \"ranking\"",
        &[
            "surveys/x/exercise.toml:37: round `rating`: `feedback_from` names `ranking`, which is not an earlier round",
        ],
    );
    check(
        "max_picks = 2",
        "max_picks = 2\nfeedback_from = \"rating\"",
        &[
            "surveys/x/exercise.toml:60: round `picks`: `feedback_from` applies to rate rounds, not to a pick round",
        ],
    );
    check(
        "method = \"delphi\"",
        "method = \"delphi\"\nfeedback_by = \"everyone\"",
        &[
            "surveys/x/exercise.toml:37: round `rating`: `feedback_by` is `everyone` but must be `overall` or `group`",
            "surveys/x/exercise.toml:37: round `rating`: `feedback_by` needs `feedback_from`, the earlier rating round to show",
        ],
    );
    check(
        "kind = \"pairwise\"",
        "kind = \"pairwise\"\n\n[delphi]\nagreement = 70\nstop = \"sometimes\"",
        &[
            "surveys/x/exercise.toml:66: [delphi]: `agreement` is 70 but must be a share more than 0 and at most 1 (0.7 is 70%)",
            "surveys/x/exercise.toml:67: [delphi]: `stop` is `sometimes` but must be one of: rounds, consensus, stability",
        ],
    );
    // A round may not list an item set aside as answered.
    let source = VALID.replacen(
        "title = \"Transitions\"",
        "title = \"Transitions\"\nevidence = \"NICE guideline NG205\"\nanswered = true",
        1,
    );
    assert_eq!(
        errors_of(&source),
        [
            "surveys/x/exercise.toml:52: round `ranking`: `items` names `transitions`, which is marked answered by existing evidence",
            "surveys/x/exercise.toml:52: round `ranking`: a rank round needs at least 2 items but has 1",
        ]
    );
}

#[test]
fn rounds_after_a_suggest_round_may_wait_for_curated_items() {
    let source = r#"
id = "fresh"
title = "Before curation"

[[groups]]
id = "all"
label = "Everyone"

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
top_k = 10
"#;
    let exercise = Exercise::parse(source, "fresh.toml").unwrap();
    assert!(exercise.round("rate").unwrap().items.is_empty());
    assert_eq!(
        exercise.round("rank").unwrap().ready(),
        Err("round `rank` asks about 0 items but needs at least 10: add items from the suggestions first".to_string())
    );
    assert_eq!(exercise.round("ideas").unwrap().ready(), Ok(()));
    let valid = Exercise::parse(VALID, "tiny.toml").unwrap();
    assert!(valid.rounds.iter().all(|round| round.ready().is_ok()));
    // Without a suggest round first, a round still needs its items.
    let errors =
        errors_of(&source.replacen("kind = \"suggest\"", "kind = \"pick\"\nmax_picks = 1", 1));
    assert!(
        errors
            .iter()
            .any(|error| error.contains("needs at least 2 items")),
        "{errors:?}"
    );
}

#[test]
fn answer_limits_say_what_one_answer_to_each_round_may_hold() {
    let exercise = Exercise::parse(VALID, "tiny.toml").unwrap();
    let check = |round: &str, most_entries: Option<usize>, max_length: Option<usize>| {
        assert_eq!(
            exercise.round(round).unwrap().answer_limits(),
            AnswerLimits {
                most_entries,
                max_length
            },
            "round `{round}`"
        );
    };
    check(
        "ideas",
        Some(5),
        Some(DEFAULT_MAX_SUGGESTION_LENGTH as usize),
    );
    check("rating", None, None);
    check("chnri", None, None);
    check("ranking", Some(1), None);
    check("picks", Some(2), None);
    check("pairs", Some(MAX_CHOICES), None);
}

#[test]
fn an_items_matching_text_is_its_title_then_its_description() {
    let source = VALID.replacen(
        "title = \"Mental health\"",
        "title = \"Mental health\"\ndescription = \"Support after leaving care\"",
        1,
    );
    let exercise = Exercise::parse(&source, "tiny.toml").unwrap();
    assert_eq!(
        exercise.item("mental-health").unwrap().matching_text(),
        "Mental health. Support after leaving care"
    );
    assert_eq!(
        exercise.item("transitions").unwrap().matching_text(),
        "Transitions"
    );
}

/// The valid definition with `extra` more items after its three.
fn with_extra_items(extra: usize) -> String {
    let items: String = (0..extra)
        .map(|index| format!("[[items]]\nid = \"extra-{index}\"\ntitle = \"Extra {index}\"\n\n"))
        .collect();
    VALID.replacen("[[rounds]]", &format!("{items}[[rounds]]"), 1)
}

#[test]
fn an_exercise_holds_at_most_max_items() {
    let full = Exercise::parse(&with_extra_items(MAX_ITEMS - 3), "x.toml").unwrap();
    assert_eq!(full.items.len(), MAX_ITEMS);
    let source = with_extra_items(MAX_ITEMS - 2);
    // The first item too many is the 1,001st: its `[[items]]` table starts on this line.
    let line = source
        .lines()
        .position(|line| line == format!("id = \"extra-{}\"", MAX_ITEMS - 3))
        .unwrap();
    assert_eq!(
        errors_of(&source),
        [format!(
            "surveys/x/exercise.toml:{line}: `[[items]]`: the exercise defines {} items but may \
             define at most {MAX_ITEMS}",
            MAX_ITEMS + 1
        )]
    );
}

#[test]
fn the_three_round_template_is_valid_as_it_is() {
    let source = include_str!("../../../../surveys/templates/three-rounds.toml");
    let exercise = Exercise::parse(source, "surveys/templates/three-rounds.toml").unwrap();
    let kinds: Vec<&str> = exercise
        .rounds
        .iter()
        .map(|round| round.kind.name())
        .collect();
    assert_eq!(kinds, ["suggest", "rate", "rank"]);
    assert_eq!(exercise.groups.len(), 8);
    // The items come from the suggestions: the rounds after the first wait for them.
    assert!(exercise.items.is_empty());
    assert!(exercise.round("rank").unwrap().ready().is_err());
    // Every key is explained: each line that sets a key follows a comment or has one.
    let lines: Vec<&str> = source.lines().collect();
    for (index, line) in lines.iter().enumerate() {
        let sets_a_key = !line.starts_with('#') && line.contains(" = ");
        let in_groups = lines[..index]
            .iter()
            .rev()
            .find(|earlier| earlier.starts_with('['))
            .is_some_and(|header| *header == "[[groups]]");
        if sets_a_key && !in_groups && !line.starts_with("id = ") {
            let explained = (0..index)
                .rev()
                .take_while(|&earlier| !lines[earlier].is_empty())
                .any(|earlier| lines[earlier].starts_with('#'));
            assert!(explained, "line {} has no comment: {line}", index + 1);
        }
    }
}

#[test]
fn rounds_show_a_random_order_unless_fixed_with_a_reason() {
    use crate::definition::ItemOrder;
    let exercise = Exercise::parse(VALID, "tiny.toml").unwrap();
    assert!(
        exercise
            .rounds
            .iter()
            .all(|round| round.order == ItemOrder::Random)
    );
    let source = VALID.replacen(
        "max_picks = 2",
        "max_picks = 2\norder = \"fixed\"\norder_reason = \"the items follow a care pathway\"",
        1,
    );
    let exercise = Exercise::parse(&source, "tiny.toml").unwrap();
    assert_eq!(
        exercise.round("picks").unwrap().order,
        ItemOrder::Fixed {
            reason: "the items follow a care pathway".to_string()
        }
    );
}

#[test]
fn a_fixed_order_without_a_reason_is_refused_naming_the_field() {
    check(
        "max_picks = 2",
        "max_picks = 2\norder = \"fixed\"",
        &[
            "surveys/x/exercise.toml:60: round `picks`: `order` is `fixed` but `order_reason` is missing: say why everyone should see the items in the same order (a random order per respondent is the default because the order items are shown in can change the answers)",
        ],
    );
    check(
        "max_picks = 2",
        "max_picks = 2\norder = \"fixed\"\norder_reason = \"  \"",
        &[
            "surveys/x/exercise.toml:61: round `picks`: `order_reason` cannot be empty: say why everyone sees the same order",
        ],
    );
    check(
        "max_picks = 2",
        "max_picks = 2\norder = \"shuffled\"\norder_reason = \"because\"",
        &[
            "surveys/x/exercise.toml:60: round `picks`: `order` is `shuffled` but must be `random` or `fixed`",
        ],
    );
}
