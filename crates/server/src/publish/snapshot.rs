//! What a published snapshot holds, and how it is made from a round's results document. Every
//! sentence a reader sees is written here, once, when the snapshot is made: the public pages
//! only lay out what the snapshot says.

use report::plain::named_in_words;
use report::results::{RankingRow, ResultsDocument};
use serde::{Deserialize, Serialize};
use survey::{Exercise, Round, RoundKind, Scale};

/// The version of the snapshot's JSON. A reader of a later format knows what it reads; fields
/// may be added without a new format, none may change meaning.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// How many of each group's priorities a snapshot holds.
pub const GROUP_TOP: usize = 10;

/// How many places the easy-read summary and the top of the page show.
pub const TOP_TEN: usize = 10;

/// A round's published results, frozen: everything the public pages show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The snapshot's format ([`SNAPSHOT_FORMAT`]).
    pub format: u32,
    /// The exercise id.
    pub exercise: String,
    /// The exercise's title.
    pub exercise_title: String,
    /// The round id.
    pub round: String,
    /// The round's title.
    pub round_title: String,
    /// When it was made (Unix seconds).
    pub published_at: i64,
    /// The date it was published, in words: `7 December 2026` (UTC).
    pub published_on: String,
    /// How many people answered the round.
    pub respondents: u64,
    /// The method and weighting, in plain words.
    pub method: String,
    /// The SHA-256 of the inputs (the definition's TOML, then the round's export).
    pub inputs_sha256: String,
    /// Every topic, in rank order.
    pub final_list: Vec<ListEntry>,
    /// How the list was made, in 3 to 5 plain sentences.
    pub explanation: Vec<String>,
    /// Each group shown on its own (under the disclosure rule), with its top priorities.
    pub groups: Vec<GroupPriorities>,
    /// The groups not shown on their own, as one line, when the rule lets its count be shown.
    pub other_groups: Option<OtherGroups>,
    /// The easy-read summary: short sentences, read before the top ten.
    pub easy_read: Vec<String>,
}

/// One place of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListEntry {
    /// The rank (tied topics share one).
    pub rank: usize,
    /// The topic's title.
    pub title: String,
    /// How sure the place is, in words, when the results have rank intervals.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rank_interval: Option<String>,
}

/// A group shown on its own and its top priorities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupPriorities {
    /// The group's label.
    pub group: String,
    /// How many of its people answered.
    pub respondents: u64,
    /// Its top priorities (at most [`GROUP_TOP`]).
    pub top: Vec<ListEntry>,
}

/// The pool of groups not shown on their own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherGroups {
    /// "Other groups".
    pub label: String,
    /// How many people of those groups answered together.
    pub respondents: u64,
}

