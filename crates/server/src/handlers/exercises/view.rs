//! The exercise views of the API: an exercise with its groups, items and rounds, and the list.

use std::collections::BTreeMap;

use serde::Serialize;
use store::{RoundState, StoredExercise};
use survey::{RoundKind, Scale};
use utoipa::ToSchema;

/// A stakeholder group.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    /// The group id.
    pub id: String,
    /// The label shown to respondents.
    pub label: String,
    /// A longer description, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemView {
    /// The item id.
    pub id: String,
    /// The short title.
    pub title: String,
    /// A longer description, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The theme, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
}

/// A CHNRI criterion.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionView {
    /// The criterion id.
    pub id: String,
    /// The question asked.
    pub label: String,
    /// The weight in the Research Priority Score.
    pub weight: f64,
}

/// A numeric rating scale.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScaleView {
    /// The lowest rating, or `None` for yes / undecided / no answers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    /// The highest rating.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
    /// Labels of points of the scale.
    pub labels: BTreeMap<String, String>,
    /// The answers of a criteria round: `yes`, `undecided`, `no`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
}

/// A round with its state.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundView {
    /// The round id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The question or instruction, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// `suggest`, `rate`, `rank`, `pick` or `pairwise`.
    pub kind: String,
    /// `draft`, `open` or `closed`.
    pub state: String,
    /// When the round is to open by itself, if scheduled (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<String>,
    /// When the round is to close by itself, if scheduled (RFC 3339, UTC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<String>,
    /// The ids of the items the round asks about, in order (empty for suggestions).
    pub items: Vec<String>,
    /// Rank rounds: how many items each respondent ranks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_k: Option<u32>,
    /// Pick rounds: the most items one may pick.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_picks: Option<u32>,
    /// Suggest rounds: the most suggestions one may make.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_suggestions: Option<u32>,
    /// Suggest rounds: the longest suggestion, in characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Rate rounds: the scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<ScaleView>,
    /// Rate rounds: whether "don't know" (null) is allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_dont_know: Option<bool>,
    /// Rate rounds with criteria: the criteria.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<CriterionView>,
    /// Pairwise rounds: the most choices one may make, if limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_choices: Option<u32>,
    /// The method the round's results use, if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The weighting the round's results use, if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weighting: Option<String>,
}

/// An exercise in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseView {
    /// The exercise id.
    pub id: String,
    /// The title.
    pub title: String,
    /// What it is for.
    pub description: String,
    /// Whether an invite token is needed to take part.
    pub invite_only: bool,
    /// The current definition's version.
    pub version: i64,
    /// The ids of the rounds now open.
    pub open_rounds: Vec<String>,
    /// The stakeholder groups.
    pub groups: Vec<GroupView>,
    /// The items.
    pub items: Vec<ItemView>,
    /// The rounds, in order.
    pub rounds: Vec<RoundView>,
}

/// A round in the list of exercises.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundSummary {
    /// The round id.
    pub id: String,
    /// The title.
    pub title: String,
    /// The kind.
    pub kind: String,
    /// The state.
    pub state: String,
}

/// An exercise in the list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseSummary {
    /// The exercise id.
    pub id: String,
    /// The title.
    pub title: String,
    /// What it is for.
    pub description: String,
    /// Whether an invite token is needed.
    pub invite_only: bool,
    /// The ids of the rounds now open.
    pub open_rounds: Vec<String>,
    /// Every round with its state.
    pub rounds: Vec<RoundSummary>,
}

/// The list of exercises.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseList {
    /// The exercises, by id.
    pub exercises: Vec<ExerciseSummary>,
}

fn open_rounds(stored: &StoredExercise) -> Vec<String> {
    stored
        .rounds
        .iter()
        .filter(|status| status.state == RoundState::Open)
        .map(|status| status.round.clone())
        .collect()
}

