//! The results view for advisory groups and leads (`/admin/e/{exercise}/r/{round}/results`):
//! methods in plain words, numbers written once, pooled groups never on their own, the
//! intervals and the comparison of methods as the results API computes them, the page's
//! height, and who may read it.

use axum::Router;
use axum::http::StatusCode;
use serde_json::{Value, json};
use test_support::ExerciseToml;

use crate::pages::{Browser, Page, signed_in_admin};
use crate::{Call, TestApp, open, respondent, router, test_app};

const BIG: &str = "big";

/// Seven groups of six people who are shown, and two small groups (two and three people)
/// that are pooled: the threshold is 5.
const SHOWN_GROUPS: [(&str, &str); 7] = [
    ("parents", "Parents"),
    ("carers", "Carers"),
    ("nurses", "Nurses"),
    ("doctors", "Doctors"),
    ("teachers", "Teachers"),
    ("youth", "Young people"),
    ("charities", "Charities"),
];
const POOLED_GROUPS: [(&str, &str, usize); 2] =
    [("tiny-a", "Tiny panel A", 2), ("tiny-b", "Tiny panel B", 3)];
const ITEM_COUNT: usize = 170;
/// The title of the first item: markup that must be shown as text, never run.
const HOSTILE_TITLE: &str = "<b>Bold</b> & \"quoted\" topic";

fn item_id(index: usize) -> String {
    format!("t{index:03}")
}

/// A rating round of 170 items by nine groups.
fn big_exercise() -> String {
    let groups: Vec<(&str, &str)> = SHOWN_GROUPS
        .iter()
        .copied()
        .chain(POOLED_GROUPS.iter().map(|(id, label, _)| (*id, *label)))
        .collect();
    let ids: Vec<String> = (0..ITEM_COUNT).map(item_id).collect();
    let titles: Vec<String> = (0..ITEM_COUNT)
        .map(|index| {
            if index == 0 {
                HOSTILE_TITLE.to_string()
            } else {
                format!("Topic number {index}")
            }
        })
        .collect();
    let items: Vec<(&str, &str)> = ids
        .iter()
        .zip(&titles)
        .map(|(id, title)| (id.as_str(), title.as_str()))
        .collect();
    ExerciseToml::tiny()
        .id(BIG)
        .title("A long list")
        .set("disclosure_threshold", "5")
        .groups(&groups)
        .items(&items)
        .rounds(
            r#"[[rounds]]
id = "rate"
kind = "rate"
scale = { min = 1, max = 9 }
"#,
        )
        .build()
}

/// A rating from 1 to 9 that depends on the item, the group and the person: the groups
/// share a broad order (low item numbers rate higher) but each leans its own way.
fn rating(item: usize, group: usize, person: usize) -> u64 {
    let shared = 9.0 - 8.0 * item as f64 / ITEM_COUNT as f64;
    let mixed = (item * 7919 + group * 104_729 + person * 1_299_709) % 10_007;
    let lean = (mixed % 5) as f64 - 2.0;
    (shared + lean).round().clamp(1.0, 9.0) as u64
}

async fn put_exercise(app: &Router, id: &str, definition: String) {
    let reply = Call::new("PUT", &format!("/api/v1/exercises/{id}"))
        .admin()
        .raw("application/toml", definition)
        .send(app)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
}

/// Loads the big exercise and its answers through the API.
async fn big_app() -> (TestApp, Router) {
    let test = test_app();
    let app = router(&test);
    put_exercise(&app, BIG, big_exercise()).await;
    open(&app, BIG, "rate").await;
    let people = SHOWN_GROUPS
        .iter()
        .map(|(id, _)| (*id, 6))
        .chain(POOLED_GROUPS.iter().map(|(id, _, size)| (*id, *size)));
    for (group_index, (group, size)) in people.enumerate() {
        for person in 0..size {
            let id = respondent(&app, BIG, group).await;
            let ratings: serde_json::Map<String, Value> = (0..ITEM_COUNT)
                .map(|item| (item_id(item), json!(rating(item, group_index, person))))
                .collect();
            let reply = crate::answer(
                &app,
                BIG,
                "rate",
                &id,
                json!({ "ratings": ratings, "submit": true }),
            )
            .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        }
    }
    (test, app)
}

