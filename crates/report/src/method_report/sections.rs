//! The report's sections, written as a [`Document`] with its charts.

use survey::definition::Round;
use survey::responses::{Answers, Responses};

use super::document::Document;
use super::{ChartFile, ReportError, ReportInput, RoundData};
use crate::audit::AuditTrail;
use crate::charts::Chart;
use crate::numbers;
use crate::results::{RankingRow, ResultsDocument};
use survey::curation::Curation;

/// A position counts as certain when the item is in the top k in at least this share of the
/// bootstrap resamples.
pub(crate) const CERTAIN_P_TOP: f64 = 0.95;

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

/// Strength of agreement for Kendall's W: the nearest of Schmidt's (1997) reference points
/// (0.1 very weak, 0.3 weak, 0.5 moderate, 0.7 strong, 0.9 unusually strong).
fn agreement_strength(w: f64) -> &'static str {
    if w < 0.2 {
        "very weak"
    } else if w < 0.4 {
        "weak"
    } else if w < 0.6 {
        "moderate"
    } else if w < 0.8 {
        "strong"
    } else {
        "unusually strong"
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

impl<'r> Builder<'r> {
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

/// Whether an item's 95% rank interval is a single place.
fn is_certain_place(row: &RankingRow) -> bool {
    row.rank_interval.is_some_and(|[low, high]| low == high)
}

/// The rows whose 95% rank interval crosses the cut between place k and place k + 1.
fn crossing_cut(rows: &[RankingRow], top_k: usize) -> impl Iterator<Item = &RankingRow> {
    rows.iter().filter(move |row| {
        row.rank_interval
            .is_some_and(|[low, high]| low <= top_k && high > top_k)
    })
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
mod participation;
mod reproducibility;
mod results;
mod sensitivity;
mod summary;
mod trail;
mod uncertainty;
