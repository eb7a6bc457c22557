//! The audit trail: from each final priority back through the shortlist and the long list to
//! the suggestions people wrote, in the shape the James Lind Alliance publishes its question
//! lists (JLA Guidebook, chapters 5–8: "the data processing" and the published spreadsheet of
//! every question with its original submissions and the evidence checked).
//!
//! [`audit_trail`] arranges an exercise, its curation file and the results of its ranked rounds
//! into one row per item of the long list; [`write_audit_csv`] writes the rows as `audit.csv`.
//! Neither reads nor writes a file: the caller hands over a [`Write`], so the command line and
//! the service can both use them.
//!
//! # Rows
//!
//! One row per item that has at least one assigned suggestion, is asked about in any round, or
//! is marked as answered by evidence; the final round's items first by their final rank, then
//! the rest in the exercise's order. Columns:
//!
//! `final_rank,item,title,status,submissions,groups,original_submissions,evidence,answered`,
//! then for each ranked round `<round>_score,<round>_rank,<round>_included`.
//!
//! - `final_rank`: the item's rank in the last ranked round, empty if that round did not ask
//!   about it.
//! - `status`: `answered by evidence` (the definition marks it answered), `top priority` (in the
//!   top k of the last ranked round), `shortlisted` (asked about in the last ranked round, not
//!   in its top k) or `long list`.
//! - `submissions`: the suggestions assigned to the item; `groups` the same counted by group,
//!   as `young-people 3; practitioners 5`; `original_submissions` their texts, each on one line,
//!   joined with ` | `.
//! - `<round>_score`, `<round>_rank`: the round's own method (the first of its results);
//!   `<round>_included`: `yes` if the round asked about the item, else `no` (score and rank
//!   then empty).
//!
//! # Small groups
//!
//! Counts by group follow the disclosure rule of METHODS.md ([`crate::disclosure`]), applied
//! to the people of each group in the curation (distinct people who made suggestions): a group
//! with fewer of them than the exercise's disclosure threshold is never named with a count.
//! Such groups are counted together as `other groups`, and that pool must itself reach the
//! threshold: when it does not, the smallest named group (by people, then the exercise's
//! order) joins it, and so on until it does. A group is thus named only when at least the
//! threshold of people stand behind its count, and neither the pool nor the total
//! (`submissions`, which always counts everyone) minus the named groups isolates fewer people
//! than the threshold.
//!
//! # Text from people
//!
//! Suggestions, titles, notes and evidence are written as they are, except that runs of white
//! space become one space and every text cell is neutralised for spreadsheets with
//! [`neutralise_formula`] (a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'`).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use rank::Method;
use survey::curation::{Curation, Status};
use survey::definition::{Exercise, Item, Round, RoundKind};
use survey::responses::neutralise_formula;

use crate::disclosure::{POOLED_GROUPS_LABEL, PooledGroups, in_exercise_order};
use crate::results::ResultsDocument;

/// The label of the pooled small groups ([`POOLED_GROUPS_LABEL`]).
pub const POOLED_GROUPS: &str = POOLED_GROUPS_LABEL;

/// Where an item of the long list ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuditStatus {
    /// In the top k of the last ranked round.
    TopPriority,
    /// Asked about in the last ranked round, not in its top k.
    Shortlisted,
    /// On the long list but not asked about in the last ranked round.
    LongList,
    /// Set aside: existing evidence already answers it.
    AnsweredByEvidence,
}

impl AuditStatus {
    /// The words used in `audit.csv` and the report: `top priority`, `shortlisted`,
    /// `long list` or `answered by evidence`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditStatus::TopPriority => "top priority",
            AuditStatus::Shortlisted => "shortlisted",
            AuditStatus::LongList => "long list",
            AuditStatus::AnsweredByEvidence => "answered by evidence",
        }
    }
}

/// A count of suggestions from one group, or from the pooled small groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    /// The group id, or [`POOLED_GROUPS`].
    pub group: String,
    /// How many suggestions.
    pub count: usize,
}

/// An item's score and rank in one ranked round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RoundPlace {
    /// The score by the round's own method (`None` where the method gives none).
    pub score: Option<f64>,
    /// The rank.
    pub rank: usize,
}