/// The text a reader sees: the page without its tags (SVG text included), entities decoded.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for character in html.chars() {
        match character {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(character),
            _ => {}
        }
    }
    text.replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Whether `word` is in `text` as a whole word (not inside a longer word or id).
fn has_word(text: &str, word: &str) -> bool {
    let is_word = |character: char| character.is_alphanumeric() || character == '-';
    text.match_indices(word).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + word.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// The page with every `<details>…</details>` cut out: what shows with them closed.
fn outside_details(html: &str) -> String {
    let mut rest = html;
    let mut outside = String::new();
    while let Some(start) = rest.find("<details") {
        outside.push_str(&rest[..start]);
        let end = rest[start..]
            .find("</details>")
            .expect("every details element is closed");
        rest = &rest[start + end + "</details>".len()..];
    }
    outside.push_str(rest);
    outside
}

/// The part of the page from the heading with `id` to the next second-level heading.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let rest = &html[start..];
    let end = rest[1..].find("<h2").map_or(rest.len(), |end| end + 1);
    &rest[..end]
}

/// The height attribute of the first inline SVG.
fn svg_height(html: &str) -> f64 {
    let start = html.find("<svg").expect("an inline SVG");
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    let at = tag.find(" height=\"").unwrap() + " height=\"".len();
    tag[at..at + tag[at..].find('"').unwrap()].parse().unwrap()
}

fn results_json(reply: &crate::Reply) -> &Value {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    &reply.body
}

