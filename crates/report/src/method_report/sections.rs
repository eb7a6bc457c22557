//! The report's sections, written as a [`Document`] with its charts.

use std::collections::HashSet;

use survey::definition::{Exercise, Round};
use survey::responses::{Answers, Responses};

use super::document::Document;
use super::{ChartFile, ReportError, ReportInput, RoundData};
use crate::audit::AuditTrail;
use crate::charts::Chart;
use crate::charts::join_phrases;
use crate::disclosure::in_exercise_order;
use crate::disclosure::{GroupLine, PooledGroups};
use crate::findings::{agreement_strength, crossing_cut, is_certain_place};
use crate::numbers;
use crate::results::{RankingRow, ResultsDocument};
use survey::curation::Curation;

/// A position counts as certain when the item is in the top k in at least this share of the
/// bootstrap resamples.
pub(crate) const CERTAIN_P_TOP: f64 = 0.95;

/// The label of the line that stands for the pooled groups in the report's tables and charts
/// ([`crate::disclosure::POOLED_GROUPS_LABEL`], capitalised as a row header).
pub(crate) const OTHER_GROUPS: &str = "Other groups";

/// The rounds with data, in the exercise's order, each with its index among the exercise's
/// rounds.
type Rounds<'r> = [(usize, &'r RoundData<'r>)];

/// Builds the document and renders its charts.
pub(super) fn build<'r>(
    input: &'r ReportInput<'r>,
    rounds: &'r Rounds<'r>,
    curation: Option<&'r Curation>,
    trail: Option<AuditTrail>,
) -> Result<(Document, Vec<ChartFile>), ReportError> {
    let title = format!("{}: how the priorities were set", input.exercise.title);
    let mut builder = Builder {
        input,
        rounds,
        document: Document::new(title.clone()),
        charts: Vec::new(),
        final_top_figure: None,
        curation,
        trail,
    };
    builder.document.heading(1, "top", title);
    builder.introduction();
    builder.summary()?;
    builder.participation()?;
    builder.exercise();
    builder.method();
    builder.results()?;
    builder.delphi();
    builder.trail();
    builder.agreement()?;
    builder.uncertainty()?;
    builder.sensitivity()?;
    builder.data_quality();
    builder.item_order();
    builder.reproducibility();
    builder.appendix();
    Ok((builder.document, builder.charts))
}

struct Builder<'r> {
    input: &'r ReportInput<'r>,
    rounds: &'r Rounds<'r>,
    document: Document,
    charts: Vec<ChartFile>,
    /// The index of the final list's chart, shown in the summary and referred to later.
    final_top_figure: Option<usize>,
    /// The curation of the suggestions, when given.
    curation: Option<&'r Curation>,
    /// The audit trail, when a curation is given.
    trail: Option<AuditTrail>,
}

/// "1 person", "2 people".
fn people(count: u64) -> String {
    if count == 1 {
        "1 person".to_string()
    } else {
        format!("{count} people")
    }
}

/// "1 respondent", "2 respondents".
fn respondents(count: u64) -> String {
    if count == 1 {
        "1 respondent".to_string()
    } else {
        format!("{count} respondents")
    }
}

fn interval_text(row: &RankingRow) -> String {
    row.rank_interval
        .map_or_else(String::new, |[low, high]| numbers::rank_interval(low, high))
}

/// Text from a person made fit for one line: runs of white space (line breaks included)
/// become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Suggestions per group, in the responses' group order: (group id, respondents who made at
/// least one suggestion, suggestions).
pub(super) fn suggestion_counts(responses: &Responses) -> Vec<(String, u64, usize)> {
    let Answers::Suggestions(texts) = &responses.answers else {
        return Vec::new();
    };
    let mut counts = vec![(0u64, 0usize); responses.groups.len()];
    for (index, respondent) in responses.respondents.iter().enumerate() {
        let made = texts[responses.range(index)]
            .iter()
            .filter(|text| !text.trim().is_empty())
            .count();
        if let Some(entry) = counts.get_mut(respondent.group as usize)
            && made > 0
        {
            entry.0 += u64::from(respondent.count);
            entry.1 += made;
        }
    }
    responses
        .groups
        .iter()
        .zip(counts)
        .map(|(group, (people, suggestions))| (group.clone(), people, suggestions))
        .collect()
}

