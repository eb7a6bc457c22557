//! Exercise definitions: `surveys/NAME/exercise.toml` parsed into types that cannot hold bad
//! values.
//!
//! The file format is documented in `docs/exercise-format.md`. Every problem found is reported
//! with the file, the line and the field, and all problems are reported at once, so that a
//! research lead can fix a definition in one pass. Unknown keys are errors, never ignored.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use rank::rating::DelphiThresholds;
use rank::stability::{DEFAULT_MAX_CHANGE, StoppingRule};
use rank::{DataKind, Method, Weighting};
use serde::Deserialize;
use toml::Spanned;

use crate::located::{LocatedError, Place};
use crate::slug::Slug;

/// The disclosure threshold used when a definition does not set one: groups with fewer
/// respondents are never shown on their own (METHODS.md, "Group weighting").
pub const DEFAULT_DISCLOSURE_THRESHOLD: u32 = 5;
/// The most suggestions a respondent may make in a round when the definition does not say.
pub const DEFAULT_MAX_SUGGESTIONS: u32 = 3;
/// The longest suggestion accepted when the definition does not say, in characters.
pub const DEFAULT_MAX_SUGGESTION_LENGTH: u32 = 1000;
/// The most choices accepted in one answer to a pairwise round that sets no `max_choices`.
pub const MAX_CHOICES: usize = 1000;

/// A parsed, valid exercise definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Exercise {
    /// The exercise id (a slug).
    pub id: Slug,
    /// The title shown to everyone.
    pub title: String,
    /// What the exercise is for, shown on the welcome page and in the report.
    pub description: String,
    /// Whether respondents need an invite token to take part.
    pub invite_only: bool,
    /// Groups with fewer respondents than this are never shown on their own.
    pub disclosure_threshold: u32,
    /// The stakeholder groups, in the order the definition gives.
    pub groups: Vec<Group>,
    /// The candidate items (research topics or questions), in the order the definition gives.
    pub items: Vec<Item>,
    /// The rounds, in the order they run.
    pub rounds: Vec<Round>,
    /// Delphi consensus thresholds and the stopping rule the exercise chose.
    pub delphi: Delphi,
}

/// Delphi settings of an exercise: when an item has reached consensus, and when the exercise
/// stops asking (COMET Handbook; Williamson et al.). Both parts are `rank`'s own types, so the
/// defaults are written once, in `rank`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Delphi {
    /// When an item has reached consensus: the share of ratings needed in the top (or bottom)
    /// band (0.70), the share in the opposite band that must not be reached (0.15), and whether
    /// consensus must also hold within every group.
    pub thresholds: DelphiThresholds,
    /// When to stop re-rating: [`StoppingRule::Rounds`] unless the definition says otherwise.
    pub stopping: StoppingRule,
}

impl Default for Delphi {
    fn default() -> Self {
        Delphi {
            thresholds: DelphiThresholds::default(),
            stopping: StoppingRule::Rounds,
        }
    }
}

/// What a Delphi re-rating round shows each respondent beside each item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feedback {
    /// Index into [`Exercise::rounds`] of the earlier rating round whose answers are shown.
    pub from: usize,
    /// Whose distribution of ratings is shown.
    pub by: FeedbackBy,
}

/// Whose distribution of earlier ratings a re-rating round shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackBy {
    /// Everyone's ratings.
    Overall,
    /// The ratings of the respondent's own stakeholder group (Brookes et al. 2016).
    Group,
}

impl FeedbackBy {
    /// The name used in definitions: `overall` or `group`.
    pub fn as_str(self) -> &'static str {
        match self {
            FeedbackBy::Overall => "overall",
            FeedbackBy::Group => "group",
        }
    }
}

/// A stakeholder group.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group id.
    pub id: Slug,
    /// The label shown to respondents and readers.
    pub label: String,
    /// An optional longer description, to help respondents choose.
    pub description: Option<String>,
}

/// A candidate item: a research topic or question.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The item id.
    pub id: Slug,
    /// The short title shown in lists and charts.
    pub title: String,
    /// An optional longer description.
    pub description: Option<String>,
    /// An optional theme, for grouping items in pages and reports.
    pub theme: Option<String>,
    /// The evidence checked for the item: a reference, or a note of what was searched.
    pub evidence: Option<String>,
    /// Whether existing evidence already answers the item; answered items are set aside:
    /// rounds that ask about every item leave them out.
    pub answered: bool,
}

impl Item {
    /// The text the item is matched by when suggestions are matched to items (`curate`): its
    /// title, then its description after a full stop when it has one, as in "Mental health.
    /// Support for young people leaving care". The command line's `curate propose` and the
    /// service's curation pages both use it.
    pub fn matching_text(&self) -> String {
        match &self.description {
            Some(description) => format!("{}. {description}", self.title),
            None => self.title.clone(),
        }
    }
}

