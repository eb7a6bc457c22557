//! The James Lind Alliance re-scoring of an imported SurveyMonkey ranking, checked by hand.

use import::{Options, Tool};
use report::{RankingRequest, rank_responses};
use survey::responses::{Against, ResponseKind, read_responses};

use crate::{exercise, import_fixture};

#[test]
fn jla_group_rescoring_of_an_imported_ranking_matches_a_hand_computation() {
    let exercise = exercise();
    let imported = import_fixture(
        Tool::SurveyMonkey,
        "surveymonkey_ranking.csv",
        Options {
            exercise: Some(&exercise),
            group_column: None,
            ..Options::default()
        },
    );
    let text = imported.write(Vec::new()).unwrap();
    let against = Against::choose(&exercise, None, ResponseKind::Ranking).unwrap();
    let round = against.round;
    let outcome = read_responses(text.as_slice(), "imported.csv", Some(against)).unwrap();
    let request = RankingRequest {
        methods: vec!["points".to_string()],
        weighting: Some("jla-positions".to_string()),
        ..RankingRequest::default()
    };
    let ranked = rank_responses(
        &outcome.responses,
        Some(&exercise),
        Some(round),
        &request,
        None,
    )
    .unwrap();
    let result = &ranked.document.results[0];

    // By hand. `points` with k = 3: 1st scores 3, 2nd 2, 3rd 1, unranked 0.
    //   parents (114691001: EH 1, KC 2, CL 3; 114691006: KC 1, EH 2):
    //     EH 3 + 2 = 5, KC 2 + 3 = 5, CL 1 + 0 = 1 -> EH and KC tie first, CL third.
    //   practitioners (114691002: KC 1, CL 2, EH 3; 114691003: EH 1, CL 2, KC N/A):
    //     EH 1 + 3 = 4, KC 3 + 0 = 3, CL 2 + 2 = 4 -> EH and CL tie first, KC third.
    //   other (114691004: CL 1, EH 2, KC 3): CL first, EH second, KC third.
    // Position points with m = 3 items: 1st 3, 2nd 2, 3rd 1; two items tied first share
    // (3 + 2) / 2 = 2.5.
    //   EH: 2.5 (parents) + 2.5 (practitioners) + 2 (other) = 7
    //   KC: 2.5 + 1 + 1 = 4.5
    //   CL: 1 + 2.5 + 3 = 6.5
    let scores: Vec<(&str, usize, f64)> = result
        .ranking
        .iter()
        .map(|row| (row.item.as_str(), row.rank, row.score.unwrap()))
        .collect();
    assert_eq!(
        scores,
        [
            ("early-help", 1, 7.0),
            ("caseloads", 2, 6.5),
            ("kinship-care", 3, 4.5)
        ]
    );
}
