//! Exercise definitions: `surveys/NAME/exercise.toml` parsed into types that cannot hold bad
//! values.
//!
//! The file format is documented in `docs/exercise-format.md`. Every problem found is reported
//! with the file, the line and the field, and all problems are reported at once, so that a
//! research lead can fix a definition in one pass. Unknown keys are errors, never ignored.

mod check;
mod raw;
mod shape;

use std::collections::BTreeMap;
use std::fmt;

use rank::rating::DelphiThresholds;
use rank::stability::StoppingRule;
use rank::{DataKind, Method, Weighting};

use crate::located::LocatedError;
use crate::slug::Slug;
use check::Checker;
use raw::RawExercise;
use serde::Deserialize;
use shape::Shaper;

/// The disclosure threshold used when a definition does not set one: groups with fewer
/// respondents are never shown on their own (METHODS.md, "Group weighting").
pub const DEFAULT_DISCLOSURE_THRESHOLD: u32 = 5;
/// The most suggestions a respondent may make in a round when the definition does not say.
pub const DEFAULT_MAX_SUGGESTIONS: u32 = 3;
/// The longest suggestion accepted when the definition does not say, in characters.
pub const DEFAULT_MAX_SUGGESTION_LENGTH: u32 = 1000;
/// The most choices accepted in one answer to a pairwise round that sets no `max_choices`.
pub const MAX_CHOICES: usize = 1000;
/// The most items one exercise may define. A James Lind Alliance priority setting partnership
/// curates thousands of suggestions (8,000 in the largest) into tens of questions, so this
/// leaves ample room while keeping every per-item computation and page bounded.
pub const MAX_ITEMS: usize = 1000;

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
    /// The order the round shows its items in: drawn for each respondent unless the definition
    /// asks for the definition's own order and says why.
    pub order: ItemOrder,
}

/// The order a round shows its items in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ItemOrder {
    /// An order drawn for each respondent (seeded, the same on every visit), and for pairwise
    /// rounds a drawn side for each pair: the default, so that no item gains from its place.
    #[default]
    Random,
    /// The definition's order for everyone (`order = "fixed"`), with the reason the definition
    /// gives (`order_reason`), which the method report quotes.
    Fixed {
        /// Why the round shows everyone the same order.
        reason: String,
    },
}

impl ItemOrder {
    /// The name used in definitions: `random` or `fixed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ItemOrder::Random => "random",
            ItemOrder::Fixed { .. } => "fixed",
        }
    }

    /// Whether each respondent sees an order of their own.
    pub fn is_random(&self) -> bool {
        matches!(self, ItemOrder::Random)
    }
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
        let located = |span: Option<std::ops::Range<usize>>, message: &str| DefinitionError {
            source_name: path.to_string(),
            line: span.map(|span| line_of(source, span.start) as u64),
            context: None,
            message: message.trim_end_matches('\n').to_string(),
        };
        // TOML syntax first: the parser recovers after an error, so every syntax error is
        // reported, but nothing else is checked, because a line that did not parse would show
        // up again as a missing key.
        let (mut root, syntax_errors) = toml::de::DeTable::parse_recoverable(source);
        if !syntax_errors.is_empty() {
            let mut errors: Vec<DefinitionError> = syntax_errors
                .iter()
                .map(|error| located(error.span(), error.message()))
                .collect();
            errors.dedup();
            return Err(DefinitionErrors::in_file_order(errors));
        }
        // Then the shape: unknown keys, values of the wrong type and missing keys, each taken
        // out or stood in for so that the rest can still be read and checked.
        let mut shaper = Shaper {
            source,
            path,
            errors: Vec::new(),
        };
        shaper.exercise(&mut root);
        let mut errors = shaper.errors;
        // Last the meaning: ids, references, parameters that fit their round.
        match RawExercise::deserialize(toml::de::Deserializer::from(root)) {
            Ok(raw) => {
                let mut checker = Checker {
                    source,
                    path,
                    errors: Vec::new(),
                };
                let exercise = checker.exercise(raw);
                errors.extend(checker.errors);
                if errors.is_empty() {
                    return Ok(exercise);
                }
            }
            // The shape leaves nothing the raw types refuse; should it miss a case, the
            // problem is still reported, with the others.
            Err(error) => errors.push(located(error.span(), error.message())),
        }
        Err(DefinitionErrors::in_file_order(errors))
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
/// what the problem is in (a [`Place::Part`](crate::located::Place::Part) such as "round
/// `rank`" or "item `transitions`"), and what is wrong, naming the field.
pub type DefinitionError = LocatedError;

/// Every problem found in a definition (at least one), in the order of their lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionErrors(pub Vec<DefinitionError>);

impl DefinitionErrors {
    /// The problems sorted by line, keeping the order in which those on the same line were
    /// found.
    fn in_file_order(mut errors: Vec<DefinitionError>) -> DefinitionErrors {
        errors.sort_by_key(|error| error.line);
        DefinitionErrors(errors)
    }
}

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

#[cfg(test)]
mod tests;