/// One round of an exercise.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// The round id.
    pub id: Slug,
    /// The title shown to respondents.
    pub title: String,
    /// The question or instruction shown to respondents.
    pub question: Option<String>,
    /// What the round asks for, with its parameters.
    pub kind: RoundKind,
    /// Indices into [`Exercise::items`] of the items this round asks about, in order. Empty for
    /// suggestion rounds.
    pub items: Vec<usize>,
    /// The aggregation method the round's results use, if the definition chooses one.
    pub method: Option<Method>,
    /// The group weighting the round's results use, if the definition chooses one.
    pub weighting: Option<Weighting>,
    /// Weights per group id, present exactly when `weighting` is `custom`.
    pub group_weights: BTreeMap<String, f64>,
    /// For a Delphi re-rating round: the earlier rating round whose answers each respondent
    /// sees beside each item.
    pub feedback: Option<Feedback>,
}

/// The kind of a round, with the parameters of that kind.
#[derive(Debug, Clone, PartialEq)]
pub enum RoundKind {
    /// Open free-text suggestions.
    Suggest {
        /// The most suggestions one respondent may make.
        max_suggestions: u32,
        /// The longest suggestion accepted, in characters.
        max_length: u32,
    },
    /// Each item rated on a scale, or against criteria.
    Rate {
        /// What each answer may be.
        scale: Scale,
        /// Whether "don't know" is offered.
        allow_dont_know: bool,
        /// CHNRI-style criteria; empty for a plain rating of each item.
        criteria: Vec<Criterion>,
    },
    /// Rank the top k of the round's items.
    Rank {
        /// How many items each respondent ranks (all of them for a full ranking).
        top_k: u32,
    },
    /// Choose up to k items, unordered.
    Pick {
        /// The most items one respondent may pick.
        max_picks: u32,
    },
    /// Repeated choices between two items, with "can't decide" allowed.
    Pairwise {
        /// The most choices one respondent may make, if limited.
        max_choices: Option<u32>,
    },
}

impl RoundKind {
    /// The name used in definitions: `suggest`, `rate`, `rank`, `pick` or `pairwise`.
    pub fn name(&self) -> &'static str {
        match self {
            RoundKind::Suggest { .. } => "suggest",
            RoundKind::Rate { .. } => "rate",
            RoundKind::Rank { .. } => "rank",
            RoundKind::Pick { .. } => "pick",
            RoundKind::Pairwise { .. } => "pairwise",
        }
    }

    /// The kind of ballots the round yields for ranking, or `None` for suggestion rounds.
    pub fn data_kind(&self) -> Option<DataKind> {
        match self {
            RoundKind::Suggest { .. } => None,
            RoundKind::Rate { .. } => Some(DataKind::Rating),
            RoundKind::Rank { .. } => Some(DataKind::Ranking),
            RoundKind::Pick { .. } => Some(DataKind::Pick),
            RoundKind::Pairwise { .. } => Some(DataKind::Pairwise),
        }
    }
}

/// What a rating answer may be.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    /// Integers from `min` to `max` inclusive, some with labels (for example 1–9, "1 = not
    /// important", "9 = critical").
    Numeric {
        /// The lowest rating.
        min: i32,
        /// The highest rating.
        max: i32,
        /// Labels of some or all points of the scale.
        labels: BTreeMap<i32, String>,
    },
    /// CHNRI answers: yes, undecided or no.
    YesUndecidedNo,
}

impl Scale {
    /// Whether `value` is a point of a numeric scale.
    pub fn contains(&self, value: i32) -> bool {
        match self {
            Scale::Numeric { min, max, .. } => (*min..=*max).contains(&value),
            Scale::YesUndecidedNo => false,
        }
    }
}

/// A CHNRI-style criterion that each item is judged against.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    /// The criterion id.
    pub id: Slug,
    /// The question shown to respondents (for example "Is the research answerable?").
    pub label: String,
    /// The criterion's weight in the Research Priority Score (1 unless stated).
    pub weight: f64,
}

/// What one respondent's answer to a round may hold: the one statement of a round's limits,
/// used alike by the answers the service takes ([`crate::answer`]) and by the response files
/// read against a round ([`crate::responses`]), so that a file the service exports is read
/// back and a file it would refuse is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerLimits {
    /// The most entries one answer may hold: ranked items (`top_k`), picked items
    /// (`max_picks`), suggestions (`max_suggestions`) or pairwise choices (`max_choices`, or
    /// [`MAX_CHOICES`] when the round sets none). `None` for rate rounds, whose answers are
    /// bounded by the round's items and criteria.
    pub most_entries: Option<usize>,
    /// The longest suggestion accepted, in characters; `None` for rounds other than suggest.
    pub max_length: Option<usize>,
}

impl Round {
    /// What one answer to this round may hold (see [`AnswerLimits`]).
    pub fn answer_limits(&self) -> AnswerLimits {
        let (most_entries, max_length) = match self.kind {
            RoundKind::Suggest {
                max_suggestions,
                max_length,
            } => (Some(max_suggestions as usize), Some(max_length as usize)),
            RoundKind::Rank { top_k } => (Some(top_k as usize), None),
            RoundKind::Pick { max_picks } => (Some(max_picks as usize), None),
            RoundKind::Pairwise { max_choices } => (
                Some(max_choices.map_or(MAX_CHOICES, |limit| limit as usize)),
                None,
            ),
            RoundKind::Rate { .. } => (None, None),
        };
        AnswerLimits {
            most_entries,
            max_length,
        }
    }

