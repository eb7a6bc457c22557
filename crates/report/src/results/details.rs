//! The figures particular to a method that the results document gives: [`MethodDetails`],
//! holding `rank`'s own detail types, and the JSON objects they are written as.

use rank::Details;
use rank::kemeny::KemenyDetails;
use rank::plackett_luce::FitDetails;
use rank::rating::ChnriDetails;
use serde::{Serialize, Serializer};

use super::finite;

/// What the JSON says of a model fit's scores, after the fit's figures.
const FIT_SCORES_ARE: &str = "log-strengths centred at mean 0";

/// The figures particular to a method that the results document gives, as `rank` computed
/// them.
///
/// In JSON each is an object whose keys are in alphabetical order, as the document has always
/// written them: Kemeny `{exact, lower_bound, objective}`; a fit `{final_relative_change,
/// iterations, prior, scores_are}`; CHNRI `{average_expert_agreement}`. Figures that are not
/// finite are written as `null`.
#[derive(Debug, Clone, PartialEq)]
pub enum MethodDetails {
    /// Kemeny's objective, its lower bound and whether the order is proven optimal.
    Kemeny(KemenyDetails),
    /// A Plackett–Luce or Bradley–Terry fit's convergence and prior.
    Fit(FitDetails),
    /// CHNRI's Average Expert Agreement of each item.
    Chnri(ChnriDetails),
}

impl MethodDetails {
    /// The details of `details` that the document gives, if any.
    pub fn of(details: &Details) -> Option<MethodDetails> {
        match details {
            Details::Kemeny(kemeny) => Some(MethodDetails::Kemeny(kemeny.clone())),
            Details::Fit(fit) => Some(MethodDetails::Fit(fit.clone())),
            Details::Chnri(chnri) => Some(MethodDetails::Chnri(chnri.clone())),
            _ => None,
        }
    }

    /// What the scores are, where the method's scores are not on the data's own scale (a
    /// fit's log-strengths).
    pub fn scores_are(&self) -> Option<&'static str> {
        match self {
            MethodDetails::Fit(_) => Some(FIT_SCORES_ARE),
            _ => None,
        }
    }
}

/// Kemeny's details in JSON; fields in alphabetical order.
#[derive(Serialize)]
struct KemenyJson {
    exact: bool,
    lower_bound: Option<f64>,
    objective: Option<f64>,
}

/// A fit's details in JSON; fields in alphabetical order.
#[derive(Serialize)]
struct FitJson {
    final_relative_change: Option<f64>,
    iterations: usize,
    prior: Option<f64>,
    scores_are: &'static str,
}

/// CHNRI's details in JSON.
#[derive(Serialize)]
struct ChnriJson {
    average_expert_agreement: Vec<Option<f64>>,
}

impl Serialize for MethodDetails {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            MethodDetails::Kemeny(kemeny) => KemenyJson {
                exact: kemeny.exact,
                lower_bound: finite(kemeny.lower_bound),
                objective: finite(kemeny.objective),
            }
            .serialize(serializer),
            MethodDetails::Fit(fit) => FitJson {
                final_relative_change: finite(fit.final_relative_change),
                iterations: fit.iterations,
                prior: fit.prior.and_then(finite),
                scores_are: FIT_SCORES_ARE,
            }
            .serialize(serializer),
            MethodDetails::Chnri(chnri) => ChnriJson {
                average_expert_agreement: chnri
                    .average_expert_agreement
                    .iter()
                    .map(|value| finite(*value))
                    .collect(),
            }
            .serialize(serializer),
        }
    }
}