/// A ranked round of the trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRound {
    /// The round id.
    pub id: String,
    /// The round's title.
    pub title: String,
    /// Its position among the exercise's rounds, from 1.
    pub number: usize,
    /// The method whose scores are given.
    pub method: Method,
    /// The length of its top list.
    pub top_k: usize,
}

/// One item of the long list.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRow {
    /// The rank in the last ranked round, if it asked about the item.
    pub final_rank: Option<usize>,
    /// The item id.
    pub item: String,
    /// The item's title.
    pub title: String,
    /// Where it ended up.
    pub status: AuditStatus,
    /// Suggestions assigned to the item.
    pub submissions: usize,
    /// The same by group (small groups pooled; see the module documentation), in the
    /// exercise's group order, the pool last.
    pub groups: Vec<GroupCount>,
    /// The assigned suggestions' texts, as written (on one line each), in curation order.
    pub original_submissions: Vec<String>,
    /// The evidence checked, from the definition.
    pub evidence: Option<String>,
    /// Whether existing evidence answers the item.
    pub answered: bool,
    /// Per ranked round (in [`AuditTrail::rounds`] order): the item's place, `None` if the
    /// round did not ask about it.
    pub places: Vec<Option<RoundPlace>>,
}

/// A reason given for setting suggestions aside, with how many it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The note, on one line; empty when none was given.
    pub reason: String,
    /// How many out-of-scope suggestions carry it.
    pub count: usize,
}

/// The suggestions set aside as out of scope.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutOfScope {
    /// How many.
    pub total: usize,
    /// By group, small groups pooled.
    pub groups: Vec<GroupCount>,
    /// By reason, most common first.
    pub reasons: Vec<Reason>,
}

/// The whole trail.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditTrail {
    /// The ranked rounds, in the exercise's order; the last is the final round.
    pub rounds: Vec<AuditRound>,
    /// The long list.
    pub rows: Vec<AuditRow>,
    /// The out-of-scope suggestions.
    pub out_of_scope: OutOfScope,
    /// Suggestions in the curation, whatever their status.
    pub suggestions: usize,
    /// Suggestions not (yet) assigned: status `unassigned`, or `proposed` and not accepted.
    pub not_assigned: usize,
    /// The groups counted together as [`POOLED_GROUPS`], by id.
    pub pooled_groups: Vec<String>,
    /// The exercise's disclosure threshold.
    pub disclosure_threshold: u32,
}

/// Runs of white space (line breaks included) become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The groups to pool, as the module documentation says, from the curation's people.
fn pooled_groups(exercise: &Exercise, curation: &Curation) -> PooledGroups {
    let mut people: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for suggestion in &curation.suggestions {
        people
            .entry(suggestion.group.as_str())
            .or_default()
            .insert(suggestion.respondent.as_str());
    }
    let mut sizes: Vec<(&str, u64)> = people
        .into_iter()
        .map(|(group, respondents)| (group, respondents.len() as u64))
        .collect();
    in_exercise_order(exercise, &mut sizes, |(group, _)| group);
    PooledGroups::plan(sizes, u64::from(exercise.disclosure_threshold))
}

/// Counts by group in the exercise's group order (unknown groups after, by id), small groups
/// pooled last.
fn group_counts<'a>(
    exercise: &Exercise,
    groups: impl Iterator<Item = &'a str>,
    pooled: &PooledGroups,
) -> Vec<GroupCount> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pool = 0;
    for group in groups {
        if pooled.contains(group) {
            pool += 1;
        } else {
            *counts.entry(group).or_insert(0) += 1;
        }
    }
    let mut named: Vec<(usize, &str, usize)> = counts
        .into_iter()
        .map(|(group, count)| {
            let order = exercise
                .groups
                .iter()
                .position(|known| known.id.as_str() == group)
                .unwrap_or(usize::MAX);
            (order, group, count)
        })
        .collect();
    named.sort();
    let mut result: Vec<GroupCount> = named
        .into_iter()
        .map(|(_, group, count)| GroupCount {
            group: group.to_string(),
            count,
        })
        .collect();
    if pool > 0 {
        result.push(GroupCount {
            group: POOLED_GROUPS.to_string(),
            count: pool,
        });
    }
    result
}