/// The pooled groups of one round, the same for every output of the round: for a ranked round
/// the results document's (planned on the ballots behind its figures); for a suggestion round
/// the rule applied to the people who made at least one suggestion; else to the respondents.
/// Each of these is at most the round's respondents per group, so a pool planned on them still
/// reaches the threshold in any count of the round's people.
pub(super) fn round_pool(exercise: &Exercise, data: &RoundData<'_>) -> PooledGroups {
    if let Some(document) = &data.results {
        return results_pool(exercise, data.responses, document);
    }
    let responses = data.responses;
    let sizes: Vec<(String, u64)> = if matches!(responses.answers, Answers::Suggestions(_)) {
        suggestion_counts(responses)
            .into_iter()
            .map(|(group, people, _)| (group, people))
            .collect()
    } else {
        let mut sizes = vec![0u64; responses.groups.len()];
        for respondent in &responses.respondents {
            sizes[respondent.group as usize] += u64::from(respondent.count);
        }
        responses.groups.iter().cloned().zip(sizes).collect()
    };
    let mut sizes = sizes;
    in_exercise_order(exercise, &mut sizes, |(group, _)| group);
    PooledGroups::plan(
        sizes.iter().map(|(group, size)| (group.as_str(), *size)),
        u64::from(exercise.disclosure_threshold),
    )
}

/// The pool of a ranked round: its results document's, and any group whose respondents were
/// all left out of the ranking (it has no ballots, so the results never name it, but a count
/// of the round's people would show it alone). When the pool is only such groups and holds
/// fewer people than the threshold, every group is pooled: only the round's total is shown.
fn results_pool(
    exercise: &Exercise,
    responses: &Responses,
    document: &ResultsDocument,
) -> PooledGroups {
    let pool = PooledGroups::of_results(document);
    let excluded: HashSet<&str> = document
        .input
        .excluded
        .iter()
        .map(|excluded| excluded.respondent.as_str())
        .collect();
    let mut people = vec![0u64; responses.groups.len()];
    let mut ballots = vec![0u64; responses.groups.len()];
    for respondent in &responses.respondents {
        let group = respondent.group as usize;
        people[group] += u64::from(respondent.count);
        if !excluded.contains(respondent.id.as_str()) {
            ballots[group] += u64::from(respondent.count);
        }
    }
    let with_people = || {
        responses
            .groups
            .iter()
            .zip(&people)
            .filter(|(_, people)| **people > 0)
            .map(|(group, _)| group.as_str())
    };
    let unranked = PooledGroups::of_ids(with_people().filter(|group| {
        let index = responses.groups.iter().position(|known| known == group);
        index.is_some_and(|index| ballots[index] == 0)
    }));
    if unranked.is_empty() {
        return pool;
    }
    let together = pool.union(&unranked);
    let pooled_people: u64 = responses
        .groups
        .iter()
        .zip(&people)
        .filter(|(group, _)| together.contains(group))
        .map(|(_, people)| people)
        .sum();
    if pooled_people >= u64::from(exercise.disclosure_threshold) {
        together
    } else {
        PooledGroups::of_ids(with_people())
    }
}

/// [`suggestion_counts`] under the round's [`round_pool`]: shown groups by id, then the pool as
/// one line (`None` as its id) when a group with suggestions is shown beside it.
pub(crate) fn disclosed_suggestion_counts(
    exercise: &Exercise,
    data: &RoundData<'_>,
) -> Vec<(GroupLine, u64, usize)> {
    let counts = suggestion_counts(data.responses);
    let pool = round_pool(exercise, data);
    pool.lines(
        counts
            .iter()
            .map(|(group, people, _)| (group.as_str(), *people > 0)),
    )
    .into_iter()
    .map(|line| {
        let people = pool.sum_for(
            &line,
            counts
                .iter()
                .map(|(group, people, _)| (group.as_str(), *people)),
        );
        let suggestions = pool.sum_for(
            &line,
            counts
                .iter()
                .map(|(group, _, made)| (group.as_str(), *made)),
        );
        (line, people, suggestions)
    })
    .collect()
}

/// The disclosure rule of METHODS.md in the report's words, with the threshold.
pub(crate) fn disclosure_rule(threshold: u64) -> String {
    format!(
        "groups with fewer than {threshold} respondents (the disclosure threshold) are never \
         shown on their own. They still count in every overall figure, so the overall figure \
         minus the groups that are shown would single them out: they are therefore shown only \
         pooled together as “other groups”, and that pool must itself reach {threshold} \
         respondents. When it does not, the smallest group that would have been shown joins \
         the pool, and so on until it does. A pooled group is never named beside a number of \
         its own, and every table, chart and file of a round pools the same groups, so that no \
         figure minus another isolates fewer than {threshold} people."
    )
}

