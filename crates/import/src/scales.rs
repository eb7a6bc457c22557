//! Rating scales written in words: which points `Strongly agree`, `Very favorably` or
//! `Sometimes` stand for.
//!
//! A survey tool's matrix question often writes the label of the chosen column, not a number.
//! The usual ordered scales are known here, each on its own points, the negative or lowest end
//! being 1: agreement, favourability, satisfaction, likelihood, frequency, quality and
//! importance, and a general rule for `Very X`, `Somewhat X`, `Neither X nor unX`,
//! `Somewhat unX`, `Very unX` (also `disX`) as 5 to 1. The labels of one question are read
//! together ([`scale_of`]): the first known scale that holds all of them, no two of them on the
//! same point, is the question's scale (so `Agree` and `Somewhat agree` together are read on
//! the seven-point agreement scale). Labels on no known scale are never guessed: the import
//! names them and says how to number them.

use std::collections::BTreeSet;

/// A known scale: what it measures and the labels of each point, from 1 up (a point may have
/// several labels, lowercase, spelt as [`normalise`] leaves them).
struct Known {
    /// What the scale measures, for notes.
    name: &'static str,
    /// Each point's labels, from 1 up.
    points: &'static [&'static [&'static str]],
}

/// The known scales, in the order they are tried: for labels that several scales hold (a
/// question whose respondents chose only `Very important`), the first wins.
const KNOWN: [Known; 11] = [
    Known {
        name: "importance",
        points: &[
            &["not at all important", "not important"],
            &[
                "slightly important",
                "of little importance",
                "low importance",
            ],
            &["moderately important", "somewhat important"],
            &["very important"],
            &["extremely important", "essential", "critical"],
        ],
    },
    Known {
        name: "agreement",
        points: &[
            &["strongly disagree", "disagree strongly"],
            &["disagree", "somewhat disagree", "tend to disagree"],
            &[
                "neither agree nor disagree",
                "neither agree or disagree",
                "neither disagree nor agree",
                "neutral",
                "neither",
            ],
            &["agree", "somewhat agree", "tend to agree"],
            &["strongly agree", "agree strongly"],
        ],
    },
    Known {
        name: "seven-point agreement",
        points: &[
            &["strongly disagree"],
            &["disagree"],
            &["somewhat disagree", "slightly disagree"],
            &[
                "neither agree nor disagree",
                "neither agree or disagree",
                "neutral",
                "neither",
            ],
            &["somewhat agree", "slightly agree"],
            &["agree"],
            &["strongly agree"],
        ],
    },
    Known {
        name: "favourability",
        points: &[
            &["very unfavorably", "very unfavorable"],
            &[
                "somewhat unfavorably",
                "somewhat unfavorable",
                "unfavorably",
                "unfavorable",
            ],
            &[
                "neither favorably nor unfavorably",
                "neither favorable nor unfavorable",
                "neutral",
                "neither",
            ],
            &[
                "somewhat favorably",
                "somewhat favorable",
                "favorably",
                "favorable",
            ],
            &["very favorably", "very favorable"],
        ],
    },
    Known {
        name: "satisfaction",
        points: &[
            &["very dissatisfied", "very unsatisfied"],
            &[
                "dissatisfied",
                "somewhat dissatisfied",
                "unsatisfied",
                "somewhat unsatisfied",
            ],
            &[
                "neither satisfied nor dissatisfied",
                "neither dissatisfied nor satisfied",
                "neutral",
                "neither",
            ],
            &["satisfied", "somewhat satisfied"],
            &["very satisfied", "completely satisfied"],
        ],
    },
    Known {
        name: "likelihood",
        points: &[
            &["very unlikely"],
            &["unlikely", "somewhat unlikely"],
            &[
                "neither likely nor unlikely",
                "neither unlikely nor likely",
                "neutral",
                "neither",
            ],
            &["likely", "somewhat likely"],
            &["very likely"],
        ],
    },
    Known {
        name: "likelihood (not at all to extremely)",
        points: &[
            &["not at all likely"],
            &["not so likely", "slightly likely", "not very likely"],
            &["somewhat likely", "moderately likely"],
            &["very likely"],
            &["extremely likely"],
        ],
    },
    Known {
        name: "frequency",
        points: &[
            &["never"],
            &["rarely", "seldom"],
            &["sometimes"],
            &["often", "frequently"],
            &["always", "very often"],
        ],
    },
    Known {
        name: "quality",
        points: &[
            &["very poor"],
            &["poor"],
            &["fair", "average"],
            &["good"],
            &["very good", "excellent"],
        ],
    },
    Known {
        name: "quality (poor to excellent)",
        points: &[
            &["poor"],
            &["fair"],
            &["good"],
            &["very good"],
            &["excellent"],
        ],
    },
    Known {
        name: "importance (not at all to very)",
        points: &[
            &["not at all important"],
            &["slightly important"],
            &["moderately important", "somewhat important"],
            &["important"],
            &["very important"],
        ],
    },
];

/// A scale a question's labels were read on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Scale {
    /// What the scale measures: `agreement`, `favourability`, or `very X to very unX` for the
    /// general rule.
    name: String,
    /// Each point's labels, from 1 up, spelt as [`normalise`] leaves them.
    points: Vec<Vec<String>>,
}

