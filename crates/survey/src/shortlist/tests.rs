use super::*;

const EXERCISE: &str = r#"
id = "short"
title = "Shortlist test"

[[groups]]
id = "young-people"
label = "Young people"
[[groups]]
id = "carers"
label = "Carers"
[[groups]]
id = "few"
label = "A few"

[[items]]
id = "a"
title = "A"
[[items]]
id = "b"
title = "B"
[[items]]
id = "c"
title = "C"

[[rounds]]
id = "ideas"
kind = "suggest"
max_suggestions = 3

[[rounds]]
id = "first"
kind = "rank"

[[rounds]]
id = "more-ideas"
kind = "suggest"
max_suggestions = 3

[[rounds]]
id = "final"
kind = "rank"
"#;

fn exercise() -> Exercise {
    Exercise::parse(EXERCISE, "short.toml").unwrap()
}

/// Overall: a, b, c; young people rank c first; carers do not rank b.
fn ranked() -> RankedItems {
    RankedItems::from_rankings(
        &[("a", 1), ("b", 2), ("c", 3)],
        &[
            ("young-people", vec![("c", 1), ("a", 2), ("b", 3)]),
            ("carers", vec![("a", 1), ("c", 2), ("z", 1)]),
        ],
    )
}

#[test]
fn rankings_by_id_become_ranks_by_index() {
    let ranked = ranked();
    assert_eq!(ranked.items, ["a", "b", "c"]);
    assert_eq!(ranked.overall, [1, 2, 3]);
    assert_eq!(ranked.groups, ["young-people", "carers"]);
    assert_eq!(ranked.group_ranks, [vec![2, 3, 1], vec![1, usize::MAX, 2]]);
}

fn choice<'a>(rule: &'a str, k: usize, group: Option<&'a str>, j: usize) -> ShortlistChoice<'a> {
    ShortlistChoice {
        rule: Some(rule),
        k: Some(k),
        group,
        j: Some(j),
    }
}

#[test]
fn rules_are_named_checked_and_worded() {
    let (exercise, groups) = (exercise(), ranked().groups);
    let rule = |choice| shortlist_rule(&exercise, choice, &groups);
    assert_eq!(
        rule(ShortlistChoice::default()),
        Ok((
            ShortlistRule::Top { k: 10 },
            "the top 10 overall".to_string()
        ))
    );
    assert_eq!(
        rule(choice("group-union", 2, None, 1)),
        Ok((
            ShortlistRule::GroupUnion { k: 2 },
            "every item in the top 2 of any group".to_string()
        ))
    );
    assert_eq!(
        rule(choice("protected", 1, Some("carers"), 2)),
        Ok((
            ShortlistRule::Protected {
                k: 1,
                group: 1,
                j: 2
            },
            "the top 1 overall and the top 2 of Carers".to_string()
        ))
    );
    let refusals = [
        (choice("bogus", 0, None, 1), "k", "k must be at least 1"),
        (
            choice("bogus", 1, None, 1),
            "rule",
            "`rule` is `bogus` but must be top, group-union or protected",
        ),
        (
            choice("protected", 1, Some("carers"), 0),
            "j",
            "j must be at least 1",
        ),
        (
            choice("protected", 1, Some(""), 1),
            "group",
            "choose the protected group",
        ),
        (
            choice("protected", 1, Some("nope"), 1),
            "group",
            "there is no group `nope`",
        ),
        (
            choice("protected", 1, Some("few"), 1),
            "group",
            "A few has too few answers in this round to be shown on its own, so it cannot be the protected group",
        ),
    ];
    for (asked, field, message) in refusals {
        let error = rule(asked).unwrap_err();
        assert_eq!(
            (error.field(), error.to_string().as_str()),
            (field, message)
        );
    }
}

#[test]
fn a_shortlist_lists_every_item_with_its_reasons_in_words() {
    let exercise = exercise();
    let lines = shortlist(
        &exercise,
        &ranked(),
        ShortlistRule::Protected {
            k: 1,
            group: 0,
            j: 1,
        },
    );
    let shown: Vec<(usize, usize, bool, Vec<&str>)> = lines
        .iter()
        .map(|line| {
            let reasons = line.reasons.iter().map(String::as_str).collect();
            (line.item, line.rank, line.included, reasons)
        })
        .collect();
    assert_eq!(
        shown,
        [
            (0, 1, true, vec!["ranked 1 overall"]),
            (1, 2, false, vec![]),
            (
                2,
                3,
                true,
                vec!["ranked 1 by Young people (protected group)"]
            ),
        ]
    );
    let union = shortlist(&exercise, &ranked(), ShortlistRule::GroupUnion { k: 1 });
    assert_eq!(union[0].reasons, ["ranked 1 by Carers"]);
}

#[test]
fn the_shortlist_goes_to_a_later_round_that_asks_about_items() {
    let exercise = exercise();
    assert_eq!(next_round(&exercise, "ideas").unwrap().id.as_str(), "first");
    assert_eq!(next_round(&exercise, "first").unwrap().id.as_str(), "final");
    assert!(next_round(&exercise, "final").is_none());
    assert_eq!(
        target_round(&exercise, "first", None).unwrap().id.as_str(),
        "final"
    );
    let refused = |round: &str, into: Option<&str>| {
        target_round(&exercise, round, into)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        refused("final", None),
        "no round comes after `final` to take the shortlist"
    );
    assert_eq!(refused("first", Some("nope")), "there is no round `nope`");
    assert_eq!(
        refused("first", Some("more-ideas")),
        "`more-ideas` must be a later round that asks about items"
    );
    assert_eq!(
        refused("final", Some("first")),
        "`first` must be a later round that asks about items"
    );
}