impl<'r> Builder<'r> {
    /// Under a table by group: which groups its "Other groups" line counts together (or, when
    /// it has none, that only all groups together are shown), and why.
    fn pool_note(&mut self, pool: &PooledGroups, has_pool_line: bool) {
        if pool.is_empty() {
            return;
        }
        let names: Vec<String> = pool.ids().map(|id| self.group_label(id)).collect();
        let threshold = self.input.exercise.disclosure_threshold;
        self.document.paragraph(if has_pool_line {
            format!(
                "“Other groups” counts {} together, in every round of this table when pooled \
                 in any: a group had fewer than {threshold} respondents, and the pool must \
                 reach that many (see “Small groups” under the method).",
                join_phrases(&names)
            )
        } else {
            format!(
                "Only all groups together are shown: {} are pooled in at least one round (a \
                 group had fewer than {threshold} respondents, and the pool must reach that \
                 many; see “Small groups” under the method), and no other group is left to \
                 show beside them.",
                join_phrases(&names)
            )
        });
    }

    /// The label of a line of a table by group: the group's label, or "Other groups".
    fn line_label(&self, line: &GroupLine) -> String {
        match line {
            GroupLine::Group(id) => self.group_label(id),
            GroupLine::Pool => OTHER_GROUPS.to_string(),
        }
    }

    fn group_label(&self, id: &str) -> String {
        self.input
            .exercise
            .group(id)
            .map_or_else(|| id.to_string(), |group| group.label.clone())
    }

    fn group_labels(&self, ids: &[String]) -> Vec<String> {
        ids.iter().map(|id| self.group_label(id)).collect()
    }

    fn round_name(index: usize, round: &Round) -> String {
        format!("Round {}: {}", index + 1, round.title)
    }

    fn ranked_rounds(
        &self,
    ) -> impl Iterator<Item = (usize, &'r RoundData<'r>, &'r ResultsDocument)> {
        self.rounds.iter().filter_map(|&(index, data)| {
            data.results
                .as_ref()
                .filter(|document| !document.results.is_empty())
                .map(|document| (index, data, document))
        })
    }

    /// One subsection (heading level 3, anchored `{prefix}-{round id}`) per ranked round, its
    /// body written by `body`; "No round was ranked." when there is none.
    fn each_ranked_round(
        &mut self,
        prefix: &str,
        mut body: impl FnMut(
            &mut Self,
            usize,
            &'r RoundData<'r>,
            &'r ResultsDocument,
        ) -> Result<(), ReportError>,
    ) -> Result<(), ReportError> {
        let rounds: Vec<_> = self.ranked_rounds().collect();
        if rounds.is_empty() {
            self.document.paragraph("No round was ranked.");
        }
        for (index, data, document) in rounds {
            self.document.heading(
                3,
                &format!("{prefix}-{}", data.round.id),
                Self::round_name(index, data.round),
            );
            body(self, index, data, document)?;
        }
        Ok(())
    }

    fn final_round(&self) -> Option<(usize, &'r RoundData<'r>, &'r ResultsDocument)> {
        self.ranked_rounds().last()
    }

    /// Renders a chart and keeps it; returns its index for [`Document::figure`].
    fn add_chart<C: Chart>(&mut self, name: String, chart: &C) -> Result<usize, ReportError> {
        let rendered = chart.render().map_err(|source| ReportError::Chart {
            name: name.clone(),
            source,
        })?;
        self.charts.push(ChartFile {
            name,
            chart: rendered,
        });
        Ok(self.charts.len() - 1)
    }

    fn figure<C: Chart>(&mut self, name: String, chart: &C) -> Result<usize, ReportError> {
        let index = self.add_chart(name, chart)?;
        self.document.figure(index);
        Ok(index)
    }
}

/// The labels of items given by id, in the ranking's order.
fn labels_of(ranking: &[RankingRow], items: &[String]) -> Vec<String> {
    ranking
        .iter()
        .filter(|row| items.contains(&row.item))
        .map(|row| row.label.clone())
        .collect()
}

mod agreement;
mod appendix;
mod as_asked;
mod attrition;
mod data_quality;
mod delphi;
mod method;
mod order;
mod participation;
mod reproducibility;
mod results;
mod sensitivity;
mod summary;
mod trail;
mod uncertainty;