/// Builds the audit trail of an exercise from its curation and the results of its ranked
/// rounds (each round with the results document the report or the service already made; in
/// any order, rounds not of the exercise or without results ignored). The last ranked round in
/// the exercise's order is the final one.
///
/// Complexity: O(s + r · m) for s suggestions, r rounds and m items (plus sorting).
pub fn audit_trail(
    exercise: &Exercise,
    curation: &Curation,
    rounds: &[(&Round, &ResultsDocument)],
) -> AuditTrail {
    let ranked = ranked_rounds(exercise, rounds);
    let pooled = pooled_groups(exercise, curation);
    let asked = asked_items(exercise);
    let mut rows: Vec<AuditRow> = exercise
        .items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            item_row(exercise, curation, &ranked, &asked, &pooled, index, item)
        })
        .collect();
    // The final round's items by final rank (ties by the exercise's order, which the stable
    // sort keeps), then the rest in the exercise's order.
    rows.sort_by_key(|row| row.final_rank.unwrap_or(usize::MAX));
    let out_of_scope = out_of_scope(exercise, curation, &pooled);
    AuditTrail {
        rounds: ranked
            .iter()
            .map(|(position, round, document)| AuditRound {
                id: round.id.to_string(),
                title: round.title.clone(),
                number: position + 1,
                method: document.results[0].method,
                top_k: document.settings.top_k,
            })
            .collect(),
        rows,
        out_of_scope,
        suggestions: curation.suggestions.len(),
        not_assigned: curation
            .suggestions
            .iter()
            .filter(|suggestion| matches!(suggestion.status, Status::Unassigned | Status::Proposed))
            .count(),
        pooled_groups: pooled.ids().map(str::to_string).collect(),
        disclosure_threshold: exercise.disclosure_threshold,
    }
}

/// A ranked round: its position in the exercise, the round and its results.
type RankedRound<'a> = (usize, &'a Round, &'a ResultsDocument);

/// The ranked rounds with results, in the exercise's order, each once.
fn ranked_rounds<'a>(
    exercise: &Exercise,
    rounds: &[(&'a Round, &'a ResultsDocument)],
) -> Vec<RankedRound<'a>> {
    let mut ranked: Vec<RankedRound<'a>> = rounds
        .iter()
        .filter(|(round, document)| {
            !matches!(round.kind, RoundKind::Suggest { .. }) && !document.results.is_empty()
        })
        .filter_map(|&(round, document)| {
            let position = exercise.rounds.iter().position(|own| own.id == round.id)?;
            Some((position, round, document))
        })
        .collect();
    ranked.sort_by_key(|(position, ..)| *position);
    ranked.dedup_by_key(|(position, ..)| *position);
    ranked
}

/// The items (by index) that any round other than a suggestion round asks about.
fn asked_items(exercise: &Exercise) -> BTreeSet<usize> {
    exercise
        .rounds
        .iter()
        .filter(|round| !matches!(round.kind, RoundKind::Suggest { .. }))
        .flat_map(|round| round.items.iter().copied())
        .collect()
}