pub(super) fn summary(stored: &StoredExercise) -> ExerciseSummary {
    let exercise = &stored.exercise;
    ExerciseSummary {
        id: exercise.id.to_string(),
        title: exercise.title.clone(),
        description: exercise.description.clone(),
        invite_only: exercise.invite_only,
        open_rounds: open_rounds(stored),
        rounds: exercise
            .rounds
            .iter()
            .zip(&stored.rounds)
            .map(|(round, status)| RoundSummary {
                id: round.id.to_string(),
                title: round.title.clone(),
                kind: round.kind.name().to_string(),
                state: status.state.to_string(),
            })
            .collect(),
    }
}

/// The full view of a stored exercise.
pub fn exercise_view(stored: &StoredExercise) -> ExerciseView {
    let exercise = &stored.exercise;
    ExerciseView {
        id: exercise.id.to_string(),
        title: exercise.title.clone(),
        description: exercise.description.clone(),
        invite_only: exercise.invite_only,
        version: stored.version,
        open_rounds: open_rounds(stored),
        groups: exercise
            .groups
            .iter()
            .map(|group| GroupView {
                id: group.id.to_string(),
                label: group.label.clone(),
                description: group.description.clone(),
            })
            .collect(),
        items: exercise
            .items
            .iter()
            .map(|item| ItemView {
                id: item.id.to_string(),
                title: item.title.clone(),
                description: item.description.clone(),
                theme: item.theme.clone(),
            })
            .collect(),
        rounds: exercise
            .rounds
            .iter()
            .zip(&stored.rounds)
            .map(|(round, status)| round_view(exercise, round, status))
            .collect(),
    }
}

/// One round's view: its settings for its kind, its state and its schedule.
fn round_view(
    exercise: &survey::Exercise,
    round: &survey::Round,
    status: &store::RoundStatus,
) -> RoundView {
    let mut view = RoundView {
        id: round.id.to_string(),
        title: round.title.clone(),
        question: round.question.clone(),
        kind: round.kind.name().to_string(),
        state: status.state.to_string(),
        opens_at: status.opens_at.map(crate::schedule::rfc3339),
        closes_at: status.closes_at.map(crate::schedule::rfc3339),
        items: exercise
            .round_items(round)
            .map(|item| item.id.to_string())
            .collect(),
        top_k: None,
        max_picks: None,
        max_suggestions: None,
        max_length: None,
        scale: None,
        allow_dont_know: None,
        criteria: Vec::new(),
        max_choices: None,
        method: round.method.map(|method| method.as_str().to_string()),
        weighting: round
            .weighting
            .map(|weighting| weighting.as_str().to_string()),
    };
    match &round.kind {
        RoundKind::Suggest {
            max_suggestions,
            max_length,
        } => {
            view.max_suggestions = Some(*max_suggestions);
            view.max_length = Some(*max_length);
        }
        RoundKind::Rate {
            scale,
            allow_dont_know,
            criteria,
        } => {
            view.allow_dont_know = Some(*allow_dont_know);
            view.scale = Some(scale_view(scale));
            view.criteria = criteria
                .iter()
                .map(|criterion| CriterionView {
                    id: criterion.id.to_string(),
                    label: criterion.label.clone(),
                    weight: criterion.weight,
                })
                .collect();
        }
        RoundKind::Rank { top_k } => view.top_k = Some(*top_k),
        RoundKind::Pick { max_picks } => view.max_picks = Some(*max_picks),
        RoundKind::Pairwise { max_choices } => view.max_choices = *max_choices,
    }
    view
}

/// A rating scale: its points and labels, or the yes/undecided/no answers.
fn scale_view(scale: &Scale) -> ScaleView {
    match scale {
        Scale::Numeric { min, max, labels } => ScaleView {
            min: Some(*min),
            max: Some(*max),
            labels: labels
                .iter()
                .map(|(point, label)| (point.to_string(), label.clone()))
                .collect(),
            answers: Vec::new(),
        },
        Scale::YesUndecidedNo => ScaleView {
            min: None,
            max: None,
            labels: BTreeMap::new(),
            answers: ["yes", "undecided", "no"].map(str::to_string).to_vec(),
        },
    }
}
