use super::*;
use rank::analysis::{AnalysisOptions, analyse};
use rank::{GroupWeighting, Method, Params, RankingProfileBuilder};

use crate::table::results_table;

fn items() -> Vec<ItemInfo> {
    vec![
        ItemInfo {
            id: "b".into(),
            label: Some("Transitions".into()),
        },
        ItemInfo {
            id: "a".into(),
            label: Some("=HYPERLINK(\"http://x\")".into()),
        },
        ItemInfo {
            id: "c".into(),
            label: None,
        },
    ]
}

fn groups() -> Vec<String> {
    vec!["young-people".into(), "carers".into(), "leaders".into()]
}

/// 6 young people rank b > a > c, 5 carers a > b > c, 2 leaders c > a > b (under the threshold
/// of 5; the carers, the smallest group shown otherwise, join their pool so that it reaches 5).
fn document(methods: Vec<Method>, bootstrap: Option<(usize, u64)>) -> ResultsDocument {
    let mut builder = RankingProfileBuilder::new(3, 3).unwrap();
    builder.push_order(0, 6, &[0, 1, 2]).unwrap();
    builder.push_order(1, 5, &[1, 0, 2]).unwrap();
    builder.push_order(2, 2, &[2, 1, 0]).unwrap();
    let profile = builder.build().into();
    let analysis = analyse(
        &profile,
        &AnalysisOptions {
            methods,
            weighting: GroupWeighting::Pooled,
            params: Params::default(),
            top_k: 2,
            bootstrap,
            bootstrap_groups: true,
            disclosure_threshold: 5,
        },
        None,
    )
    .unwrap();
    let items = items();
    let groups = groups();
    let context = Context {
        items: &items,
        groups: &groups,
        weighting: rank::Weighting::Pooled,
        top_k: 2,
        input: InputSummary {
            sha256: "0".repeat(64),
            kind: "ranking".into(),
            respondents: 13,
            items: 3,
            groups: groups.clone(),
            excluded: vec![],
            // As `rank_responses` records them: the groups the rule pools.
            suppressed_groups: groups
                .iter()
                .zip(&analysis.disclosed)
                .zip(&analysis.group_sizes)
                .filter(|((_, shown), size)| !**shown && **size > 0)
                .map(|((group, _), _)| group.clone())
                .collect(),
        },
        settings: Settings {
            top_k: 2,
            bootstrap: bootstrap.map(|(resamples, _)| resamples),
            seed: bootstrap.map(|(_, seed)| seed),
            disclosure_threshold: 5,
            scale: None,
            program: "prioritise test".into(),
        },
    };
    results_document(&analysis, &context)
}

#[test]
fn json_follows_the_design_contract() {
    let document = document(vec![Method::Borda, Method::Schulze], None);
    let value = serde_json::to_value(&document).unwrap();
    // Borda (m − p points): b = 6·2 + 5·1 + 2·0 = 17; a = 6·1 + 5·2 + 2·1 = 18; c = 2·2 = 4.
    let ranking = &value["results"][0]["ranking"];
    assert_eq!(ranking[0]["item"], "a");
    assert_eq!(ranking[0]["score"], 18.0);
    assert_eq!(ranking[0]["rank"], 1);
    assert_eq!(ranking[1]["item"], "b");
    assert_eq!(ranking[2]["item"], "c");
    assert_eq!(value["results"][0]["method"], "borda");
    assert_eq!(value["results"][1]["method"], "schulze");
    // Leaders are under the threshold, and pooled with the carers: neither is shown alone.
    let shown: Vec<&str> = value["results"][0]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| group["group"].as_str().unwrap())
        .collect();
    assert_eq!(shown, ["young-people"]);
    assert_eq!(
        value["input"]["suppressed_groups"],
        serde_json::json!(["carers", "leaders"])
    );
    assert!(value["comparison"]["pairs"][0]["spearman_rho"].is_number());
    assert!(value["agreement"]["kendall_w"].is_number());
    insta::assert_json_snapshot!("borda_schulze", value);
}

#[test]
fn bootstrap_adds_intervals_and_p_top() {
    let document = document(vec![Method::Borda], Some((200, 7)));
    let row = &document.results[0].ranking[0];
    let [low, high] = row.rank_interval.unwrap();
    assert!(low <= row.rank && row.rank <= high);
    assert!((0.0..=1.0).contains(&row.p_top.unwrap()));
    // The same seed gives the same numbers.
    let again = document_json(vec![Method::Borda], Some((200, 7)));
    assert_eq!(serde_json::to_value(&document).unwrap(), again);
}

fn document_json(methods: Vec<Method>, bootstrap: Option<(usize, u64)>) -> serde_json::Value {
    serde_json::to_value(document(methods, bootstrap)).unwrap()
}

#[test]
fn csv_neutralises_formulas_in_labels() {
    let document = document(vec![Method::Borda], None);
    let text = String::from_utf8(results_csv(&document, Vec::new()).unwrap()).unwrap();
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(!text.contains(",=HYPERLINK"), "{text}");
    insta::assert_snapshot!("borda_csv", text);
}

#[test]
fn table_fits_in_eighty_columns() {
    let document = document(vec![Method::Borda, Method::Copeland], Some((100, 1)));
    let text = results_table(&document, true);
    for line in text.lines() {
        assert!(
            line.chars().count() <= crate::table::WIDTH,
            "too wide: {line}"
        );
    }
    assert!(
        text.contains("Note: carers, leaders count overall but are not shown alone: they are"),
        "{text}"
    );
    insta::assert_snapshot!("borda_copeland_table", text);
}

/// Each method's details are written with their keys in alphabetical order, figures that are
/// not finite as `null`, and the method and weighting by name, as the document always has.
#[test]
fn details_and_names_keep_their_json_shape() {
    let check = |details: MethodDetails, expected: &str| {
        assert_eq!(serde_json::to_string(&details).unwrap(), expected);
    };
    check(
        MethodDetails::Kemeny(rank::kemeny::KemenyDetails {
            order: vec![1, 0],
            objective: 12.0,
            lower_bound: f64::NAN,
            exact: false,
        }),
        r#"{"exact":false,"lower_bound":null,"objective":12.0}"#,
    );
    check(
        MethodDetails::Fit(rank::plackett_luce::FitDetails {
            iterations: 3,
            final_relative_change: f64::INFINITY,
            prior: Some(0.1),
        }),
        r#"{"final_relative_change":null,"iterations":3,"prior":0.1,"scores_are":"log-strengths centred at mean 0"}"#,
    );
    check(
        MethodDetails::Chnri(rank::rating::ChnriDetails {
            criterion_scores: vec![vec![50.0]],
            average_expert_agreement: vec![0.5, f64::NAN],
        }),
        r#"{"average_expert_agreement":[0.5,null]}"#,
    );
    let document = document(vec![Method::Kemeny, Method::PlackettLuce], None);
    let json = serde_json::to_value(&document).unwrap();
    assert_eq!(json["results"][0]["method"], "kemeny");
    assert_eq!(json["results"][1]["method"], "plackett-luce");
    assert_eq!(json["results"][0]["weighting"], "pooled");
    assert_eq!(
        json["comparison"]["pairs"][0]["methods"],
        serde_json::json!(["kemeny", "plackett-luce"])
    );
}