    /// Whether the round can be opened: a round other than `suggest` needs at least two items,
    /// and at least `top_k` (rank) or `max_picks` (pick) of them. Definitions check this
    /// except for rounds after a suggest round that wait for curated items.
    ///
    /// # Errors
    /// What is missing, in a sentence.
    pub fn ready(&self) -> Result<(), String> {
        let count = self.items.len();
        let needed = match &self.kind {
            RoundKind::Suggest { .. } => return Ok(()),
            RoundKind::Rank { top_k } => (*top_k as usize).max(2),
            RoundKind::Pick { max_picks } => (*max_picks as usize).max(2),
            RoundKind::Rate { .. } | RoundKind::Pairwise { .. } => 2,
        };
        if count < needed {
            Err(format!(
                "round `{}` asks about {count} item{} but needs at least {needed}: add items from the suggestions first",
                self.id,
                if count == 1 { "" } else { "s" }
            ))
        } else {
            Ok(())
        }
    }
}

impl Exercise {
    /// Parses and checks a definition. `path` is only used in messages.
    ///
    /// # Errors
    /// [`DefinitionErrors`] listing every problem found, each with the file, the line and the
    /// field: TOML syntax, unknown or missing keys, bad ids, duplicate ids, unknown references,
    /// parameters that do not fit the round (for example a `top_k` larger than the round's item
    /// count), and methods that do not fit the round's kind.
    pub fn parse(source: &str, path: &str) -> Result<Exercise, DefinitionErrors> {
        let raw: RawExercise = toml::from_str(source).map_err(|error| {
            let line = error.span().map(|span| line_of(source, span.start) as u64);
            DefinitionErrors(vec![DefinitionError {
                source_name: path.to_string(),
                line,
                context: None,
                message: error.message().trim_end_matches('\n').to_string(),
            }])
        })?;
        let mut checker = Checker {
            source,
            path,
            errors: Vec::new(),
        };
        let exercise = checker.exercise(raw);
        if checker.errors.is_empty() {
            Ok(exercise)
        } else {
            Err(DefinitionErrors(checker.errors))
        }
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|group| group.id.as_str() == id)
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.id.as_str() == id)
    }

    /// The round with this id.
    pub fn round(&self, id: &str) -> Option<&Round> {
        self.rounds.iter().find(|round| round.id.as_str() == id)
    }

    /// The round ids, comma-separated, for messages that list them.
    pub fn round_ids(&self) -> String {
        self.rounds
            .iter()
            .map(|round| round.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The items a round asks about, in the round's order.
    pub fn round_items<'a>(&'a self, round: &'a Round) -> impl Iterator<Item = &'a Item> + 'a {
        round.items.iter().map(|&index| &self.items[index])
    }
}

/// One problem in a definition: the file, the line of the offending key or value when known,
/// what the problem is in (a [`Place::Part`] such as "round `rank`" or "item `transitions`"),
/// and what is wrong, naming the field.
pub type DefinitionError = LocatedError;

/// Every problem found in a definition (at least one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl fmt::Display for DefinitionErrors {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                formatter.write_str("\n")?;
            }
            write!(formatter, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DefinitionErrors {}

/// The 1-based line holding byte `offset` of `source`.
pub(crate) fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
        + 1
}