/// An item's row; `None` for an item with no suggestion, asked in no round and not answered.
fn item_row(
    exercise: &Exercise,
    curation: &Curation,
    ranked: &[RankedRound<'_>],
    asked: &BTreeSet<usize>,
    pooled: &PooledGroups,
    index: usize,
    item: &Item,
) -> Option<AuditRow> {
    let assigned: Vec<_> = curation.assigned_to(item.id.as_str()).collect();
    if assigned.is_empty() && !asked.contains(&index) && !item.answered {
        return None;
    }
    let places = item_places(ranked, index, item);
    let final_round = ranked.last();
    let final_rank = final_round
        .and_then(|_| places.last().copied().flatten())
        .map(|place| place.rank);
    let top_k = final_round.map_or(0, |(_, _, document)| document.settings.top_k);
    let status = if item.answered {
        AuditStatus::AnsweredByEvidence
    } else {
        match final_rank {
            Some(rank) if rank <= top_k => AuditStatus::TopPriority,
            Some(_) => AuditStatus::Shortlisted,
            None => AuditStatus::LongList,
        }
    };
    Some(AuditRow {
        final_rank,
        item: item.id.to_string(),
        title: item.title.clone(),
        status,
        submissions: assigned.len(),
        groups: group_counts(
            exercise,
            assigned.iter().map(|suggestion| suggestion.group.as_str()),
            pooled,
        ),
        original_submissions: assigned
            .iter()
            .map(|suggestion| one_line(&suggestion.text))
            .collect(),
        evidence: item.evidence.as_deref().map(one_line),
        answered: item.answered,
        places,
    })
}

/// An item's score and rank in each ranked round; `None` where the round did not ask it.
fn item_places(ranked: &[RankedRound<'_>], index: usize, item: &Item) -> Vec<Option<RoundPlace>> {
    ranked
        .iter()
        .map(|(_, round, document)| {
            if !round.items.contains(&index) {
                return None;
            }
            document.results[0]
                .ranking
                .iter()
                .find(|row| row.item == item.id.as_str())
                .map(|row| RoundPlace {
                    score: row.score,
                    rank: row.rank,
                })
        })
        .collect()
}

/// The suggestions out of scope: how many, from which groups, and for what reasons (most
/// common first).
fn out_of_scope(exercise: &Exercise, curation: &Curation, pooled: &PooledGroups) -> OutOfScope {
    let out_of_scope: Vec<_> = curation
        .suggestions
        .iter()
        .filter(|suggestion| suggestion.status == Status::OutOfScope)
        .collect();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for suggestion in &out_of_scope {
        *reasons
            .entry(one_line(suggestion.note.as_deref().unwrap_or_default()))
            .or_insert(0) += 1;
    }
    let mut reasons: Vec<Reason> = reasons
        .into_iter()
        .map(|(reason, count)| Reason { reason, count })
        .collect();
    reasons.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
    OutOfScope {
        total: out_of_scope.len(),
        groups: group_counts(
            exercise,
            out_of_scope
                .iter()
                .map(|suggestion| suggestion.group.as_str()),
            pooled,
        ),
        reasons,
    }
}

/// `young-people 3; practitioners 5; other groups 2`.
pub fn groups_text(groups: &[GroupCount]) -> String {
    groups
        .iter()
        .map(|group| format!("{} {}", group.group, group.count))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The header of `audit.csv` for the trail's rounds.
pub fn audit_header(trail: &AuditTrail) -> Vec<String> {
    let mut header: Vec<String> = [
        "final_rank",
        "item",
        "title",
        "status",
        "submissions",
        "groups",
        "original_submissions",
        "evidence",
        "answered",
    ]
    .iter()
    .map(|name| name.to_string())
    .collect();
    for round in &trail.rounds {
        for column in ["score", "rank", "included"] {
            header.push(format!("{}_{column}", round.id));
        }
    }
    header
}

/// Writes the trail as `audit.csv` (columns in the module documentation), text cells
/// neutralised for spreadsheets.
///
/// # Errors
/// The writer's I/O error.
pub fn write_audit_csv<W: Write>(trail: &AuditTrail, output: W) -> std::io::Result<W> {
    let mut writer = csv::Writer::from_writer(output);
    writer.write_record(audit_header(trail))?;
    for row in &trail.rows {
        let mut cells: Vec<String> = vec![
            row.final_rank
                .map(|rank| rank.to_string())
                .unwrap_or_default(),
            neutralise_formula(&row.item).into_owned(),
            neutralise_formula(&row.title).into_owned(),
            row.status.as_str().to_string(),
            row.submissions.to_string(),
            neutralise_formula(&groups_text(&row.groups)).into_owned(),
            neutralise_formula(&row.original_submissions.join(" | ")).into_owned(),
            neutralise_formula(row.evidence.as_deref().unwrap_or_default()).into_owned(),
            if row.answered { "yes" } else { "no" }.to_string(),
        ];
        for place in &row.places {
            match place {
                Some(place) => {
                    cells.push(
                        place
                            .score
                            .map(|score| format!("{score}"))
                            .unwrap_or_default(),
                    );
                    cells.push(place.rank.to_string());
                    cells.push("yes".to_string());
                }
                None => {
                    cells.extend([String::new(), String::new(), "no".to_string()]);
                }
            }
        }
        writer.write_record(&cells)?;
    }
    writer.into_inner().map_err(|error| error.into_error())
}

#[cfg(test)]
mod tests;