#[tokio::test]
async fn a_long_list_by_many_groups_reads_in_plain_words_on_a_page_of_reasonable_height() {
    let (test, app) = big_app().await;
    let mut lead = signed_in_admin(&app, &test).await;
    let started = std::time::Instant::now();
    let page = lead.get(&format!("/admin/e/{BIG}/r/rate/results")).await;
    // Made now (the bootstrap and every other method): written out for the report of a run
    // with --no-capture; a debug build.
    eprintln!("the first results page took {:?}", started.elapsed());
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let html = &page.html;
    // To look at the page or measure it in a browser: DUMP_RESULTS_PAGE=/tmp/page.html.
    if let Ok(path) = std::env::var("DUMP_RESULTS_PAGE") {
        std::fs::write(path, html).unwrap();
    }
    let text = visible_text(html);

    // The method and weighting in words; the selectors keep the ids as values.
    assert!(
        text.contains("ranked by average rating, every person counted equally"),
        "{text}"
    );
    assert!(html.contains("<option value=\"median\">Middle rating (median)</option>"));
    assert!(html.contains("<option value=\"equal-groups\">Each group counted equally</option>"));
    // Ids that are also a word of some method's plain name ("Borda count") are left out.
    for method in rank::Method::ALL {
        let in_some_name = rank::Method::ALL
            .iter()
            .any(|named| report::plain::method_in_words(*named).contains(method.as_str()));
        if !in_some_name {
            assert!(
                !has_word(&text, method.as_str()),
                "the id `{method}` is on the page: {text}"
            );
        }
    }
    for weighting in ["pooled", "equal-groups", "jla-positions"] {
        assert!(!has_word(&text, weighting), "`{weighting}` is on the page");
    }

    // Numbers: no negative zero, no long floats.
    assert!(!text.contains("-0") && !text.contains("−0"), "{text}");
    let long_float = text.as_bytes().windows(6).any(|window| {
        window[0].is_ascii_digit()
            && window[1] == b'.'
            && window[2..].iter().all(u8::is_ascii_digit)
    });
    assert!(!long_float, "a number with four or more decimals: {text}");

    // Markup in a title is text, in the table and in the heatmap alike.
    assert!(!html.contains("<b>Bold</b>"));
    assert!(html.contains("&#60;b&#62;Bold&#60;/b&#62;"), "in the table");
    assert!(html.contains("&lt;b&gt;Bold&lt;/b&gt;"), "in the heatmap");

    // The pooled groups are named once, in the sentence that says they are pooled, and never
    // in the grid, the heatmap or the agreement text.
    for (_, label, _) in POOLED_GROUPS {
        assert_eq!(
            html.matches(label).count(),
            1,
            "{label} is named more than once"
        );
        let sentence = section(html, "pooled-groups");
        assert!(sentence.contains(label));
    }
    let grid = section(html, "list");
    for (_, label) in SHOWN_GROUPS {
        assert!(grid.contains(&format!("<th scope=\"col\" class=\"numeric\">{label}</th>")));
    }

    // The page's height with the details closed: at most the first 20 rows of the grid on the
    // page, and every group's own list behind a disclosure.
    let outside = outside_details(html);
    let rows_outside = outside.matches("<tr>").count();
    assert_eq!(rows_outside, 21, "the header and 20 rows");
    assert_eq!(
        html.matches("<details").count(),
        1 + SHOWN_GROUPS.len(),
        "the rest of the grid, and one per shown group"
    );
    // A generous estimate at 1280 px: 40 px a row, the heatmap scaled from 1,200 px to the
    // 960 px column, 80 px a paragraph or list item, 60 px a closed disclosure, 600 px for
    // the header, the selectors and the headings.
    let paragraphs = outside.matches("<p").count() + outside.matches("<li").count();
    let estimate = rows_outside as f64 * 40.0
        + svg_height(&outside) * 960.0 / 1200.0
        + paragraphs as f64 * 80.0
        + html.matches("<details").count() as f64 * 60.0
        + 600.0;
    assert!(estimate < 6000.0, "about {estimate} px tall");

    // The intervals and the certainty as the results API computes them.
    let api = Call::new(
        "GET",
        &format!("/api/v1/exercises/{BIG}/rounds/rate/results?method=mean&bootstrap=200"),
    )
    .admin()
    .send(&app)
    .await;
    let document = results_json(&api);
    let ranking = document["results"][0]["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), ITEM_COUNT);
    for row in ranking.iter().take(20) {
        let [low, high] = [0, 1].map(|end| row["rank_interval"][end].as_u64().unwrap() as usize);
        let title = row["label"].as_str().unwrap();
        let expected = format!(
            "<td class=\"numeric\">{}</td><th scope=\"row\">{}</th><td class=\"numeric\">{}</td><td class=\"numeric\">{}</td>",
            row["rank"],
            askama_escape(title),
            report::numbers::score_for_results_page(row["score"].as_f64().unwrap()),
            report::numbers::rank_interval_in_places(low, high)
        );
        assert!(html.contains(&expected), "no row {expected}");
    }
    let settled = ranking
        .iter()
        .filter(|row| row["rank_interval"][0] == row["rank_interval"][1])
        .count();
    let certain = visible_text(section(html, "certain"));
    match settled {
        0 => assert!(certain.contains("No place is settled")),
        count if count > 12 => {
            assert!(certain.contains(&format!("{count} of the {ITEM_COUNT} places are settled")))
        }
        _ => assert!(certain.contains("Settled places"), "{certain}"),
    }
    let w = document["agreement"]["kendall_w"].as_f64().unwrap();
    assert!(text.contains(&format!(
        "Kendall's W is {}",
        report::numbers::score_for_reading(w)
    )));

    // The comparison of methods as the API computes it: for each other method, how many
    // places from the top are the same.
    let all = Call::new(
        "GET",
        &format!("/api/v1/exercises/{BIG}/rounds/rate/results?method=mean,all"),
    )
    .admin()
    .send(&app)
    .await;
    let all = results_json(&all);
    let entries = all["results"].as_array().unwrap();
    assert!(entries.len() > 1, "other methods fit ratings");
    let rank_of = |entry: &Value, item: &str| {
        entry["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["item"] == item)
            .map(|row| row["rank"].as_u64().unwrap())
    };
    let methods_text = visible_text(section(html, "other-methods"));
    for other in &entries[1..] {
        let method: rank::Method = other["method"].as_str().unwrap().parse().unwrap();
        let name = report::plain::method_in_words(method);
        let same_places = entries[0]["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .take_while(|row| rank_of(other, row["item"].as_str().unwrap()) == row["rank"].as_u64())
            .count();
        let top_same = entries[0]["ranking"].as_array().unwrap().iter().all(|row| {
            let rank = row["rank"].as_u64().unwrap();
            let there = rank_of(other, row["item"].as_str().unwrap()).unwrap();
            (rank > 10 && there > 10) || rank == there
        });
        if top_same {
            assert!(
                methods_text.contains("The top 10 is the same, in the same order, under")
                    && methods_text.contains(name),
                "{name}: {methods_text}"
            );
        } else {
            let start = match same_places {
                0 => "the list differs from the first place".to_string(),
                1 => "the first place is the same".to_string(),
                count => format!("the first {count} places are the same"),
            };
            assert!(
                methods_text.contains(&format!("Under {name}, {start};")),
                "{name}, {start}: {methods_text}"
            );
        }
    }
}

/// Text as askama writes it in HTML.
fn askama_escape(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

async fn sign_in(app: &Router, email: &str) -> Browser {
    let mut browser = Browser::new(app.clone());
    let page = browser
        .submit(
            "/admin/sign-in",
            &[("email", email), ("password", "a long enough passphrase")],
        )
        .await;
    assert_eq!(page.location.as_deref(), Some("/admin"), "{}", page.html);
    browser
}

/// An account with `role` in the big exercise, signed in.
async fn member(test: &TestApp, app: &Router, email: &str, role: store::Role) -> Browser {
    let token = test
        .state
        .store
        .create_account_invite(
            BIG,
            email,
            role,
            std::time::Duration::from_secs(3600),
            "owner@example.org",
        )
        .unwrap();
    let hash = server::auth::hash_password("a long enough passphrase").unwrap();
    test.state
        .store
        .accept_account_invite(&token, Some(&hash))
        .unwrap();
    sign_in(app, email).await
}

#[tokio::test]
async fn advisory_members_read_the_results_and_download_only_when_allowed() {
    let (test, app) = big_app().await;
    let results = format!("/admin/e/{BIG}/r/rate/results");
    let csv = format!("/admin/e/{BIG}/r/rate/responses.csv");
    let mut advisory = member(&test, &app, "advisory@example.org", store::Role::Advisory).await;
    let page: Page = advisory.get(&results).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.has("Where the groups agree and differ"));
    assert!(!page.has("Download responses (CSV)"));
    assert_eq!(advisory.get(&csv).await.status, StatusCode::FORBIDDEN);
    test.state
        .store
        .set_advisory_downloads(BIG, true, "owner@example.org")
        .unwrap();
    assert!(advisory.get(&results).await.has("Download responses (CSV)"));
    assert_eq!(advisory.get(&csv).await.status, StatusCode::OK);

    // Someone with a role only in another exercise reads nothing of this one.
    let mut outsider = member(&test, &app, "outsider@example.org", store::Role::Lead).await;
    test.state
        .store
        .remove_role(BIG, "outsider@example.org", "owner@example.org")
        .unwrap();
    assert_eq!(outsider.get(&results).await.status, StatusCode::FORBIDDEN);
    assert_eq!(outsider.get(&csv).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_small_ranking_round_names_its_method_in_words_and_shows_every_row() {
    let test = test_app();
    let app = router(&test);
    let definition = ExerciseToml::tiny()
        .id("small")
        .title("Small")
        .set("disclosure_threshold", "1")
        .items(&[
            ("a", "Item A"),
            ("b", "Item B"),
            ("c", "Item C"),
            ("d", "Item D"),
        ])
        .rounds(
            r#"[[rounds]]
id = "top"
kind = "rank"
method = "points"
weighting = "equal-groups"
top_k = 3
"#,
        )
        .build();
    put_exercise(&app, "small", definition).await;
    open(&app, "small", "top").await;
    let orders = [
        ("carers", ["a", "b", "c"]),
        ("carers", ["a", "c", "b"]),
        ("young-people", ["b", "a", "d"]),
        ("young-people", ["b", "d", "a"]),
    ];
    for (group, order) in orders {
        let id = respondent(&app, "small", group).await;
        let reply = crate::answer(
            &app,
            "small",
            "top",
            &id,
            json!({ "ranking": order, "submit": true }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    let mut lead = signed_in_admin(&app, &test).await;
    let page = lead.get("/admin/e/small/r/top/results").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let text = visible_text(&page.html);
    assert!(
        text.contains("ranked by JLA points, each group counted equally"),
        "{text}"
    );
    assert!(
        page.has("<option value=\"\" selected>The round&#39;s method: JLA points</option>"),
        "{}",
        page.html
    );
    assert!(!has_word(&text, "equal-groups"), "{text}");
    // Four items: every row on the page, none behind a disclosure but the groups' own lists.
    assert_eq!(outside_details(&page.html).matches("<tr>").count(), 5);
    // Four items and a top 10: every item is in every group's top list, which goes unsaid.
    assert!(!text.contains("Every group shown puts"), "{text}");
    // With a top 2: the carers' points give A 6, B and C 3 each; the young people's give B 6,
    // A and D 3 each.
    let top_two = lead.get("/admin/e/small/r/top/results?top=2").await;
    let text = visible_text(&top_two.html);
    assert!(
        text.contains("Every group shown puts Item A and Item B in its own top 2."),
        "{text}"
    );
    // Choosing another method keeps it chosen, named in words.
    let borda = lead
        .get("/admin/e/small/r/top/results?method=borda&weighting=pooled")
        .await;
    assert!(
        borda.has("<option value=\"borda\" selected>Borda count (points for every place)</option>")
    );
    assert!(
        visible_text(&borda.html).contains(
            "ranked by Borda count (points for every place), every person counted equally"
        )
    );
}

/// A pairwise round's results page offers Copeland, Schulze and Kemeny (METHODS.md defines the
/// margins of pairwise choices), ranks by them as the round's method or when chosen, and names
/// them among the other methods compared.
#[tokio::test]
async fn a_pairwise_round_offers_the_majority_methods() {
    let test = test_app();
    let app = router(&test);
    let definition = ExerciseToml::tiny()
        .id("pairs")
        .title("Pairs")
        .set("disclosure_threshold", "1")
        .items(&[("a", "Item A"), ("b", "Item B"), ("c", "Item C")])
        .rounds(
            r#"[[rounds]]
id = "duel"
kind = "pairwise"
method = "copeland"
"#,
        )
        .build();
    put_exercise(&app, "pairs", definition).await;
    open(&app, "pairs", "duel").await;
    // Three people: A beats B 3-0 and C 2-1; B beats C 2-0 (one person could not decide).
    let choices = [
        ("carers", json!([["a", "b"], ["a", "c"], ["b", "c"]])),
        ("carers", json!([["a", "b"], ["c", "a"]])),
        ("young-people", json!([["a", "b"], ["a", "c"], ["b", "c"]])),
    ];
    for (group, pairs) in choices {
        let id = respondent(&app, "pairs", group).await;
        let choices: Vec<Value> = pairs
            .as_array()
            .unwrap()
            .iter()
            .map(|pair| json!({ "winner": pair[0], "loser": pair[1] }))
            .collect();
        let reply = crate::answer(
            &app,
            "pairs",
            "duel",
            &id,
            json!({ "choices": choices, "submit": true }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    }
    let mut lead = signed_in_admin(&app, &test).await;
    let page = lead.get("/admin/e/pairs/r/duel/results").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    for (method, words) in [
        ("copeland", "Head-to-head wins (Copeland)"),
        ("schulze", "Strongest chains of head-to-head wins (Schulze)"),
        ("kemeny", "The order closest to everyone&#39;s (Kemeny)"),
        (
            "bradley-terry",
            "A model of which topic wins a pair (Bradley–Terry)",
        ),
    ] {
        assert!(
            page.has(&format!("<option value=\"{method}\">{words}</option>")),
            "no {method} in {}",
            page.html
        );
    }
    assert!(!page.has("<option value=\"borda\""), "{}", page.html);
    // A pairwise round may name a majority method as its own; the page ranks by it and
    // compares it with the others, the other majority methods among them.
    assert!(
        page.has("<option value=\"\" selected>The round&#39;s method: head-to-head wins (Copeland)</option>"),
        "{}",
        page.html
    );
    let others = visible_text(section(&page.html, "other-methods"));
    for words in ["(Schulze)", "(Kemeny)"] {
        assert!(others.contains(words), "{words} not in {others}");
    }
    // Chosen, Schulze ranks the choices: A beats B and C, B beats C.
    let schulze = lead
        .get("/admin/e/pairs/r/duel/results?method=schulze&weighting=pooled")
        .await;
    assert_eq!(schulze.status, StatusCode::OK, "{}", schulze.html);
    let text = visible_text(&schulze.html);
    assert!(
        text.contains("ranked by strongest chains of head-to-head wins (Schulze)"),
        "{text}"
    );
    for (rank, title) in [(1, "Item A"), (2, "Item B"), (3, "Item C")] {
        let row = format!("<td class=\"numeric\">{rank}</td><th scope=\"row\">{title}</th>");
        assert!(schulze.has(&row), "no row {row} in {}", schulze.html);
    }
}