// ---------------------------------------------------------------------------------------------
// The raw file, as TOML gives it. Every field keeps its span so that later checks can name the
// line; `deny_unknown_fields` turns misspelt keys into errors.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExercise {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    description: Option<Spanned<String>>,
    #[serde(default)]
    invite_only: Option<bool>,
    #[serde(default)]
    disclosure_threshold: Option<Spanned<i64>>,
    #[serde(default)]
    groups: Vec<Spanned<RawGroup>>,
    #[serde(default)]
    items: Vec<Spanned<RawItem>>,
    #[serde(default)]
    rounds: Vec<Spanned<RawRound>>,
    #[serde(default)]
    delphi: Option<Spanned<RawDelphi>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDelphi {
    #[serde(default)]
    agreement: Option<Spanned<f64>>,
    #[serde(default)]
    dissent: Option<Spanned<f64>>,
    #[serde(default)]
    within_every_group: Option<bool>,
    #[serde(default)]
    stop: Option<Spanned<String>>,
    #[serde(default)]
    stop_share: Option<Spanned<f64>>,
    #[serde(default)]
    stable_change: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: Spanned<String>,
    label: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    answered: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRound {
    id: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    title: Option<Spanned<String>>,
    #[serde(default)]
    question: Option<Spanned<String>>,
    #[serde(default)]
    items: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    method: Option<Spanned<String>>,
    #[serde(default)]
    weighting: Option<Spanned<String>>,
    #[serde(default)]
    group_weights: Option<Spanned<BTreeMap<String, Spanned<f64>>>>,
    #[serde(default)]
    max_suggestions: Option<Spanned<i64>>,
    #[serde(default)]
    max_length: Option<Spanned<i64>>,
    #[serde(default)]
    scale: Option<Spanned<RawScale>>,
    #[serde(default)]
    allow_dont_know: Option<Spanned<bool>>,
    #[serde(default)]
    criteria: Option<Spanned<Vec<Spanned<RawCriterion>>>>,
    #[serde(default)]
    top_k: Option<Spanned<RawTopK>>,
    #[serde(default)]
    max_picks: Option<Spanned<i64>>,
    #[serde(default)]
    max_choices: Option<Spanned<i64>>,
    #[serde(default)]
    feedback_from: Option<Spanned<String>>,
    #[serde(default)]
    feedback_by: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    min: Spanned<i64>,
    max: Spanned<i64>,
    #[serde(default)]
    labels: Option<Spanned<BTreeMap<String, String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Spanned<String>,
    label: Spanned<String>,
    #[serde(default)]
    weight: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawTopK {
    Number(i64),
    Word(String),
}

/// Which keys belong to which round kind, for the message when a key is given to the wrong kind.
const KIND_KEYS: &[(&str, &[&str])] = &[
    ("suggest", &["max_suggestions", "max_length"]),
    (
        "rate",
        &[
            "scale",
            "allow_dont_know",
            "criteria",
            "feedback_from",
            "feedback_by",
        ],
    ),
    ("rank", &["top_k"]),
    ("pick", &["max_picks"]),
    ("pairwise", &["max_choices"]),
];

struct Checker<'a> {
    source: &'a str,
    path: &'a str,
    errors: Vec<DefinitionError>,
}

impl Checker<'_> {
    fn error(&mut self, span: Range<usize>, context: Option<&str>, message: String) {
        self.errors.push(DefinitionError {
            source_name: self.path.to_string(),
            line: Some(line_of(self.source, span.start) as u64),
            context: context.map(|part| Place::Part(part.to_string())),
            message,
        });
    }

    fn slug(&mut self, value: &Spanned<String>, context: Option<&str>, field: &str) -> Slug {
        match Slug::new(value.get_ref()) {
            Ok(slug) => slug,
            Err(problem) => {
                self.error(value.span(), context, format!("`{field}`: {problem}"));
                Slug::unchecked_stand_in(value.get_ref())
            }
        }
    }

    fn text(&mut self, value: &Spanned<String>, context: Option<&str>, field: &str) -> String {
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.error(value.span(), context, format!("`{field}` cannot be empty"));
        }
        text.to_string()
    }

    fn count(
        &mut self,
        value: &Spanned<i64>,
        context: Option<&str>,
        field: &str,
        minimum: i64,
    ) -> u32 {
        let number = *value.get_ref();
        if number < minimum || number > i64::from(u32::MAX) {
            self.error(
                value.span(),
                context,
                format!("`{field}` is {number} but must be at least {minimum}"),
            );
            return minimum.max(0) as u32;
        }
        number as u32
    }

    fn exercise(&mut self, raw: RawExercise) -> Exercise {
        let id = self.slug(&raw.id, None, "id");
        let title = self.text(&raw.title, None, "title");
        let description = match &raw.description {
            Some(description) => description.get_ref().trim().to_string(),
            None => String::new(),
        };
        let disclosure_threshold = match &raw.disclosure_threshold {
            Some(value) => self.count(value, None, "disclosure_threshold", 1),
            None => DEFAULT_DISCLOSURE_THRESHOLD,
        };

        let mut groups = Vec::new();
        let mut group_lines: HashMap<String, usize> = HashMap::new();
        for raw_group in &raw.groups {
            let raw_group = raw_group.get_ref();
            let context = format!("group `{}`", raw_group.id.get_ref());
            let group_id = self.slug(&raw_group.id, Some(&context), "id");
            let label = self.text(&raw_group.label, Some(&context), "label");
            let line = line_of(self.source, raw_group.id.span().start);
            if let Some(first) = group_lines.insert(group_id.to_string(), line) {
                self.error(
                    raw_group.id.span(),
                    Some(&context),
                    format!("`id` repeats the group defined at line {first}"),
                );
            }
            groups.push(Group {
                id: group_id,
                label,
                description: clean_optional(raw_group.description.as_deref()),
            });
        }
        if groups.is_empty() {
            self.error(
                raw.id.span(),
                None,
                "no stakeholder groups: add at least one `[[groups]]` table".to_string(),
            );
        }

        let mut items = Vec::new();
        let mut item_index: HashMap<String, usize> = HashMap::new();
        let mut item_lines: HashMap<String, usize> = HashMap::new();
        for raw_item in &raw.items {
            let raw_item = raw_item.get_ref();
            let context = format!("item `{}`", raw_item.id.get_ref());
            let item_id = self.slug(&raw_item.id, Some(&context), "id");
            let title = self.text(&raw_item.title, Some(&context), "title");
            let line = line_of(self.source, raw_item.id.span().start);
            if let Some(first) = item_lines.insert(item_id.to_string(), line) {
                self.error(
                    raw_item.id.span(),
                    Some(&context),
                    format!("`id` repeats the item defined at line {first}"),
                );
            } else {
                item_index.insert(item_id.to_string(), items.len());
            }
            let evidence = clean_optional(raw_item.evidence.as_deref());
            let answered = raw_item
                .answered
                .as_ref()
                .is_some_and(|answered| *answered.get_ref());
            if let Some(flag) = &raw_item.answered
                && *flag.get_ref()
                && evidence.is_none()
            {
                self.error(
                    flag.span(),
                    Some(&context),
                    "`answered` is true but `evidence` is missing: give the reference that answers it"
                        .to_string(),
                );
            }
            items.push(Item {
                id: item_id,
                title,
                description: clean_optional(raw_item.description.as_deref()),
                theme: clean_optional(raw_item.theme.as_deref()),
                evidence,
                answered,
            });
        }

        let mut rounds = Vec::new();
        let mut round_lines: HashMap<String, usize> = HashMap::new();
        for raw_round in &raw.rounds {
            let raw_round = raw_round.get_ref();
            let line = line_of(self.source, raw_round.id.span().start);
            if let Some(first) = round_lines.insert(raw_round.id.get_ref().clone(), line) {
                self.error(
                    raw_round.id.span(),
                    Some(&format!("round `{}`", raw_round.id.get_ref())),
                    format!("`id` repeats the round defined at line {first}"),
                );
            }
            if let Some(round) = self.round(raw_round, &items, &item_index, &groups, &rounds) {
                rounds.push(round);
            }
        }
        if rounds.is_empty() {
            self.error(
                raw.id.span(),
                None,
                "no rounds: add at least one `[[rounds]]` table".to_string(),
            );
        }

        let delphi = match &raw.delphi {
            Some(delphi) => self.delphi(delphi.get_ref()),
            None => Delphi::default(),
        };

        Exercise {
            id,
            title,
            description,
            invite_only: raw.invite_only.unwrap_or(false),
            disclosure_threshold,
            groups,
            items,
            rounds,
            delphi,
        }
    }

    /// A share in (0, 1] (or [0, 1) for `dissent`-like thresholds when `allow_zero`).
    fn share(&mut self, value: &Spanned<f64>, field: &str, allow_zero: bool) -> f64 {
        let number = *value.get_ref();
        let fits =
            number.is_finite() && number <= 1.0 && (number > 0.0 || (allow_zero && number == 0.0));
        if !fits {
            let range = if allow_zero {
                "between 0 and 1"
            } else {
                "more than 0 and at most 1"
            };
            self.error(
                value.span(),
                Some("[delphi]"),
                format!("`{field}` is {number} but must be a share {range} (0.7 is 70%)"),
            );
        }
        number
    }

    fn delphi(&mut self, raw: &RawDelphi) -> Delphi {
        let defaults = DelphiThresholds::default();
        let agreement = raw.agreement.as_ref().map_or(defaults.agreement, |value| {
            self.share(value, "agreement", false)
        });
        let dissent = raw
            .dissent
            .as_ref()
            .map_or(defaults.dissent, |value| self.share(value, "dissent", true));
        let stop_share = raw
            .stop_share
            .as_ref()
            .map(|value| self.share(value, "stop_share", false));
        let stable_change = raw
            .stable_change
            .as_ref()
            .map(|value| self.share(value, "stable_change", false));
        let stop = raw.stop.as_ref().map(|value| value.get_ref().as_str());
        let stopping = match stop {
            None | Some("rounds") => {
                for (field, given) in [
                    ("stop_share", raw.stop_share.as_ref()),
                    ("stable_change", raw.stable_change.as_ref()),
                ] {
                    if let Some(given) = given {
                        self.error(
                            given.span(),
                            Some("[delphi]"),
                            format!(
                                "`{field}` applies only with `stop = \"consensus\"` or `stop = \"stability\"`"
                            ),
                        );
                    }
                }
                StoppingRule::Rounds
            }
            Some("consensus") => {
                if let Some(given) = &raw.stable_change {
                    self.error(
                        given.span(),
                        Some("[delphi]"),
                        "`stable_change` applies only with `stop = \"stability\"`".to_string(),
                    );
                }
                StoppingRule::Consensus {
                    share: stop_share.unwrap_or(1.0),
                }
            }
            Some("stability") => StoppingRule::Stability {
                max_change: stable_change.unwrap_or(DEFAULT_MAX_CHANGE),
                share: stop_share.unwrap_or(1.0),
            },
            Some(other) => {
                let span = raw.stop.as_ref().map(|value| value.span()).unwrap_or(0..0);
                self.error(
                    span,
                    Some("[delphi]"),
                    format!("`stop` is `{other}` but must be one of: rounds, consensus, stability"),
                );
                StoppingRule::Rounds
            }
        };
        Delphi {
            thresholds: DelphiThresholds {
                agreement,
                dissent,
                within_every_group: raw
                    .within_every_group
                    .unwrap_or(defaults.within_every_group),
            },
            stopping,
        }
    }

    fn round(
        &mut self,
        raw: &RawRound,
        items: &[Item],
        item_index: &HashMap<String, usize>,
        groups: &[Group],
        earlier: &[Round],
    ) -> Option<Round> {
        let context = format!("round `{}`", raw.id.get_ref());
        let context = Some(context.as_str());
        let id = self.slug(&raw.id, context, "id");
        let kind_name = raw.kind.get_ref().as_str();
        if !KIND_KEYS.iter().any(|(kind, _)| *kind == kind_name) {
            self.error(
                raw.kind.span(),
                context,
                format!(
                    "`kind` is `{kind_name}` but must be one of: suggest, rate, rank, pick, pairwise"
                ),
            );
            return None;
        }
        self.keys_fit_kind(raw, kind_name, context);

        let title = match &raw.title {
            Some(title) => self.text(title, context, "title"),
            None => raw.id.get_ref().clone(),
        };
        let question = raw
            .question
            .as_ref()
            .and_then(|question| clean_optional(Some(question.get_ref())));

        // The round's items: a subset in a stated order, or every item of the exercise.
        let mut round_items = Vec::new();
        if kind_name == "suggest" {
            if let Some(listed) = &raw.items {
                self.error(
                    listed.span(),
                    context,
                    "`items` does not apply to a suggest round: suggestions are free text"
                        .to_string(),
                );
            }
        } else if let Some(listed) = &raw.items {
            let mut seen = HashSet::new();
            for entry in listed.get_ref() {
                match item_index.get(entry.get_ref().as_str()) {
                    Some(&index) if items[index].answered => self.error(
                        entry.span(),
                        context,
                        format!(
                            "`items` names `{}`, which is marked answered by existing evidence",
                            entry.get_ref()
                        ),
                    ),
                    Some(&index) => {
                        if seen.insert(index) {
                            round_items.push(index);
                        } else {
                            self.error(
                                entry.span(),
                                context,
                                format!("`items` lists `{}` twice", entry.get_ref()),
                            );
                        }
                    }
                    None => self.error(
                        entry.span(),
                        context,
                        format!("`items` names `{}`, which is not an item", entry.get_ref()),
                    ),
                }
            }
        } else {
            round_items = (0..items.len())
                .filter(|&index| !items[index].answered)
                .collect();
        }
        let item_count = round_items.len();
        let items_span = raw
            .items
            .as_ref()
            .map(|listed| listed.span())
            .unwrap_or_else(|| raw.kind.span());
        // During curation an exercise may have no items, or too few, yet: rounds after a
        // suggest round that ask about every item ask about the items the research team makes
        // from the suggestions. `Round::ready` says whether such a round can open.
        let awaiting_curation = raw.items.is_none()
            && earlier
                .iter()
                .any(|round| matches!(round.kind, RoundKind::Suggest { .. }));
        if kind_name != "suggest" && item_count < 2 && !awaiting_curation {
            self.error(
                items_span,
                context,
                format!("a {kind_name} round needs at least 2 items but has {item_count}"),
            );
        }

        let kind = match kind_name {
            "suggest" => RoundKind::Suggest {
                max_suggestions: match &raw.max_suggestions {
                    Some(value) => self.count(value, context, "max_suggestions", 1),
                    None => DEFAULT_MAX_SUGGESTIONS,
                },
                max_length: match &raw.max_length {
                    Some(value) => self.count(value, context, "max_length", 1),
                    None => DEFAULT_MAX_SUGGESTION_LENGTH,
                },
            },
            "rate" => {
                let criteria = self.criteria(raw, context);
                let scale = match (&raw.scale, criteria.is_empty()) {
                    (Some(scale), true) => self.scale(scale, context),
                    (Some(scale), false) => {
                        self.error(
                            scale.span(),
                            context,
                            "`scale` does not apply when `criteria` are given: criteria are answered yes, undecided or no".to_string(),
                        );
                        Scale::YesUndecidedNo
                    }
                    (None, true) => {
                        self.error(
                            raw.kind.span(),
                            context,
                            "a rate round needs a `scale` (for example `scale = { min = 1, max = 9 }`) or `criteria`".to_string(),
                        );
                        Scale::YesUndecidedNo
                    }
                    (None, false) => Scale::YesUndecidedNo,
                };
                RoundKind::Rate {
                    scale,
                    allow_dont_know: raw
                        .allow_dont_know
                        .as_ref()
                        .map(|value| *value.get_ref())
                        .unwrap_or(true),
                    criteria,
                }
            }
            "rank" => {
                let top_k = match &raw.top_k {
                    None => item_count as u32,
                    Some(value) => match value.get_ref() {
                        RawTopK::Word(word) if word == "all" => item_count as u32,
                        RawTopK::Word(word) => {
                            self.error(
                                value.span(),
                                context,
                                format!(
                                    "`top_k` is `{word}` but must be a whole number or \"all\""
                                ),
                            );
                            item_count as u32
                        }
                        RawTopK::Number(number) => {
                            let number = *number;
                            if number < 1 {
                                self.error(
                                    value.span(),
                                    context,
                                    format!("`top_k` is {number} but must be at least 1"),
                                );
                                item_count as u32
                            } else if number as usize > item_count && !awaiting_curation {
                                self.error(
                                    value.span(),
                                    context,
                                    format!(
                                        "`top_k` is {number} but the round has {item_count} items"
                                    ),
                                );
                                item_count as u32
                            } else {
                                number as u32
                            }
                        }
                    },
                };
                RoundKind::Rank { top_k }
            }
            "pick" => {
                let max_picks = match &raw.max_picks {
                    Some(value) => {
                        let picks = self.count(value, context, "max_picks", 1);
                        if picks as usize > item_count && !awaiting_curation {
                            self.error(
                                value.span(),
                                context,
                                format!(
                                    "`max_picks` is {picks} but the round has {item_count} items"
                                ),
                            );
                        }
                        picks
                    }
                    None => {
                        self.error(
                            raw.kind.span(),
                            context,
                            "a pick round needs `max_picks`, the most items one person may choose"
                                .to_string(),
                        );
                        1
                    }
                };
                RoundKind::Pick { max_picks }
            }
            _ => RoundKind::Pairwise {
                max_choices: raw
                    .max_choices
                    .as_ref()
                    .map(|value| self.count(value, context, "max_choices", 1)),
            },
        };

        let method = raw.method.as_ref().and_then(|value| {
            match value.get_ref().parse::<Method>() {
                Ok(method) => {
                    match kind.data_kind() {
                        None => self.error(
                            value.span(),
                            context,
                            "`method` does not apply to a suggest round".to_string(),
                        ),
                        Some(data_kind) if !method.fits_kind(data_kind) => self.error(
                            value.span(),
                            context,
                            format!(
                                "`method` is `{method}`, which does not fit {data_kind} data (it fits {})",
                                method
                                    .fits()
                                    .iter()
                                    .map(|kind| kind.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ),
                        Some(_) => {}
                    }
                    Some(method)
                }
                Err(problem) => {
                    self.error(value.span(), context, format!("`method`: {problem}"));
                    None
                }
            }
        });
        if let (Some(Method::Chnri), RoundKind::Rate { criteria, .. }) = (method, &kind)
            && criteria.is_empty()
        {
            self.error(
                raw.method
                    .as_ref()
                    .map(|value| value.span())
                    .unwrap_or(0..0),
                context,
                "`method` is `chnri`, which needs `criteria`".to_string(),
            );
        }

        let weighting =
            raw.weighting
                .as_ref()
                .and_then(|value| match value.get_ref().parse::<Weighting>() {
                    Ok(weighting) => Some(weighting),
                    Err(problem) => {
                        self.error(value.span(), context, format!("`weighting`: {problem}"));
                        None
                    }
                });
        let mut group_weights = BTreeMap::new();
        match (&raw.group_weights, weighting) {
            (Some(weights), Some(Weighting::Custom)) => {
                for (group_id, weight) in weights.get_ref() {
                    if !groups.iter().any(|group| group.id.as_str() == group_id) {
                        self.error(
                            weight.span(),
                            context,
                            format!("`group_weights` names `{group_id}`, which is not a group"),
                        );
                    }
                    let value = *weight.get_ref();
                    if !(value.is_finite() && value >= 0.0) {
                        self.error(
                            weight.span(),
                            context,
                            format!(
                                "`group_weights.{group_id}` is {value} but must be zero or more"
                            ),
                        );
                    }
                    group_weights.insert(group_id.clone(), value);
                }
                for group in groups {
                    if !group_weights.contains_key(group.id.as_str()) {
                        self.error(
                            weights.span(),
                            context,
                            format!("`group_weights` gives no weight for group `{}`", group.id),
                        );
                    }
                }
            }
            (Some(weights), _) => self.error(
                weights.span(),
                context,
                "`group_weights` applies only with `weighting = \"custom\"`".to_string(),
            ),
            (None, Some(Weighting::Custom)) => self.error(
                raw.weighting
                    .as_ref()
                    .map(|value| value.span())
                    .unwrap_or(0..0),
                context,
                "`weighting` is `custom` but `group_weights` is missing".to_string(),
            ),
            (None, _) => {}
        }

        let feedback = self.feedback(raw, &kind, earlier, context);

        Some(Round {
            id,
            title,
            question,
            kind,
            items: round_items,
            method,
            weighting,
            group_weights,
            feedback,
        })
    }

    /// A re-rating round's feedback: an earlier rating round on the same numeric scale.
    fn feedback(
        &mut self,
        raw: &RawRound,
        kind: &RoundKind,
        earlier: &[Round],
        context: Option<&str>,
    ) -> Option<Feedback> {
        let by = match &raw.feedback_by {
            None => FeedbackBy::Overall,
            Some(value) => match value.get_ref().as_str() {
                "overall" => FeedbackBy::Overall,
                "group" => FeedbackBy::Group,
                other => {
                    self.error(
                        value.span(),
                        context,
                        format!("`feedback_by` is `{other}` but must be `overall` or `group`"),
                    );
                    FeedbackBy::Overall
                }
            },
        };
        let Some(from) = &raw.feedback_from else {
            if let Some(value) = &raw.feedback_by {
                self.error(
                    value.span(),
                    context,
                    "`feedback_by` needs `feedback_from`, the earlier rating round to show"
                        .to_string(),
                );
            }
            return None;
        };
        let RoundKind::Rate {
            scale: Scale::Numeric { min, max, .. },
            ..
        } = kind
        else {
            // Criteria rounds: keys_fit_kind already reported other kinds.
            if matches!(kind, RoundKind::Rate { .. }) {
                self.error(
                    from.span(),
                    context,
                    "`feedback_from` needs a rating scale; CHNRI criteria rounds are not re-rated"
                        .to_string(),
                );
            }
            return None;
        };
        let Some(index) = earlier
            .iter()
            .position(|round| round.id.as_str() == from.get_ref())
        else {
            self.error(
                from.span(),
                context,
                format!(
                    "`feedback_from` names `{}`, which is not an earlier round",
                    from.get_ref()
                ),
            );
            return None;
        };
        match &earlier[index].kind {
            RoundKind::Rate {
                scale:
                    Scale::Numeric {
                        min: earlier_min,
                        max: earlier_max,
                        ..
                    },
                ..
            } if earlier_min == min && earlier_max == max => Some(Feedback { from: index, by }),
            RoundKind::Rate {
                scale: Scale::Numeric { .. },
                ..
            } => {
                self.error(
                    from.span(),
                    context,
                    format!(
                        "`feedback_from` names `{}`, whose scale differs from this round's {min}-{max}",
                        from.get_ref()
                    ),
                );
                None
            }
            other => {
                self.error(
                    from.span(),
                    context,
                    format!(
                        "`feedback_from` names `{}`, a {} round; it must be a rate round with a scale",
                        from.get_ref(),
                        other.name()
                    ),
                );
                None
            }
        }
    }

    /// Reports every key that belongs to another round kind.
    fn keys_fit_kind(&mut self, raw: &RawRound, kind_name: &str, context: Option<&str>) {
        let given: [(&str, Option<Range<usize>>); 12] = [
            (
                "max_suggestions",
                raw.max_suggestions.as_ref().map(|v| v.span()),
            ),
            ("max_length", raw.max_length.as_ref().map(|v| v.span())),
            ("scale", raw.scale.as_ref().map(|v| v.span())),
            (
                "allow_dont_know",
                raw.allow_dont_know.as_ref().map(|v| v.span()),
            ),
            ("criteria", raw.criteria.as_ref().map(|v| v.span())),
            ("top_k", raw.top_k.as_ref().map(|v| v.span())),
            ("max_picks", raw.max_picks.as_ref().map(|v| v.span())),
            ("max_choices", raw.max_choices.as_ref().map(|v| v.span())),
            (
                "feedback_from",
                raw.feedback_from.as_ref().map(|v| v.span()),
            ),
            ("feedback_by", raw.feedback_by.as_ref().map(|v| v.span())),
            ("method", None),
            ("weighting", None),
        ];
        for (key, span) in given {
            let Some(span) = span else { continue };
            let owner = KIND_KEYS
                .iter()
                .find(|(_, keys)| keys.contains(&key))
                .map(|(kind, _)| *kind);
            if let Some(owner) = owner
                && owner != kind_name
            {
                self.error(
                    span,
                    context,
                    format!("`{key}` applies to {owner} rounds, not to a {kind_name} round"),
                );
            }
        }
    }

    fn criteria(&mut self, raw: &RawRound, context: Option<&str>) -> Vec<Criterion> {
        let Some(listed) = &raw.criteria else {
            return Vec::new();
        };
        let mut criteria = Vec::new();
        let mut seen = HashSet::new();
        for entry in listed.get_ref() {
            let entry_raw = entry.get_ref();
            let id = self.slug(&entry_raw.id, context, "criteria.id");
            if !seen.insert(id.to_string()) {
                self.error(
                    entry_raw.id.span(),
                    context,
                    format!("`criteria` lists `{id}` twice"),
                );
            }
            let label = self.text(&entry_raw.label, context, "criteria.label");
            let weight = match &entry_raw.weight {
                Some(weight) => {
                    let value = *weight.get_ref();
                    if !(value.is_finite() && value > 0.0) {
                        self.error(
                            weight.span(),
                            context,
                            format!(
                                "`criteria.weight` of `{id}` is {value} but must be more than zero"
                            ),
                        );
                    }
                    value
                }
                None => 1.0,
            };
            criteria.push(Criterion { id, label, weight });
        }
        if criteria.is_empty() {
            self.error(
                listed.span(),
                context,
                "`criteria` is empty: list at least one criterion or remove the key".to_string(),
            );
        }
        criteria
    }

    fn scale(&mut self, raw: &Spanned<RawScale>, context: Option<&str>) -> Scale {
        let scale = raw.get_ref();
        let min = *scale.min.get_ref();
        let max = *scale.max.get_ref();
        let mut valid = true;
        for (field, value) in [("scale.min", &scale.min), ("scale.max", &scale.max)] {
            if i32::try_from(*value.get_ref()).is_err() || value.get_ref().abs() > 1000 {
                self.error(
                    value.span(),
                    context,
                    format!(
                        "`{field}` is {} but must be between -1000 and 1000",
                        value.get_ref()
                    ),
                );
                valid = false;
            }
        }
        if valid && min >= max {
            self.error(
                scale.max.span(),
                context,
                format!("`scale.max` is {max} but must be more than `scale.min` ({min})"),
            );
        }
        let mut labels = BTreeMap::new();
        if let Some(raw_labels) = &scale.labels {
            for (point, label) in raw_labels.get_ref() {
                match point.trim().parse::<i32>() {
                    Ok(value) if (min..=max).contains(&i64::from(value)) => {
                        labels.insert(value, label.trim().to_string());
                    }
                    Ok(value) => self.error(
                        raw_labels.span(),
                        context,
                        format!("`scale.labels` has a label for {value}, which is off the scale {min}-{max}"),
                    ),
                    Err(_) => self.error(
                        raw_labels.span(),
                        context,
                        format!("`scale.labels` key `{point}` is not a whole number"),
                    ),
                }
            }
        }
        Scale::Numeric {
            min: min as i32,
            max: max as i32,
            labels,
        }
    }
}

fn clean_optional(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests;
