//! The raw file, as TOML gives it. Every field keeps its span so that later checks can name the
//! line. Misspelt keys, wrong types and missing keys are reported (and taken out) by
//! `shape` before these types are read, beside every other problem; `deny_unknown_fields`
//! stays as a guard that the two agree.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The whole file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExercise {
    pub(super) id: Spanned<String>,
    pub(super) title: Spanned<String>,
    #[serde(default)]
    pub(super) description: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) invite_only: Option<bool>,
    #[serde(default)]
    pub(super) disclosure_threshold: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) groups: Vec<Spanned<RawGroup>>,
    #[serde(default)]
    pub(super) items: Vec<Spanned<RawItem>>,
    #[serde(default)]
    pub(super) rounds: Vec<Spanned<RawRound>>,
    #[serde(default)]
    pub(super) delphi: Option<Spanned<RawDelphi>>,
}

/// The `[delphi]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDelphi {
    #[serde(default)]
    pub(super) agreement: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) dissent: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) within_every_group: Option<bool>,
    #[serde(default)]
    pub(super) stop: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) stop_share: Option<Spanned<f64>>,
    #[serde(default)]
    pub(super) stable_change: Option<Spanned<f64>>,
}

/// One `[[groups]]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGroup {
    pub(super) id: Spanned<String>,
    pub(super) label: Spanned<String>,
    #[serde(default)]
    pub(super) description: Option<String>,
}

/// One `[[items]]` table.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    pub(super) id: Spanned<String>,
    pub(super) title: Spanned<String>,
    #[serde(default)]
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) theme: Option<String>,
    #[serde(default)]
    pub(super) evidence: Option<String>,
    #[serde(default)]
    pub(super) answered: Option<Spanned<bool>>,
}

/// One `[[rounds]]` table, with the keys of every kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRound {
    pub(super) id: Spanned<String>,
    pub(super) kind: Spanned<String>,
    #[serde(default)]
    pub(super) title: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) question: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) items: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub(super) method: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) weighting: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) group_weights: Option<Spanned<BTreeMap<String, Spanned<f64>>>>,
    #[serde(default)]
    pub(super) max_suggestions: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) max_length: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) scale: Option<Spanned<RawScale>>,
    #[serde(default)]
    pub(super) allow_dont_know: Option<Spanned<bool>>,
    #[serde(default)]
    pub(super) criteria: Option<Spanned<Vec<Spanned<RawCriterion>>>>,
    #[serde(default)]
    pub(super) top_k: Option<Spanned<RawTopK>>,
    #[serde(default)]
    pub(super) max_picks: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) max_choices: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) feedback_from: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) feedback_by: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) order: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) order_reason: Option<Spanned<String>>,
}

/// A rating round's `scale`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScale {
    /// Required; when missing, `shape` has reported it.
    #[serde(default)]
    pub(super) min: Option<Spanned<i64>>,
    /// Required; when missing, `shape` has reported it.
    #[serde(default)]
    pub(super) max: Option<Spanned<i64>>,
    #[serde(default)]
    pub(super) labels: Option<Spanned<BTreeMap<String, String>>>,
}

/// One of a rating round's `criteria`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCriterion {
    pub(super) id: Spanned<String>,
    pub(super) label: Spanned<String>,
    #[serde(default)]
    pub(super) weight: Option<Spanned<f64>>,
}

/// A ranking round's `top_k`: a number or `"all"`.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawTopK {
    /// A number of items.
    Number(i64),
    /// A word; only `all` is valid.
    Word(String),
}
