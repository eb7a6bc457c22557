//! Item order per respondent: each person's own order, the same on every visit, recorded as
//! shown; a fixed order where the definition says why; pairs shown each way about equally.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use survey::order::ShownOrder;

use crate::pages::Browser;
use crate::{Call, open, respondent, router, test_app};

const EXAMPLE: &str = "childrens-social-care";

fn example_source() -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../surveys/childrens-social-care/exercise.toml"),
    )
    .unwrap()
}

/// The item ids of a rating page's questions, in the order the page shows them.
fn rated_items(html: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for (index, _) in html.match_indices("name=\"rating-") {
        let rest = &html[index + "name=\"rating-".len()..];
        let item = rest[..rest.find('"').unwrap()].to_string();
        if !items.contains(&item) {
            items.push(item);
        }
    }
    items
}

/// A browser that has started the example exercise in a group.
async fn started(app: &axum::Router, group: &str) -> Browser {
    let mut browser = Browser::new(app.clone());
    let start = browser
        .submit(&format!("/e/{EXAMPLE}/start"), &[("group", group)])
        .await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.html);
    browser
}

#[tokio::test]
async fn each_respondent_sees_an_order_of_their_own_kept_on_every_visit_and_recorded() {
    let test = test_app();
    let app = router(&test);
    test.state
        .store
        .put_exercise(&example_source(), "example.toml", "test")
        .unwrap();
    open(&app, EXAMPLE, "rate").await;
    let address = format!("/e/{EXAMPLE}/r/rate");

    let mut first = started(&app, "young-people").await;
    let mut second = started(&app, "young-people").await;
    let first_page = rated_items(&first.get(&address).await.html);
    let second_page = rated_items(&second.get(&address).await.html);
    assert_eq!(first_page.len(), 8);
    assert_ne!(first_page, second_page, "two people see different orders");

    // The same order on a second visit, and after saving a draft of the first page.
    assert_eq!(rated_items(&first.get(&address).await.html), first_page);
    let mut fields: Vec<(String, String)> = first_page
        .iter()
        .map(|item| (format!("rating-{item}"), "7".to_string()))
        .collect();
    fields.push(("action".to_string(), "continue".to_string()));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let saved = first.submit(&format!("{address}?page=1"), &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    assert_eq!(
        rated_items(&first.get(&format!("{address}?page=1")).await.html),
        first_page
    );
    // The second page goes on through the same order.
    let second_of_first = rated_items(&first.get(&format!("{address}?page=2")).await.html);

    // The draft records the order shown: the first page's items, then the second's.
    let respondent_id = first.cookies[&format!("prioritise_r_{EXAMPLE}")].clone();
    let stored = test
        .state
        .store
        .current_answer(EXAMPLE, "rate", &respondent_id)
        .unwrap()
        .unwrap();
    let Some(ShownOrder::Items(recorded)) = stored.shown_order else {
        panic!("no order recorded: {:?}", stored.shown_order);
    };
    assert_eq!(recorded[..8], first_page[..]);
    assert_eq!(recorded[8..16], second_of_first[..]);
    let mut every_item = recorded.clone();
    every_item.sort();
    every_item.dedup();
    assert_eq!(every_item.len(), recorded.len(), "each item once");
}

#[tokio::test]
async fn a_fixed_order_with_a_reason_shows_the_definitions_order() {
    let test = test_app();
    let app = router(&test);
    let source = example_source().replacen(
        "kind = \"rate\"",
        "kind = \"rate\"\norder = \"fixed\"\norder_reason = \"the topics follow a care journey\"",
        1,
    );
    test.state
        .store
        .put_exercise(&source, "example.toml", "test")
        .unwrap();
    let exercise = survey::Exercise::parse(&source, "example.toml").unwrap();
    let round = exercise.round("rate").unwrap();
    let definition_order: Vec<String> = exercise
        .round_items(round)
        .take(8)
        .map(|item| item.id.to_string())
        .collect();
    open(&app, EXAMPLE, "rate").await;
    for group in ["young-people", "practitioners"] {
        let mut browser = started(&app, group).await;
        let page = browser.get(&format!("/e/{EXAMPLE}/r/rate")).await;
        assert_eq!(rated_items(&page.html), definition_order);
    }
}

#[tokio::test]
async fn pairs_show_each_item_first_about_half_the_time_and_record_the_side() {
    let test = test_app();
    let app = router(&test);
    open(&app, "every-kind", "pairs").await;
    // Over many respondents, count how often the first proposed pair comes with its
    // alphabetically first item first.
    let mut low_first = 0;
    let respondents = 200;
    let mut seen_pairs: BTreeMap<[String; 2], u32> = BTreeMap::new();
    for _ in 0..respondents {
        let id = respondent(&app, "every-kind", "carers").await;
        let reply = Call::new(
            "GET",
            &format!(
                "/api/v1/exercises/{}/rounds/pairs/pair?respondent={id}",
                "every-kind"
            ),
        )
        .send(&app)
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        let first = reply.body["pair"][0].as_str().unwrap().to_string();
        let second = reply.body["pair"][1].as_str().unwrap().to_string();
        if first < second {
            low_first += 1;
        }
        *seen_pairs.entry([first, second]).or_default() += 1;
    }
    // 100 expected; the standard deviation is about 7, so this fails by chance about once in
    // 15,000 runs.
    assert!(
        (72..=128).contains(&low_first),
        "{low_first} of {respondents}: {seen_pairs:?}"
    );
}

#[tokio::test]
async fn the_pair_page_records_the_side_each_pair_was_shown() {
    let test = test_app();
    let app = router(&test);
    open(&app, "every-kind", "pairs").await;
    let mut browser = Browser::new(app.clone());
    browser
        .submit("/e/every-kind/start", &[("group", "carers")])
        .await;
    let mut shown = Vec::new();
    for _ in 0..2 {
        let page = browser.get("/e/every-kind/r/pairs").await;
        let value_of = |name: &str| {
            let marker = format!("name=\"{name}\" value=\"");
            let start = page.html.find(&marker).unwrap() + marker.len();
            page.html[start..start + page.html[start..].find('"').unwrap()].to_string()
        };
        let (left, right) = (value_of("left"), value_of("right"));
        // The buttons come in the same order as the hidden fields.
        let first_button = page.html.find("name=\"choice\" value=\"").unwrap();
        assert!(
            page.html[first_button..].starts_with(&format!("name=\"choice\" value=\"{left}\""))
        );
        // Choose the item shown second, so the record must say which was first.
        let posted = browser
            .submit(
                "/e/every-kind/r/pairs?skipped=0",
                &[("left", &left), ("right", &right), ("choice", &right)],
            )
            .await;
        assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", posted.html);
        shown.push([left, right]);
    }
    let respondent_id = browser.cookies["prioritise_r_every-kind"].clone();
    let stored = test
        .state
        .store
        .current_answer("every-kind", "pairs", &respondent_id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.shown_order, Some(ShownOrder::Pairs(shown)));
}
