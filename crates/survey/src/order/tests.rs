use super::*;
use crate::Exercise;

fn exercise(order: &str) -> Exercise {
    let source = format!(
        "id = \"x\"\ntitle = \"X\"\n[[groups]]\nid = \"all\"\nlabel = \"All\"\n\
         [[items]]\nid = \"a\"\ntitle = \"A\"\n[[items]]\nid = \"b\"\ntitle = \"B\"\n\
         [[items]]\nid = \"c\"\ntitle = \"C\"\n[[items]]\nid = \"d\"\ntitle = \"D\"\n\
         [[items]]\nid = \"e\"\ntitle = \"E\"\n[[items]]\nid = \"f\"\ntitle = \"F\"\n\
         [[rounds]]\nid = \"rate\"\nkind = \"rate\"\nscale = {{ min = 1, max = 9 }}\n{order}\n\
         [[rounds]]\nid = \"pairs\"\nkind = \"pairwise\"\n"
    );
    Exercise::parse(&source, "x.toml").unwrap()
}

#[test]
fn the_same_seed_draws_the_same_order_and_other_seeds_others() {
    let items: Vec<usize> = (0..10).collect();
    let first = drawn_order(&seed_from_parts(&["x", "rate", "alice"]), &items);
    let again = drawn_order(&seed_from_parts(&["x", "rate", "alice"]), &items);
    let other = drawn_order(&seed_from_parts(&["x", "rate", "bob"]), &items);
    assert_eq!(first, again);
    assert_ne!(first, other);
    let mut sorted = first.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, items, "a drawn order holds every item once");
}

#[test]
fn each_item_is_first_about_as_often_as_any_other() {
    let items: Vec<usize> = (0..4).collect();
    let mut first_counts = [0u32; 4];
    for respondent in 0..4000 {
        let order = drawn_order(
            &seed_from_parts(&["x", "r", &respondent.to_string()]),
            &items,
        );
        first_counts[order[0]] += 1;
    }
    for count in first_counts {
        // 1,000 expected; the standard deviation is about 27.
        assert!((880..=1120).contains(&count), "{first_counts:?}");
    }
}

#[test]
fn a_fixed_round_keeps_the_definitions_order_and_a_random_one_does_not() {
    let fixed = exercise("order = \"fixed\"\norder_reason = \"the items follow a care pathway\"");
    let round = fixed.round("rate").unwrap();
    assert_eq!(fixed_reason(round), Some("the items follow a care pathway"));
    let seed = seed_from_parts(&["someone"]);
    assert_eq!(round_as_shown(round, &seed).items, round.items);

    let random = exercise("");
    let round = random.round("rate").unwrap();
    let orders: std::collections::BTreeSet<Vec<usize>> = (0..20)
        .map(|respondent| round_as_shown(round, &seed_from_parts(&[&respondent.to_string()])).items)
        .collect();
    assert!(
        orders.len() > 15,
        "20 respondents see {} orders",
        orders.len()
    );
}

#[test]
fn pairs_show_each_item_first_about_half_the_time() {
    let exercise = exercise("");
    let round = exercise.round("pairs").unwrap();
    let mut a_first = 0;
    let respondents = 2000;
    for respondent in 0..respondents {
        let seed = seed_from_parts(&["x", "pairs", &respondent.to_string()]);
        let shown = pair_as_shown(round, &seed, ["a", "b"]);
        // The same pair named the other way round is shown the same way.
        assert_eq!(shown, pair_as_shown(round, &seed, ["b", "a"]));
        if shown[0] == "a" {
            a_first += 1;
        }
    }
    // 1,000 expected; the standard deviation is about 22.
    assert!(
        (900..=1100).contains(&a_first),
        "{a_first} of {respondents}"
    );
}

#[test]
fn a_shown_order_round_trips_through_json() {
    let items = ShownOrder::Items(vec!["b".into(), "a".into()]);
    assert_eq!(items.to_json(), r#"["b","a"]"#);
    assert_eq!(ShownOrder::from_json(&items.to_json()), Some(items));
    let pairs = ShownOrder::Pairs(vec![["b".into(), "a".into()]]);
    assert_eq!(pairs.to_json(), r#"[["b","a"]]"#);
    assert_eq!(ShownOrder::from_json(&pairs.to_json()), Some(pairs));
    assert_eq!(ShownOrder::from_json("not json"), None);
}
