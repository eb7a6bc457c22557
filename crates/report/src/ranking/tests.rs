use rank::{Method, RankError};
use survey::responses::{Responses, read_responses};

use super::*;

/// Two groups rate three items on 1–5.
const RATINGS: &str = "respondent,group,item,rating
a1,adults,housing,5
a1,adults,school,3
a1,adults,contact,1
a2,adults,housing,4
a2,adults,school,4
a2,adults,contact,2
y1,young,housing,2
y1,young,school,5
y1,young,contact,3
";

fn ratings() -> Responses {
    read_responses(RATINGS.as_bytes(), "ratings.csv", None)
        .unwrap()
        .responses
}

fn rank(request: RankingRequest) -> Result<Ranked, RankingError> {
    rank_responses(&ratings(), None, None, &request, None)
}

fn methods(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}

/// Each problem is its own variant, with the words and the hint users see, and says whether
/// it lies in the request or in the data.
#[test]
fn every_problem_is_a_variant_with_its_message_and_hint() {
    let check = |request: RankingRequest, message: &str, hint: Option<&str>, in_data: bool| {
        let error = rank(request).unwrap_err();
        assert_eq!(error.to_string(), message, "{error:?}");
        assert_eq!(error.hint().as_deref(), hint, "{error:?}");
        assert_eq!(error.in_data(), in_data, "{error:?}");
        error
    };
    let fitting = "methods that fit rating data: mean, median, top-box, delphi, rand-ucla";
    let error = check(
        RankingRequest {
            methods: methods(&["bogus"]),
            ..RankingRequest::default()
        },
        &"bogus".parse::<Method>().unwrap_err().to_string(),
        Some(fitting),
        false,
    );
    assert!(matches!(error, RankingError::UnknownMethod { .. }));
    let error = check(
        RankingRequest {
            methods: methods(&["borda"]),
            ..RankingRequest::default()
        },
        "method `borda` does not fit rating data",
        Some(fitting),
        false,
    );
    assert!(matches!(
        error,
        RankingError::MethodDoesNotFit {
            method: Method::Borda,
            ..
        }
    ));
    let error = check(
        RankingRequest {
            weighting: Some("heavy".to_string()),
            ..RankingRequest::default()
        },
        &"heavy".parse::<rank::Weighting>().unwrap_err().to_string(),
        Some("weightings: pooled, equal-groups, jla-positions, custom"),
        false,
    );
    assert!(matches!(error, RankingError::UnknownWeighting { .. }));
    let error = check(
        RankingRequest {
            weighting: Some("custom".to_string()),
            group_weights: Some(vec![("elders".to_string(), 1.0)]),
            ..RankingRequest::default()
        },
        "group weights: `elders` is not a group of the responses (groups: adults, young)",
        None,
        false,
    );
    assert!(matches!(error, RankingError::UnknownGroup { .. }));
    let error = check(
        RankingRequest {
            weighting: Some("custom".to_string()),
            group_weights: Some(vec![("adults".to_string(), 1.0)]),
            ..RankingRequest::default()
        },
        "custom weighting needs a weight for every group; missing: young",
        Some("give them as GROUP=WEIGHT pairs (--group-weights GROUP=WEIGHT,...)"),
        false,
    );
    assert!(matches!(error, RankingError::MissingGroupWeights { .. }));
    let error = check(
        RankingRequest {
            weighting: Some("custom".to_string()),
            group_weights: Some(vec![
                ("adults".to_string(), 0.0),
                ("young".to_string(), 0.0),
            ]),
            ..RankingRequest::default()
        },
        "at least one group weight must be positive",
        None,
        false,
    );
    assert!(matches!(error, RankingError::Weighting { .. }));
}

/// A method that fails on the data is named, so that a caller can leave it out.
#[test]
fn a_method_that_fails_on_the_data_is_named() {
    let error = rank(RankingRequest {
        methods: methods(&["mean", "rand-ucla", "median"]),
        weighting: Some("equal-groups".to_string()),
        ..RankingRequest::default()
    })
    .unwrap_err();
    assert!(error.in_data());
    assert_eq!(error.hint(), None);
    assert!(
        matches!(
            &error,
            RankingError::MethodFailed {
                method: Method::RandUcla,
                error: RankError::WeightingDoesNotFit { .. },
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "method `rand-ucla` cannot use weighting `equal-groups` (RAND/UCLA panels count every \
         rating once)"
    );
}

/// `all` means every method that fits: on a 1–5 scale rand-ucla is left out with a note (and
/// again under `equal-groups`), the other rating methods run, and asking for rand-ucla by name
/// is still refused.
#[test]
fn all_leaves_out_a_method_that_does_not_fit_the_scale_or_weighting() {
    for (weighting, why) in [
        (None, "needs ratings on the 1-9 scale"),
        (
            Some("equal-groups".to_string()),
            "cannot use weighting `equal-groups`",
        ),
    ] {
        let ranked = rank(RankingRequest {
            methods: methods(&["all"]),
            weighting: weighting.clone(),
            scale: Some((1, 5)),
            ..RankingRequest::default()
        })
        .unwrap();
        let ran: Vec<Method> = ranked
            .document
            .results
            .iter()
            .map(|entry| entry.method)
            .collect();
        let fitting: Vec<Method> = methods_for(DataKind::Rating, 1)
            .into_iter()
            .filter(|&method| method != Method::RandUcla)
            .collect();
        assert_eq!(ran, fitting, "{weighting:?}");
        assert_eq!(ranked.notes.len(), 1, "{:?}", ranked.notes);
        assert!(
            ranked.notes[0].starts_with("rand-ucla left out: method `rand-ucla`")
                && ranked.notes[0].contains(why),
            "{:?}",
            ranked.notes
        );
    }
    let asked = rank(RankingRequest {
        methods: methods(&["rand-ucla"]),
        scale: Some((1, 5)),
        ..RankingRequest::default()
    })
    .unwrap_err();
    assert!(
        matches!(
            asked,
            RankingError::MethodFailed {
                error: RankError::WrongScale { .. },
                ..
            }
        ),
        "{asked:?}"
    );
}

/// Suggestions give no ballots: a problem in the data.
#[test]
fn suggestions_are_a_problem_in_the_data() {
    let suggestions = read_responses(
        "respondent,group,text\ns1,adults,More homes\n".as_bytes(),
        "suggest.csv",
        None,
    )
    .unwrap()
    .responses;
    let error =
        rank_responses(&suggestions, None, None, &RankingRequest::default(), None).unwrap_err();
    assert!(matches!(error, RankingError::Ballots { .. }), "{error:?}");
    assert!(error.in_data());
    assert_eq!(
        error.to_string(),
        "suggestions cannot be ranked: curate them into items first"
    );
}