impl Scale {
    /// The point of `label` on the scale, 1 being its negative or lowest end.
    pub(crate) fn point(&self, label: &str) -> Option<i32> {
        let label = normalise(label);
        self.points
            .iter()
            .position(|labels| labels.contains(&label))
            .and_then(|index| i32::try_from(index + 1).ok())
    }

    /// Whether the scale holds every label, no two of them on one point.
    fn fits(&self, labels: &BTreeSet<String>) -> bool {
        let mut points_taken = BTreeSet::new();
        labels.iter().all(|label| {
            self.points
                .iter()
                .position(|labels| labels.contains(label))
                .is_some_and(|point| points_taken.insert(point))
        })
    }

    /// The scale as a note names it: `a favourability scale of 1 to 5`.
    pub(crate) fn title(&self) -> String {
        let article = if self.name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!(
            "{article} {} scale of 1 to {}",
            self.name,
            self.points.len()
        )
    }

    /// How the `labels` (as the export writes them) were read, highest point first:
    /// ``a favourability scale: `Very favorably` = 5, `Somewhat favorably` = 4``.
    pub(crate) fn describe<'a>(&self, labels: impl IntoIterator<Item = &'a str>) -> String {
        let mut read: Vec<(i32, &str)> = labels
            .into_iter()
            .filter_map(|label| self.point(label).map(|point| (point, label)))
            .collect();
        read.sort_by(|(one, one_label), (other, other_label)| {
            other.cmp(one).then_with(|| one_label.cmp(other_label))
        });
        read.dedup();
        format!(
            "{}: {}",
            self.title(),
            read.iter()
                .map(|(point, label)| format!("`{label}` = {point}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// A label as the scales spell it: lowercase, single spaces, `favour` spelt `favor`, a
/// closing remark in brackets (`Neither favorably nor unfavorably (neutral)`) and a full stop
/// left out.
fn normalise(label: &str) -> String {
    let mut text = label.trim().to_lowercase().replace('\u{2019}', "'");
    if text.ends_with(')')
        && let Some(open) = text.rfind('(')
        && open > 0
    {
        text.truncate(open);
    }
    let text = text.trim_end().trim_end_matches('.');
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("favour", "favor")
}

/// The prefixes that turn a word into its opposite in the general rule.
const NEGATIONS: [&str; 2] = ["un", "dis"];

/// The general rule's scales for `labels`: for each `Very X` or `Somewhat X` among them, the
/// scale `Very unX`, `Somewhat unX`, `Neither X nor unX`, `Somewhat X`, `Very X` (and the same
/// with `dis`), X being positive unless it begins with `un` or `dis`.
fn general_scales(labels: &BTreeSet<String>) -> Vec<Scale> {
    let mut positives: BTreeSet<(String, &str)> = BTreeSet::new();
    for label in labels {
        let Some(rest) = label
            .strip_prefix("very ")
            .or_else(|| label.strip_prefix("somewhat "))
        else {
            continue;
        };
        let negated = NEGATIONS.iter().find_map(|negation| {
            rest.strip_prefix(negation)
                .filter(|word| word.len() >= 4)
                .map(|word| (word.to_string(), *negation))
        });
        match negated {
            Some(pair) => {
                positives.insert(pair);
            }
            None => {
                for negation in NEGATIONS {
                    positives.insert((rest.to_string(), negation));
                }
            }
        }
    }
    positives
        .into_iter()
        .map(|(word, negation)| {
            let opposite = format!("{negation}{word}");
            Scale {
                name: format!("`very {word}` to `very {opposite}`"),
                points: vec![
                    vec![format!("very {opposite}")],
                    vec![format!("somewhat {opposite}")],
                    vec![
                        format!("neither {word} nor {opposite}"),
                        format!("neither {opposite} nor {word}"),
                        "neutral".to_string(),
                        "neither".to_string(),
                    ],
                    vec![format!("somewhat {word}")],
                    vec![format!("very {word}")],
                ],
            }
        })
        .collect()
}

impl ScaleRead {
    /// The scale, when the labels are on one.
    pub(crate) fn scale(&self) -> Option<&Scale> {
        match self {
            ScaleRead::Words { scale, .. } => Some(scale),
            ScaleRead::Numbers | ScaleRead::Unknown(_) => None,
        }
    }

    /// How the labels were read, for a note about question `text`; `None` for numbers.
    pub(crate) fn note(&self, text: &str) -> Option<String> {
        match self {
            ScaleRead::Numbers => None,
            ScaleRead::Words { scale, labels } => Some(format!(
                "read the labels of `{text}` on {}; if the question's scale is another, number the labels in the survey tool or give each a number under [scale] in a --mapping file",
                scale.describe(labels.iter().map(String::as_str))
            )),
            ScaleRead::Unknown(labels) => Some(format!(
                "the labels of `{text}` are on no one rating scale that is known: {}; number the labels in the survey tool, or give each a number under [scale] in a --mapping file (see docs/import.md, \"Rating scales in words\")",
                labels
                    .iter()
                    .map(|label| format!("`{label}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
}

/// What a question's labels in words were read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ScaleRead {
    /// The question has no labels in words (numbers, blanks and "don't know" only).
    Numbers,
    /// Its labels (as the export writes them, in order) are points of this scale.
    Words {
        /// The scale.
        scale: Scale,
        /// The labels read.
        labels: Vec<String>,
    },
    /// Its labels are on no one known scale; these are the labels (as the export writes them)
    /// that no known scale holds, or all of them when each is on some scale but no scale
    /// holds them all.
    Unknown(Vec<String>),
}

/// The scale that every label in `labels` (as the export writes them; numbers and "don't
/// know" already left out) is on: the first known scale that holds them all, no two on one
/// point, else a scale of the general rule.
pub(crate) fn scale_of<'a>(labels: impl IntoIterator<Item = &'a str>) -> ScaleRead {
    let written: BTreeSet<&str> = labels.into_iter().map(str::trim).collect();
    if written.is_empty() {
        return ScaleRead::Numbers;
    }
    let normalised: BTreeSet<String> = written.iter().map(|label| normalise(label)).collect();
    let known = KNOWN.iter().map(|known| Scale {
        name: known.name.to_string(),
        points: known
            .points
            .iter()
            .map(|labels| labels.iter().map(|label| (*label).to_string()).collect())
            .collect(),
    });
    let candidates: Vec<Scale> = known.chain(general_scales(&normalised)).collect();
    if let Some(scale) = candidates.iter().find(|scale| scale.fits(&normalised)) {
        return ScaleRead::Words {
            scale: scale.clone(),
            labels: written.iter().map(|label| (*label).to_string()).collect(),
        };
    }
    let unknown: Vec<String> = written
        .iter()
        .filter(|label| candidates.iter().all(|scale| scale.point(label).is_none()))
        .map(|label| (*label).to_string())
        .collect();
    ScaleRead::Unknown(if unknown.is_empty() {
        written.iter().map(|label| (*label).to_string()).collect()
    } else {
        unknown
    })
}

/// The point of one label read alone (see [`scale_of`]), for a cell whose question's scale is
/// not known.
pub(crate) fn point_of(label: &str) -> Option<i32> {
    match scale_of([label]) {
        ScaleRead::Words { scale, .. } => scale.point(label),
        ScaleRead::Numbers | ScaleRead::Unknown(_) => None,
    }
}

/// What to tell a user about a label in words that is on no known scale, or not on the scale
/// the question's other labels are on.
pub(crate) fn unknown_label_message(label: &str, scale: Option<&Scale>) -> String {
    let on = match scale {
        Some(scale) => format!(
            "is not on the scale the question's other labels are on ({})",
            scale.title()
        ),
        None => {
            "is on no rating scale that is known (see docs/import.md, \"Rating scales in words\")"
                .to_string()
        }
    };
    format!(
        "`{label}` {on}: number the labels in the survey tool (`1 - {label}`), or give each label a number under [scale] in a --mapping file"
    )
}

#[cfg(test)]
mod tests;