/// An ordinal in words: `1st`, `2nd`, `3rd`, `11th`, `22nd`.
pub fn ordinal(number: usize) -> String {
    let suffix = match (number % 10, number % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{number}{suffix}")
}

/// A rank interval in words: `almost certainly 1st`, `between 2nd and 5th`.
pub fn interval_in_words(low: usize, high: usize) -> String {
    if low == high {
        format!("almost certainly {}", ordinal(low))
    } else {
        format!("between {} and {}", ordinal(low), ordinal(high))
    }
}

pub use crate::schedule::date_in_words;

/// "1 person", "12 people".
pub fn people(count: u64) -> String {
    if count == 1 {
        "1 person".to_string()
    } else {
        format!("{count} people")
    }
}

/// What the round asked people to do, to follow "were asked to".
fn asked_to(round: &Round) -> String {
    let items = round.items.len();
    match &round.kind {
        RoundKind::Rank { top_k } if *top_k as usize >= items => {
            format!("put {items} topics in order of importance")
        }
        RoundKind::Rank { top_k } => {
            format!("choose the {top_k} most important of {items} topics, in order")
        }
        RoundKind::Rate { criteria, .. } if !criteria.is_empty() => format!(
            "judge each of {items} topics against {} criteria",
            criteria.len()
        ),
        RoundKind::Rate {
            scale: Scale::Numeric { min, max, .. },
            ..
        } => format!("rate how important each of {items} topics is, from {min} to {max}"),
        RoundKind::Rate { .. } => format!("rate each of {items} topics"),
        RoundKind::Pick { max_picks } => {
            format!("pick up to {max_picks} of {items} topics that matter most")
        }
        RoundKind::Pairwise { .. } => {
            format!("choose the more important topic of pairs taken from {items} topics")
        }
        RoundKind::Suggest { .. } => "suggest topics".to_string(),
    }
}

fn entries(rows: &[RankingRow], limit: usize) -> Vec<ListEntry> {
    rows.iter()
        .take(limit)
        .map(|row| ListEntry {
            rank: row.rank,
            title: row.label.clone(),
            rank_interval: row
                .rank_interval
                .map(|[low, high]| interval_in_words(low, high)),
        })
        .collect()
}

/// The snapshot of a round's results document (the round's own method first), or `None` when
/// the document holds no results.
pub fn snapshot(
    exercise: &Exercise,
    round: &Round,
    document: &ResultsDocument,
    inputs_sha256: &str,
    published_at: i64,
) -> Option<Snapshot> {
    let entry = document.results.first()?;
    let respondents = document.input.respondents;
    let threshold = document.settings.disclosure_threshold;
    let method = named_in_words(entry.method.as_str(), entry.weighting.as_str());
    let final_list = entries(&entry.ranking, usize::MAX);
    let groups: Vec<GroupPriorities> = entry
        .groups
        .iter()
        .map(|group| GroupPriorities {
            group: exercise
                .group(&group.group)
                .map_or_else(|| group.group.clone(), |found| found.label.clone()),
            respondents: group.respondents,
            top: entries(&group.ranking, GROUP_TOP),
        })
        .collect();
    // The pool's count is the rest of the respondents once the shown groups are taken away:
    // shown only when the rule lets it be (it reaches the threshold beside a shown group) and
    // every shown group's figures are here (a group the method could not rank alone would
    // otherwise be counted in it).
    let shown: u64 = groups.iter().map(|group| group.respondents).sum();
    let pool = respondents.saturating_sub(shown);
    let other_groups = (!document.input.suppressed_groups.is_empty()
        && entry.group_failures.is_empty()
        && !groups.is_empty()
        && pool > 0
        && pool >= threshold)
        .then(|| OtherGroups {
            label: "Other groups".to_string(),
            respondents: pool,
        });
    let resamples = document
        .settings
        .bootstrap
        .filter(|_| entry.ranking.iter().any(|row| row.rank_interval.is_some()));
    let group_count = exercise.groups.len();
    let mut explanation = vec![
        if group_count > 1 {
            format!(
                "People from {group_count} stakeholder groups were asked to {} in the round \
                 “{}”.",
                asked_to(round),
                round.title
            )
        } else {
            format!(
                "People were asked to {} in the round “{}”.",
                asked_to(round),
                round.title
            )
        },
        format!(
            "{} answered, and every answer counts in the list.",
            capitalised(&people(respondents))
        ),
        format!("The topics were put in order by {method}: the full report explains exactly how."),
    ];
    if let Some(resamples) = resamples {
        let resamples = report::numbers::count_for_reading(resamples as u64);
        explanation.push(format!(
            "Beside each place is how sure it is: if other people like these had answered, the \
             topic would land in that range of places 95 times out of 100 (tried with {resamples} \
             resamples of the answers)."
        ));
    }
    if group_count > 1 {
        explanation.push(format!(
            "Each group in which at least {} answered is also shown on its own; smaller \
             groups count in the list but are never shown on their own.",
            people(threshold)
        ));
    }
    let top_count = final_list.len().min(TOP_TEN);
    let mut easy_read = vec![
        format!(
            "{} answered our questions.",
            capitalised(&people(respondents))
        ),
        "They told us which research topics matter most to them.".to_string(),
        "We put all their answers together to make one list.".to_string(),
    ];
    let first: Vec<&str> = final_list
        .iter()
        .filter(|entry| entry.rank == 1)
        .map(|entry| entry.title.as_str())
        .collect();
    match first.as_slice() {
        [] => {}
        [only] => easy_read.push(format!("The most important topic is: {only}.")),
        [before @ .., last] => easy_read.push(format!(
            "The most important topics, sharing first place, are: {} and {last}.",
            before.join(", ")
        )),
    }
    easy_read.push(if top_count == 1 {
        "Here is the top topic.".to_string()
    } else {
        format!("Here are the top {top_count} topics.")
    });
    Some(Snapshot {
        format: SNAPSHOT_FORMAT,
        exercise: exercise.id.to_string(),
        exercise_title: exercise.title.clone(),
        round: round.id.to_string(),
        round_title: round.title.clone(),
        published_at,
        published_on: date_in_words(published_at),
        respondents,
        method,
        inputs_sha256: inputs_sha256.to_string(),
        final_list,
        explanation,
        groups,
        other_groups,
        easy_read,
    })
}

/// The text with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_ordinals_and_intervals_read_as_words() {
        assert_eq!(date_in_words(0), "1 January 1970");
        assert_eq!(date_in_words(1_796_688_000), "8 December 2026");
        assert_eq!(date_in_words(951_782_400), "29 February 2000");
        let ordinals: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            ordinals,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th"
            ]
        );
        assert_eq!(interval_in_words(2, 5), "between 2nd and 5th");
        assert_eq!(interval_in_words(1, 1), "almost certainly 1st");
        assert_eq!(people(1), "1 person");
        assert_eq!(people(12), "12 people");
    }
}
