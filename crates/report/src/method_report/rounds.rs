//! Ranking one round for the report: the round's own method with the bootstrap, and the other
//! methods once each, for the comparison.
//!
//! Bootstrapping every method would multiply the cost by the number of methods (Kemeny's exact
//! solution on 20 items, a thousand times per group, takes minutes), and the comparison of
//! methods needs only their point estimates; so rank intervals and `p_top` are given for the
//! round's own method only, and the report says so.

use rank::Method;
use survey::definition::{Exercise, Round, RoundKind, Scale};
use survey::responses::Responses;

use crate::ranking::{Plan, Ranked, RankingError, RankingRequest, rank_responses};

/// Ranks `responses` to `round` for the report.
///
/// `request.methods` names the methods to compare with the round's own (its `method`, else
/// the default for its kind), or `all` for every method that fits; the round's own method comes
/// first in the document and is the only one bootstrapped. For a rating round on a numeric
/// scale, `delphi` is always among them, so that the report can mark Delphi consensus. A
/// comparison method that cannot rank these data (such as `rand-ucla` under `equal-groups`
/// weighting, or a model whose estimate does not exist) is left out with a note.
///
/// # Errors
/// [`RankingError`] when the round's own method fails, or a method name is unknown or does not
/// fit the data.
pub fn rank_round(
    responses: &Responses,
    exercise: &Exercise,
    round: &Round,
    request: &RankingRequest,
    progress: Option<&(dyn Fn() + Sync)>,
) -> Result<Ranked, RankingError> {
    let own_request = RankingRequest {
        methods: Vec::new(),
        ..request.clone()
    };
    let mut own = rank_responses(
        responses,
        Some(exercise),
        Some(round),
        &own_request,
        progress,
    )?;
    let Some(headline) = own.document.results.first().map(|entry| entry.method) else {
        return Ok(own);
    };
    let names = comparison_names(headline, &request.methods, round);
    if names.len() == 1 {
        return Ok(own);
    }

    let comparison_request = RankingRequest {
        methods: names,
        bootstrap: None,
        ..request.clone()
    };
    // A problem with the request (an unknown name) is the user's to fix, and is returned; a
    // comparison method that fails on these data is named by the error, left out with a note,
    // and the others run again without it.
    let mut plan = Plan::new(responses, Some(exercise), Some(round), &comparison_request)?;
    let compared = loop {
        match plan.run(None) {
            Ok(compared) => break compared,
            Err(RankingError::MethodFailed { method, error }) if method != headline => {
                own.notes.push(format!("{method} left out: {error}"));
                plan.methods.retain(|&kept| kept != method);
                if plan.methods.len() == 1 {
                    return Ok(own);
                }
            }
            Err(error) => return Err(error),
        }
    };
    own.notes.extend(compared.notes);
    let document = &mut own.document;
    document.results.extend(
        compared
            .document
            .results
            .into_iter()
            .filter(|entry| entry.method != headline),
    );
    document.comparison = compared.document.comparison;
    Ok(own)
}

/// The methods to rank for the comparison: the round's own first, then those asked for, then
/// `delphi` for a single-criterion rating round on a numeric scale (for the consensus).
fn comparison_names(headline: Method, asked: &[String], round: &Round) -> Vec<String> {
    let mut names = vec![headline.to_string()];
    for name in asked {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let numeric_rating = matches!(
        &round.kind,
        RoundKind::Rate { scale: Scale::Numeric { .. }, criteria, .. } if criteria.is_empty()
    );
    if numeric_rating && !names.iter().any(|name| name == "delphi" || name == "all") {
        names.push("delphi".to_string());
    }
    names
}
