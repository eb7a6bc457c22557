//! Ranking one round for the report: the round's own method with the bootstrap, and the other
//! methods once each, for the comparison.
//!
//! Bootstrapping every method would multiply the cost by the number of methods (Kemeny's exact
//! solution on 20 items, a thousand times per group, takes minutes), and the comparison of
//! methods needs only their point estimates; so rank intervals and `p_top` are given for the
//! round's own method only, and the report says so.

use rank::analysis::methods_for;
use survey::definition::{Exercise, Round, RoundKind, Scale};
use survey::responses::Responses;

use crate::ranking::{Ranked, RankingError, RankingRequest, rank_responses};

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
    let Some(headline) = own
        .document
        .results
        .first()
        .map(|entry| entry.method.clone())
    else {
        return Ok(own);
    };

    let mut names = vec![headline.clone()];
    for name in &request.methods {
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
    if names.len() == 1 {
        return Ok(own);
    }

    let comparison_request = RankingRequest {
        methods: names.clone(),
        bootstrap: None,
        ..request.clone()
    };
    let compared = match rank_responses(
        responses,
        Some(exercise),
        Some(round),
        &comparison_request,
        None,
    ) {
        Ok(compared) => compared,
        // A problem with the request (an unknown name) is the user's to fix; a problem with
        // the data concerns one of the methods, found by trying each alone.
        Err(error) if !error.in_data => return Err(error),
        Err(_) => {
            let criterion_count = responses.criteria.len().max(1);
            let mut kept = vec![headline.clone()];
            let mut expanded = Vec::new();
            for name in &names[1..] {
                if name == "all" {
                    if let Some(kind) = round.kind.data_kind() {
                        expanded.extend(
                            methods_for(kind, criterion_count)
                                .into_iter()
                                .map(|method| method.as_str().to_string()),
                        );
                    }
                } else {
                    expanded.push(name.clone());
                }
            }
            for name in expanded {
                if kept.contains(&name) {
                    continue;
                }
                let alone = RankingRequest {
                    methods: vec![name.clone()],
                    bootstrap: None,
                    ..request.clone()
                };
                match rank_responses(responses, Some(exercise), Some(round), &alone, None) {
                    Ok(_) => kept.push(name),
                    Err(error) => own
                        .notes
                        .push(format!("{name} left out: {}", error.message)),
                }
            }
            if kept.len() == 1 {
                return Ok(own);
            }
            rank_responses(
                responses,
                Some(exercise),
                Some(round),
                &RankingRequest {
                    methods: kept,
                    bootstrap: None,
                    ..request.clone()
                },
                None,
            )?
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
