//! The report's sections, written as a [`Document`] with its charts.

use std::collections::{BTreeSet, HashMap, HashSet};

use rank::analysis::FAR_RANK_DISTANCE;
use rank::{Method, Weighting};
use survey::definition::{Round, RoundKind, Scale};
use survey::responses::{Answers, RatingValue, Responses};

use super::document::{Align, Document, Runs, Table};
use super::method_text::{
    BOOTSTRAP_FORMULA, KENDALL_W_FORMULA, MethodContext, TAU_B_FORMULA, explain_method,
    explain_weighting, scale_bands,
};
use super::{ChartFile, ReportError, ReportInput, RoundData};
use crate::audit::AuditTrail;
use crate::charts::{
    Chart, GroupAgreementMatrix, GroupRankHeatmap, MethodSensitivityChart, MovementItem,
    ParticipationChart, ParticipationGroup, RatingDistributionChart, RatingItem,
    RoundMovementChart, TopPrioritiesChart, format_interval, format_score, join_phrases,
};
use crate::results::{AgreementEntry, MethodEntry, RankingRow, ResultsDocument};
use survey::curation::Curation;

/// A position counts as certain when the item is in the top k in at least this share of the
/// bootstrap resamples.
pub(crate) const CERTAIN_P_TOP: f64 = 0.95;
/// How many of the items that divide the groups most are listed.
const DIVIDING_ITEMS: usize = 10;
/// How many excluded respondent ids are listed before "and N more".
const LISTED_EXCLUSIONS: usize = 20;

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

/// A share as a percentage, never rounded to 0% or 100% unless it is exactly that.
fn percent(share: f64) -> String {
    let rounded = (share * 100.0).round();
    if rounded >= 100.0 && share < 1.0 {
        ">99%".to_string()
    } else if rounded <= 0.0 && share > 0.0 {
        "<1%".to_string()
    } else {
        format!("{rounded:.0}%")
    }
}

/// A correlation with two decimals and a true minus sign.
fn correlation(value: Option<f64>) -> String {
    value.map_or_else(
        || "undefined".to_string(),
        |value| format!("{value:.2}").replace('-', "−"),
    )
}

fn p_value(value: f64) -> String {
    if value < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {value:.3}")
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

fn score_text(row: &RankingRow) -> String {
    row.score.map_or_else(|| "—".to_string(), format_score)
}

fn interval_text(row: &RankingRow) -> String {
    row.rank_interval
        .map_or_else(String::new, |[low, high]| format_interval(low, high))
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

    // ----- Introduction and summary -----

    fn introduction(&mut self) {
        if self.input.simulated {
            self.document
                .notice(Runs::new().strong("Simulated data. ").text(
                    "Every response in this report was made up by a computer program \
                     (prioritise simulate), not given by real people. The report shows how the \
                     method works; its numbers say nothing about anyone's real views.",
                ));
        }
        let files = self.rounds.len();
        self.document.paragraph(format!(
            "This report explains how the priority list was made, step by step, so that anyone \
             can check it and repeat it. It was written by {} from the exercise definition and \
             {} response {}; the section on reproducibility lists each file with its SHA-256 \
             checksum, and the exact command.",
            self.input.program,
            files,
            if files == 1 { "file" } else { "files" }
        ));
        self.document.contents();
    }

    fn top_table(
        &self,
        caption: String,
        rows: &[RankingRow],
        top_k: usize,
        limit: Option<usize>,
        with_class: bool,
    ) -> Table {
        let rows: Vec<&RankingRow> = rows.iter().take(limit.unwrap_or(usize::MAX)).collect();
        let has_interval = rows.iter().any(|row| row.rank_interval.is_some());
        let has_p_top = rows.iter().any(|row| row.p_top.is_some());
        let has_class = with_class && rows.iter().any(|row| row.class.is_some());
        let p_top_header = format!("In top {top_k} (share of resamples)");
        let mut columns = vec![
            ("Rank", Align::Right),
            ("Item", Align::Left),
            ("Score", Align::Right),
        ];
        if has_interval {
            columns.push(("95% rank interval", Align::Right));
        }
        if has_p_top {
            columns.push((p_top_header.as_str(), Align::Right));
        }
        if has_class {
            columns.push(("Class", Align::Left));
        }
        let mut table = Table::new(caption, &columns).row_header(1);
        for row in rows {
            let mut cells = vec![row.rank.to_string(), row.label.clone(), score_text(row)];
            if has_interval {
                cells.push(interval_text(row));
            }
            if has_p_top {
                cells.push(row.p_top.map(percent).unwrap_or_default());
            }
            if has_class {
                // A no-break space keeps "consensus in" on one line.
                cells.push(row.class.clone().unwrap_or_default().replace('-', "\u{a0}"));
            }
            table.push(cells);
        }
        table
    }

    fn top_chart(
        &mut self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
    ) -> Result<Option<usize>, ReportError> {
        let Some(mut chart) =
            TopPrioritiesChart::from_results(document, None, document.settings.top_k)
        else {
            return Ok(None);
        };
        chart.title = format!(
            "{}: top {} priorities",
            Self::round_name(index, data.round),
            chart.bars.len()
        );
        self.figure(format!("{}-top-priorities", data.round.id), &chart)
            .map(Some)
    }

    fn summary(&mut self) -> Result<(), ReportError> {
        self.document.heading(2, "summary", "Summary");
        let mut everyone: HashSet<&str> = HashSet::new();
        let mut per_round = Vec::new();
        for &(index, data) in self.rounds {
            for respondent in &data.responses.respondents {
                everyone.insert(respondent.id.as_str());
            }
            per_round.push(format!(
                "{} in round {} ({})",
                data.responses.ballot_count(),
                index + 1,
                data.round.title
            ));
        }
        if self.rounds.is_empty() {
            self.document
                .paragraph("No responses were given, so there are no results to report.");
            return Ok(());
        }
        self.document.paragraph(format!(
            "{} answered at least one round: {}. Respondents are matched across rounds by \
             their respondent id.",
            people(everyone.len() as u64),
            join_phrases(&per_round)
        ));

        let Some((index, data, document)) = self.final_round() else {
            self.document.paragraph(
                "No round with data was ranked (suggestions are not ranked), so there is no \
                 priority list yet.",
            );
            return Ok(());
        };
        let Some(entry) = document.results.first() else {
            return Ok(());
        };
        let top_k = document.settings.top_k;
        let bootstrap = match (document.settings.bootstrap, document.settings.seed) {
            (Some(resamples), Some(seed)) => format!(
                " Rank intervals and the share of resamples in the top {top_k} come from \
                 {resamples} bootstrap resamples of the respondents (seed {seed})."
            ),
            _ => String::new(),
        };
        self.document.paragraph(
            Runs::new()
                .text(format!(
                    "The final list is the top {top_k} of round {} (“{}”), ranked by ",
                    index + 1,
                    data.round.title
                ))
                .code(entry.method.clone())
                .text(" with ")
                .code(entry.weighting.clone())
                .text(format!(
                    " weighting over {}; the section on method explains both in plain \
                     English.{bootstrap}",
                    respondents(document.input.respondents)
                )),
        );
        let table = self.top_table(
            format!(
                "The final list: the top {top_k} of {}",
                Self::round_name(index, data.round)
            ),
            &entry.ranking,
            top_k,
            Some(top_k),
            false,
        );
        self.document.table(table);
        self.final_top_figure = self.top_chart(index, data, document)?;

        let mut findings = Vec::new();
        if let Some(agreement) = &document.agreement
            && let (Some(w), Some(p)) = (agreement.kendall_w, agreement.p_value)
        {
            findings.push(Runs::from(format!(
                "Agreement among all respondents on the order of the items was {} (Kendall's \
                 W = {w:.2}, {}).",
                agreement_strength(w),
                p_value(p)
            )));
        }
        if document.settings.bootstrap.is_some() {
            let certain: Vec<&RankingRow> = entry
                .ranking
                .iter()
                .filter(|row| row.rank <= top_k)
                .filter(|row| is_certain_place(row))
                .collect();
            let surely_in = entry
                .ranking
                .iter()
                .filter(|row| row.p_top.is_some_and(|p| p >= CERTAIN_P_TOP))
                .count();
            let crossing: Vec<String> = crossing_cut(&entry.ranking, top_k)
                .map(|row| row.label.clone())
                .collect();
            let mut text = format!(
                "{} of the top {top_k} {} a certain place (a 95% rank interval of one \
                 place), and {surely_in} {} in the top {top_k} in at least 95% of resamples.",
                certain.len(),
                if certain.len() == 1 { "has" } else { "have" },
                if surely_in == 1 { "is" } else { "are" }
            );
            if !crossing.is_empty() {
                text.push_str(&format!(
                    " These could be either side of the cut at place {top_k}: {}.",
                    join_phrases(&crossing)
                ));
            }
            findings.push(Runs::from(text));
        }
        if let Some(comparison) = &document.comparison {
            let others = document.results.len() - 1;
            if comparison.method_dependent.is_empty() {
                findings.push(Runs::from(format!(
                    "The top {top_k} is the same under all {} methods compared.",
                    others + 1
                )));
            } else {
                let labels = labels_of(&entry.ranking, &comparison.method_dependent);
                findings.push(Runs::from(format!(
                    "Compared with {others} other {}, these items are in the top {top_k} under \
                     some methods but not all: {}.",
                    if others == 1 { "method" } else { "methods" },
                    join_phrases(&labels)
                )));
            }
        }
        let pairs: Vec<(f64, &[String; 2])> = entry
            .group_agreement
            .iter()
            .filter_map(|pair| pair.kendall_tau_b.map(|tau| (tau, &pair.groups)))
            .collect();
        if pairs.len() >= 2 {
            let most = pairs
                .iter()
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .expect("two or more pairs");
            let least = pairs
                .iter()
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .expect("two or more pairs");
            findings.push(Runs::from(format!(
                "Of the stakeholder groups, {} and {} ranked the items most alike (τ-b = {}); \
                 {} and {} least alike (τ-b = {}).",
                self.group_label(&most.1[0]),
                self.group_label(&most.1[1]),
                correlation(Some(most.0)),
                self.group_label(&least.1[0]),
                self.group_label(&least.1[1]),
                correlation(Some(least.0)),
            )));
        }
        self.document.list(findings);
        Ok(())
    }

    // ----- Participation -----

    fn participation(&mut self) -> Result<(), ReportError> {
        self.document
            .heading(2, "participation", "Participation by group and round");
        if self.rounds.is_empty() {
            self.document.paragraph("No responses were given.");
            return Ok(());
        }
        let exercise = self.input.exercise;
        let mut group_ids: Vec<String> = exercise
            .groups
            .iter()
            .map(|group| group.id.to_string())
            .collect();
        for &(_, data) in self.rounds {
            for group in &data.responses.groups {
                if !group_ids.contains(group) {
                    group_ids.push(group.clone());
                }
            }
        }
        let mut counts = vec![vec![0u64; self.rounds.len()]; group_ids.len()];
        for (column, &(_, data)) in self.rounds.iter().enumerate() {
            for respondent in &data.responses.respondents {
                let id = &data.responses.groups[respondent.group as usize];
                if let Some(row) = group_ids.iter().position(|group| group == id) {
                    counts[row][column] += u64::from(respondent.count);
                }
            }
        }
        let round_names: Vec<String> = self
            .rounds
            .iter()
            .map(|&(index, data)| Self::round_name(index, data.round))
            .collect();
        let mut columns: Vec<(&str, Align)> = vec![("Group", Align::Left)];
        columns.extend(round_names.iter().map(|name| (name.as_str(), Align::Right)));
        let mut table =
            Table::new("Respondents by stakeholder group and round", &columns).row_header(0);
        for (row, id) in group_ids.iter().enumerate() {
            let mut cells = vec![self.group_label(id)];
            cells.extend(counts[row].iter().map(u64::to_string));
            table.push(cells);
        }
        let mut totals = vec!["All groups".to_string()];
        totals.extend((0..self.rounds.len()).map(|column| {
            counts
                .iter()
                .map(|row| row[column])
                .sum::<u64>()
                .to_string()
        }));
        table.push(totals);
        self.document.table(table);

        for pair in self.rounds.windows(2) {
            let (from_index, from) = pair[0];
            let (to_index, to) = pair[1];
            self.dropout(from_index, from, to_index, to, &group_ids);
        }

        let chart = ParticipationChart::new(
            round_names.clone(),
            group_ids
                .iter()
                .enumerate()
                .map(|(row, id)| ParticipationGroup {
                    label: self.group_label(id),
                    counts: counts[row].clone(),
                })
                .collect(),
        );
        self.figure("participation".to_string(), &chart)?;
        for pair in self.rounds.windows(2) {
            let (from_index, from) = pair[0];
            let (to_index, to) = pair[1];
            self.those_who_left(from_index, from, to_index, to);
        }
        Ok(())
    }

    fn dropout(
        &mut self,
        from_index: usize,
        from: &RoundData<'_>,
        to_index: usize,
        to: &RoundData<'_>,
        group_ids: &[String],
    ) {
        let earlier: HashMap<&str, &str> = from
            .responses
            .respondents
            .iter()
            .map(|respondent| {
                (
                    respondent.id.as_str(),
                    from.responses.groups[respondent.group as usize].as_str(),
                )
            })
            .collect();
        let later: HashMap<&str, &str> = to
            .responses
            .respondents
            .iter()
            .map(|respondent| {
                (
                    respondent.id.as_str(),
                    to.responses.groups[respondent.group as usize].as_str(),
                )
            })
            .collect();
        let both = earlier.keys().filter(|id| later.contains_key(*id)).count();
        let from_name = format!("round {}", from_index + 1);
        let to_name = format!("round {}", to_index + 1);
        let everyone_stayed = both == earlier.len() && both == later.len();
        if everyone_stayed {
            self.document.paragraph(format!(
                "All {} who answered {from_name} also answered {to_name}: nobody dropped out \
                 and nobody joined.",
                people(both as u64)
            ));
            return;
        }
        if both == 0 {
            self.document.paragraph(format!(
                "No respondent id of {from_name} appears in {to_name}, so drop-out between them \
                 cannot be measured (the service keeps one id per respondent across rounds; \
                 files from elsewhere may not)."
            ));
            return;
        }
        let mut table = Table::new(
            format!("Who went on from {from_name} to {to_name}, by their group in {from_name}"),
            &[
                ("Group", Align::Left),
                ("Answered the earlier round", Align::Right),
                ("Also answered the later", Align::Right),
                ("Dropped out", Align::Right),
                ("Retained", Align::Right),
                ("New in the later round", Align::Right),
            ],
        )
        .row_header(0);
        let mut totals = (0usize, 0usize, 0usize);
        for id in group_ids {
            let answered: Vec<&str> = earlier
                .iter()
                .filter(|(_, group)| **group == id.as_str())
                .map(|(respondent, _)| *respondent)
                .collect();
            let stayed = answered
                .iter()
                .filter(|respondent| later.contains_key(*respondent))
                .count();
            let new = later
                .iter()
                .filter(|(respondent, group)| {
                    **group == id.as_str() && !earlier.contains_key(*respondent)
                })
                .count();
            if answered.is_empty() && new == 0 {
                continue;
            }
            totals.0 += answered.len();
            totals.1 += stayed;
            totals.2 += new;
            table.push(vec![
                self.group_label(id),
                answered.len().to_string(),
                stayed.to_string(),
                (answered.len() - stayed).to_string(),
                if answered.is_empty() {
                    "—".to_string()
                } else {
                    percent(stayed as f64 / answered.len() as f64)
                },
                new.to_string(),
            ]);
        }
        table.push(vec![
            "All groups".to_string(),
            totals.0.to_string(),
            totals.1.to_string(),
            (totals.0 - totals.1).to_string(),
            if totals.0 == 0 {
                "—".to_string()
            } else {
                percent(totals.1 as f64 / totals.0 as f64)
            },
            totals.2.to_string(),
        ]);
        self.document.paragraph(format!(
            "Of the {} who answered {from_name}, {} also answered {to_name} ({} dropped out); \
             {} answered {to_name} without having answered {from_name}.",
            people(totals.0 as u64),
            totals.1,
            totals.0 - totals.1,
            totals.2
        ));
        self.document.table(table);
    }

    // ----- The exercise as asked -----

    fn exercise(&mut self) {
        let exercise = self.input.exercise;
        self.document
            .heading(2, "exercise", "The exercise and its rounds, as asked");
        self.document.paragraph(
            Runs::new()
                .text("Exercise ")
                .code(exercise.id.to_string())
                .text(": ")
                .strong(exercise.title.clone())
                .text("."),
        );
        for paragraph in exercise.description.split("\n\n") {
            let text = one_line(paragraph);
            if !text.is_empty() {
                self.document.paragraph(text);
            }
        }
        self.document.paragraph(format!(
            "Groups with fewer than {} respondents are never shown on their own (the \
             definition's disclosure threshold){}.",
            exercise.disclosure_threshold,
            if exercise.invite_only {
                "; taking part needed an invitation"
            } else {
                ""
            }
        ));
        let mut groups = Table::new(
            format!("The {} stakeholder groups", exercise.groups.len()),
            &[
                ("Group", Align::Left),
                ("Id", Align::Left),
                ("Who", Align::Left),
            ],
        )
        .row_header(0);
        for group in &exercise.groups {
            groups.push(vec![
                group.label.clone(),
                group.id.to_string(),
                group.description.clone().unwrap_or_default(),
            ]);
        }
        self.document.table(groups);
        let mut items = Table::new(
            format!(
                "The {} items (research topics) of the exercise",
                exercise.items.len()
            ),
            &[
                ("Item", Align::Left),
                ("Id", Align::Left),
                ("Theme", Align::Left),
                ("Description", Align::Left),
            ],
        )
        .row_header(0);
        for item in &exercise.items {
            items.push(vec![
                item.title.clone(),
                item.id.to_string(),
                item.theme.clone().unwrap_or_default(),
                item.description.clone().unwrap_or_default(),
            ]);
        }
        self.document.table(items);

        for (index, round) in exercise.rounds.iter().enumerate() {
            self.document.heading(
                3,
                &format!("exercise-{}", round.id),
                Self::round_name(index, round),
            );
            self.round_as_asked(index, round);
        }
    }

    fn round_as_asked(&mut self, index: usize, round: &Round) {
        let exercise = self.input.exercise;
        let item_count = round.items.len();
        let kind = match &round.kind {
            RoundKind::Suggest {
                max_suggestions,
                max_length,
            } => format!(
                "Open suggestions: each person could write up to {max_suggestions} \
                 suggestions of up to {max_length} characters each."
            ),
            RoundKind::Rate {
                scale,
                allow_dont_know,
                criteria,
            } => {
                let scale_text = match scale {
                    Scale::Numeric { min, max, .. } => format!("on a scale from {min} to {max}"),
                    Scale::YesUndecidedNo => "as yes, undecided or no".to_string(),
                };
                let against = if criteria.is_empty() {
                    String::new()
                } else {
                    format!(" against each of {} criteria", criteria.len())
                };
                format!(
                    "Rating: each of the {item_count} items was rated {scale_text}{against}; \
                     “don't know” {}.",
                    if *allow_dont_know {
                        "was allowed"
                    } else {
                        "was not offered"
                    }
                )
            }
            RoundKind::Rank { top_k } => {
                if *top_k as usize >= item_count {
                    format!("Ranking: each person put all {item_count} items in order.")
                } else {
                    format!(
                        "Ranking: each person chose the {top_k} items they thought most \
                         important out of {item_count}, and put them in order."
                    )
                }
            }
            RoundKind::Pick { max_picks } => format!(
                "Picking: each person chose up to {max_picks} of the {item_count} items, in no \
                 order."
            ),
            RoundKind::Pairwise { max_choices } => format!(
                "Pairwise choices: each person chose between two items at a time, again and \
                 again{}, and could say they could not decide.",
                max_choices.map_or_else(String::new, |most| format!(" (up to {most} times)"))
            ),
        };
        self.document.paragraph(
            Runs::new()
                .text("Kind: ")
                .code(round.kind.name())
                .text(". ")
                .text(kind),
        );
        if let Some(question) = &round.question {
            self.document.paragraph(
                Runs::new()
                    .text("Question as asked: ")
                    .strong(one_line(question)),
            );
        }
        if let RoundKind::Rate {
            scale: Scale::Numeric { min, max, labels },
            ..
        } = &round.kind
            && !labels.is_empty()
        {
            let mut table = Table::new(
                format!("The rating scale of round {}", index + 1),
                &[("Rating", Align::Right), ("Label", Align::Left)],
            );
            for value in *min..=*max {
                table.push(vec![
                    value.to_string(),
                    labels.get(&value).cloned().unwrap_or_default(),
                ]);
            }
            self.document.table(table);
        }
        if let RoundKind::Rate { criteria, .. } = &round.kind
            && !criteria.is_empty()
        {
            let mut table = Table::new(
                format!("The criteria of round {}", index + 1),
                &[
                    ("Criterion", Align::Left),
                    ("Id", Align::Left),
                    ("Weight", Align::Right),
                ],
            )
            .row_header(0);
            for criterion in criteria {
                table.push(vec![
                    criterion.label.clone(),
                    criterion.id.to_string(),
                    format!("{}", criterion.weight),
                ]);
            }
            self.document.table(table);
        }
        if !matches!(round.kind, RoundKind::Suggest { .. }) {
            if item_count == exercise.items.len() {
                self.document.paragraph(format!(
                    "Items: all {item_count} items of the exercise, listed above."
                ));
            } else {
                self.document.paragraph(format!(
                    "Items: these {item_count} of the exercise's {} items.",
                    exercise.items.len()
                ));
                self.document.list(
                    exercise
                        .round_items(round)
                        .map(|item| Runs::from(item.title.clone()))
                        .collect(),
                );
            }
            let method = round.method.map_or_else(
                || "sets no method (the default for its kind of data is used)".to_string(),
                |method| format!("sets the method {method}"),
            );
            let weighting = round.weighting.map_or_else(
                || "no weighting (pooled is used)".to_string(),
                |weighting| format!("the weighting {weighting}"),
            );
            self.document.paragraph(format!(
                "For its results, the definition {method} and {weighting}."
            ));
        }
        if !self.rounds.iter().any(|(other, _)| *other == index) {
            self.document
                .paragraph("No responses to this round were given to the report.");
        }
    }

    // ----- Method -----

    fn method_context(&self, data: &RoundData<'_>, document: &ResultsDocument) -> MethodContext {
        let responses = data.responses;
        let longest_ballot = match &responses.answers {
            Answers::Ranking(_) => (0..responses.respondents.len())
                .map(|respondent| responses.range(respondent).len())
                .max()
                .unwrap_or(0),
            _ => 0,
        };
        let (scale, criteria) = match &data.round.kind {
            RoundKind::Rate {
                scale, criteria, ..
            } => (
                match scale {
                    Scale::Numeric { min, max, .. } => Some((*min, *max)),
                    Scale::YesUndecidedNo => None,
                },
                criteria
                    .iter()
                    .map(|criterion| (criterion.label.clone(), criterion.weight))
                    .collect(),
            ),
            _ => (None, Vec::new()),
        };
        MethodContext {
            item_count: responses.items.len(),
            longest_ballot,
            scale,
            agree_from: document
                .group_consensus
                .as_ref()
                .map(|consensus| i32::from(consensus.agree_from))
                .or_else(|| scale.map(|(min, max)| scale_bands(min, max).1.0)),
            criteria,
        }
    }

    fn method(&mut self) {
        self.document
            .heading(2, "method", "How the list was made: method and weighting");
        self.document.paragraph(
            "Each response file was read and checked against the exercise definition: every \
             group, item, rank and rating was checked, and a file with a bad row would have \
             been refused whole, with its line number. The answers were then turned into \
             ballots and scored as described below. The formulas are those of the project's \
             METHODS.md; r runs over respondents, i over items, g over stakeholder groups, w_r \
             is respondent r's weight and m the number of items.",
        );
        let rounds: Vec<_> = self.ranked_rounds().collect();
        for (index, data, document) in rounds {
            self.document.heading(
                3,
                &format!("method-{}", data.round.id),
                Self::round_name(index, data.round),
            );
            self.round_method(data, document);
        }
        if self.ranked_rounds().next().is_none() {
            self.document.paragraph("No round was ranked.");
            return;
        }
        self.document.heading(
            3,
            "method-agreement",
            "Agreement, divergence and uncertainty",
        );
        self.document.paragraph(
            "Agreement among all respondents is Kendall's coefficient of concordance W, with \
             the correction for ties: 0 means no agreement on the order of the items, 1 \
             complete agreement. Each person's answers become mid-ranks over the items (for \
             rankings, unranked items tie at the bottom; for ratings, only people who rated \
             every item count). The χ² test asks whether the agreement could be chance.",
        );
        self.document.code(KENDALL_W_FORMULA);
        self.document.paragraph(
            "Agreement between two groups is Kendall's τ-b between their scores of the items \
             (1 the same order, 0 no relation, −1 the reverse), with Spearman's ρ and the \
             number of items the two top lists share.",
        );
        self.document.code(TAU_B_FORMULA);
        self.document.paragraph(format!(
            "Divergence: for each item, the best and worst rank any shown group gives it, and \
             the groups that rank it at least {FAR_RANK_DISTANCE} places from its overall rank."
        ));
        self.document.paragraph(format!(
            "Uncertainty: the bootstrap reruns the round's own method on resamples of the \
             respondents. A place counts as certain when its 95% rank interval is a single \
             place, and an item as surely in the top list when it is there in at least {:.0}% \
             of resamples.",
            CERTAIN_P_TOP * 100.0
        ));
        self.document.code(BOOTSTRAP_FORMULA);
    }

    fn round_method(&mut self, data: &RoundData<'_>, document: &ResultsDocument) {
        let Some(entry) = document.results.first() else {
            return;
        };
        let context = self.method_context(data, document);
        let Ok(method) = entry.method.parse::<Method>() else {
            return;
        };
        let weighting = entry.weighting.parse::<Weighting>().ok();
        let source = if data.round.method == Some(method) {
            "set in the exercise definition"
        } else {
            "the default for this kind of data"
        };
        let explained = explain_method(method, &context);
        self.document.paragraph(
            Runs::new()
                .strong("Method: ")
                .code(method.as_str())
                .text(format!(" ({source}). {}", explained.text)),
        );
        self.document.code(explained.formula);
        if let Some(weighting) = weighting {
            let group_weights: Vec<(String, f64)> = data
                .round
                .group_weights
                .iter()
                .map(|(group, weight)| (self.group_label(group), *weight))
                .collect();
            let weighting_source = if data.round.weighting == Some(weighting) {
                "set in the exercise definition"
            } else {
                "the default"
            };
            let explained = explain_weighting(weighting, method, &context, &group_weights);
            self.document.paragraph(
                Runs::new()
                    .strong("Weighting: ")
                    .code(weighting.as_str())
                    .text(format!(" ({weighting_source}). {}", explained.text)),
            );
            self.document.code(explained.formula);
        }
        self.document
            .paragraph(Runs::new().strong("Each group on its own: ").text(
                "each shown group's own ranking uses the same method with every member counted \
             once.",
            ));

        let treatment = match data.responses.kind() {
            survey::responses::ResponseKind::Ranking => {
                "Rank 1 is the most important. Items a person did not rank count as tied with \
                 each other below every item they ranked; equal ranks are ties, sharing the \
                 points of the places they span."
                    .to_string()
            }
            survey::responses::ResponseKind::Rating => format!(
                "“Don't know” and unanswered items are missing: they are left out of that \
                 item's figures, not counted as low ratings. {}",
                document
                    .settings
                    .scale
                    .as_ref()
                    .map_or_else(String::new, |scale| format!("Scale: {scale}."))
            ),
            survey::responses::ResponseKind::Pick => {
                "Each pick counts once; items a person did not pick count as not chosen."
                    .to_string()
            }
            survey::responses::ResponseKind::Pairwise => {
                "Each choice counts once; pairs a person skipped or could not decide are \
                 simply absent."
                    .to_string()
            }
            survey::responses::ResponseKind::Suggestions => String::new(),
        };
        self.document.paragraph(
            Runs::new()
                .strong("Ties and missing answers: ")
                .text(format!(
                    "{treatment} In the results, tied items share a rank (standard \
                     competition ranking: the next rank skips) and are listed by item id."
                )),
        );
        let suppressed = self.group_labels(&document.input.suppressed_groups);
        self.document
            .paragraph(Runs::new().strong("Small groups: ").text(format!(
                "groups with fewer than {} respondents count in the overall list but are not \
                 shown on their own. {}",
                document.settings.disclosure_threshold,
                if suppressed.is_empty() {
                    "No group was that small in this round.".to_string()
                } else {
                    format!(
                        "Not shown on their own here: {}.",
                        join_phrases(&suppressed)
                    )
                }
            )));
        let uncertainty = match (document.settings.bootstrap, document.settings.seed) {
            (Some(resamples), Some(seed)) => format!(
                "{resamples} bootstrap resamples of the respondents, drawn with replacement \
                 within each group (group sizes kept) from a ChaCha random generator seeded \
                 with {seed}, so that the same seed gives the same numbers on any machine. \
                 Only the round's own method ({}) is bootstrapped; the methods it is compared \
                 with are run once on all the responses.",
                entry.method
            ),
            _ => "no bootstrap was run, so rank intervals are not given.".to_string(),
        };
        self.document
            .paragraph(Runs::new().strong("Uncertainty: ").text(uncertainty));
        self.document
            .paragraph(Runs::new().strong("List length: ").text(format!(
                "the priority list is the top {} items.",
                document.settings.top_k
            )));
        if document.results.len() > 1 {
            self.document
                .paragraph(Runs::new().strong("Methods compared: ").text(format!(
                    "to show how much the list depends on the method, {} other {} run with \
                         the same weighting:",
                    document.results.len() - 1,
                    if document.results.len() == 2 {
                        "method was"
                    } else {
                        "methods were"
                    }
                )));
            for other in &document.results[1..] {
                let Ok(method) = other.method.parse::<Method>() else {
                    continue;
                };
                let explained = explain_method(method, &context);
                self.document.paragraph(
                    Runs::new()
                        .code(method.as_str())
                        .text(format!(": {}", explained.text)),
                );
                self.document.code(explained.formula);
            }
        }
    }

    // ----- Results -----

    fn results(&mut self) -> Result<(), ReportError> {
        self.document
            .heading(2, "results", "Results overall and by group");
        for &(index, data) in self.rounds {
            self.document.heading(
                3,
                &format!("results-{}", data.round.id),
                Self::round_name(index, data.round),
            );
            match &data.results {
                Some(document) if !document.results.is_empty() => {
                    self.round_results(index, data, document)?;
                }
                _ => self.suggestion_results(index, data),
            }
        }
        let ranked: Vec<_> = self.ranked_rounds().collect();
        for pair in ranked.windows(2) {
            self.movement(pair[0], pair[1])?;
        }
        Ok(())
    }

    fn suggestion_results(&mut self, index: usize, data: &RoundData<'_>) {
        let counts = suggestion_counts(data.responses);
        if counts.is_empty() {
            self.document.paragraph("These responses were not ranked.");
            return;
        }
        let mut table = Table::new(
            format!("Suggestions by group in round {}", index + 1),
            &[
                ("Group", Align::Left),
                ("People who made suggestions", Align::Right),
                ("Suggestions", Align::Right),
            ],
        )
        .row_header(0);
        let mut total = (0u64, 0usize);
        for (group, respondents, suggestions) in &counts {
            total.0 += respondents;
            total.1 += suggestions;
            table.push(vec![
                self.group_label(group),
                respondents.to_string(),
                suggestions.to_string(),
            ]);
        }
        table.push(vec![
            "All groups".to_string(),
            total.0.to_string(),
            total.1.to_string(),
        ]);
        self.document.paragraph(format!(
            "{} made {} suggestions. Suggestions are free text: the research team curates them \
             into items before anything is ranked, so they have no rank here. They are listed \
             as written in the appendix.",
            people(total.0),
            total.1
        ));
        self.document.table(table);
        self.curation_summary();
    }

    fn round_results(
        &mut self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
    ) -> Result<(), ReportError> {
        let Some(entry) = document.results.first() else {
            return Ok(());
        };
        let top_k = document.settings.top_k;
        let round_id = data.round.id.to_string();
        self.document.paragraph(
            Runs::new()
                .text(format!(
                    "{} and {} items, ranked by ",
                    respondents(document.input.respondents),
                    document.input.items
                ))
                .code(entry.method.clone())
                .text(" with ")
                .code(entry.weighting.clone())
                .text(" weighting."),
        );
        self.document
            .heading(4, &format!("results-{round_id}-overall"), "Overall");
        // Delphi classes, where the round was classified, shown beside the headline method's
        // ranking.
        let mut rows = entry.ranking.clone();
        if let Some(delphi) = document
            .results
            .iter()
            .find(|other| other.method == "delphi")
        {
            for row in &mut rows {
                if row.class.is_none() {
                    row.class = delphi
                        .ranking
                        .iter()
                        .find(|other| other.item == row.item)
                        .and_then(|other| other.class.clone());
                }
            }
        }
        let table = self.top_table(
            format!(
                "{}: every item, overall ({} weighting)",
                Self::round_name(index, data.round),
                entry.weighting
            ),
            &rows,
            top_k,
            None,
            true,
        );
        self.document.table(table);
        let is_final = self
            .final_round()
            .is_some_and(|(final_index, ..)| final_index == index);
        match (is_final, self.final_top_figure) {
            (true, Some(_)) => self
                .document
                .paragraph("The chart of this round's top priorities is figure 1, in the summary."),
            _ => {
                self.top_chart(index, data, document)?;
            }
        }
        if let Some(chart) = self.rating_distribution(index, data, document) {
            self.document.paragraph(
                "How the ratings of each item were spread, from the lowest rating (left) to \
                 the highest, with “don't know” and unanswered hatched at the end:",
            );
            self.figure(format!("{round_id}-rating-distribution"), &chart)?;
        }

        self.document.heading(
            4,
            &format!("results-{round_id}-groups"),
            "By stakeholder group",
        );
        if entry.groups.is_empty() {
            self.document
                .paragraph("No group was large enough to be shown on its own.");
        } else {
            self.document.paragraph(format!(
                "Each group's own top {top_k}, by the same method with every member counted \
                 once.{}",
                if document.settings.bootstrap.is_some() {
                    " Intervals come from the same bootstrap, resampling within the group."
                } else {
                    ""
                }
            ));
            for group in &entry.groups {
                let table = self.top_table(
                    format!(
                        "{} ({}): top {top_k}",
                        self.group_label(&group.group),
                        respondents(group.respondents)
                    ),
                    &group.ranking,
                    top_k,
                    Some(top_k),
                    false,
                );
                self.document.table(table);
            }
            if let Some(mut heatmap) = GroupRankHeatmap::from_results(document, None, None) {
                heatmap.groups = self.group_labels(&heatmap.groups);
                heatmap.title = format!(
                    "{}: rank of every item in each group",
                    Self::round_name(index, data.round)
                );
                heatmap.note = self.group_notes(document, entry);
                self.figure(format!("{round_id}-group-ranks"), &heatmap)?;
            }
        }
        let notes = self.group_notes(document, entry);
        if !notes.is_empty() {
            self.document.paragraph(notes);
        }
        Ok(())
    }

    /// Groups not shown on their own and groups the method could not rank, by label.
    fn group_notes(&self, document: &ResultsDocument, entry: &MethodEntry) -> String {
        let mut notes = Vec::new();
        if !document.input.suppressed_groups.is_empty() {
            notes.push(format!(
                "Not shown on their own (fewer than {} respondents): {}.",
                document.settings.disclosure_threshold,
                join_phrases(&self.group_labels(&document.input.suppressed_groups))
            ));
        }
        for failure in &entry.group_failures {
            notes.push(format!(
                "{} could not be ranked on its own: {}.",
                self.group_label(&failure.group),
                failure.reason
            ));
        }
        notes.join(" ")
    }

    fn rating_distribution(
        &self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
    ) -> Option<RatingDistributionChart> {
        let RoundKind::Rate {
            scale: Scale::Numeric { min, max, labels },
            criteria,
            ..
        } = &data.round.kind
        else {
            return None;
        };
        if !criteria.is_empty() {
            return None;
        }
        let Answers::Rating(entries) = &data.responses.answers else {
            return None;
        };
        let (min, max) = (*min, *max);
        let points = usize::try_from(max - min + 1).ok()?;
        let responses = data.responses;
        let mut counts = vec![vec![0u64; points]; responses.items.len()];
        for (respondent_index, respondent) in responses.respondents.iter().enumerate() {
            for rating in &entries[responses.range(respondent_index)] {
                if let Some(RatingValue::Score(score)) = rating.value
                    && (min..=max).contains(&score)
                    && let Some(item) = counts.get_mut(rating.item as usize)
                {
                    item[(score - min) as usize] += u64::from(respondent.count);
                }
            }
        }
        let total = responses.ballot_count();
        let entry = document.results.first()?;
        let items = entry
            .ranking
            .iter()
            .filter_map(|row| {
                let item = responses
                    .items
                    .iter()
                    .position(|info| info.id == row.item)?;
                let rated: u64 = counts[item].iter().sum();
                Some(RatingItem {
                    item: row.item.clone(),
                    label: row.label.clone(),
                    counts: counts[item].clone(),
                    not_rated: total.saturating_sub(rated),
                    consensus: None,
                })
            })
            .collect();
        let scale = (min..=max)
            .map(|value| match labels.get(&value) {
                Some(label) => format!("{value} {label}"),
                None => value.to_string(),
            })
            .collect();
        let mut chart = RatingDistributionChart::new(scale, items);
        chart.title = format!(
            "{}: distribution of ratings per item",
            Self::round_name(index, data.round)
        );
        chart.not_rated_label = "Don't know or not rated".to_string();
        chart.mark_consensus(document);
        let ((bottom_low, bottom_high), (top_low, top_high)) = scale_bands(min, max);
        chart.note = format!(
            "Items in order of the round's own method ({}). Delphi consensus in: at least 70% \
             rate {top_low}–{top_high} and fewer than 15% rate {bottom_low}–{bottom_high}, among \
             those who rated the item.",
            entry.method
        );
        Some(chart)
    }

    fn movement(
        &mut self,
        from: (usize, &RoundData<'_>, &ResultsDocument),
        to: (usize, &RoundData<'_>, &ResultsDocument),
    ) -> Result<(), ReportError> {
        let (Some(from_entry), Some(to_entry)) = (from.2.results.first(), to.2.results.first())
        else {
            return Ok(());
        };
        let items: Vec<MovementItem> = from_entry
            .ranking
            .iter()
            .filter_map(|row| {
                let later = to_entry
                    .ranking
                    .iter()
                    .find(|other| other.item == row.item)?;
                Some(MovementItem {
                    label: row.label.clone(),
                    from_rank: Some(row.rank),
                    to_rank: Some(later.rank),
                })
            })
            .collect();
        if items.is_empty() {
            return Ok(());
        }
        let from_name = format!("round {}", from.0 + 1);
        let to_name = format!("round {}", to.0 + 1);
        self.document.heading(
            3,
            &format!("movement-{}-{}", from.1.round.id, to.1.round.id),
            format!("Movement from {from_name} to {to_name}"),
        );
        let left_out: Vec<String> = from_entry
            .ranking
            .iter()
            .filter(|row| !to_entry.ranking.iter().any(|other| other.item == row.item))
            .map(|row| row.label.clone())
            .collect();
        let new: Vec<String> = to_entry
            .ranking
            .iter()
            .filter(|row| {
                !from_entry
                    .ranking
                    .iter()
                    .any(|other| other.item == row.item)
            })
            .map(|row| row.label.clone())
            .collect();
        let mut text = format!(
            "{} items are in both rounds. The chart joins each one's rank in {from_name} \
             (among {} items, by {}) to its rank in {to_name} (among {}, by {}).",
            items.len(),
            from_entry.ranking.len(),
            from_entry.method,
            to_entry.ranking.len(),
            to_entry.method
        );
        if !left_out.is_empty() {
            text.push_str(&format!(
                " Not carried into {to_name} ({}): {}.",
                left_out.len(),
                join_phrases(&left_out)
            ));
        }
        if !new.is_empty() {
            text.push_str(&format!(
                " New in {to_name} ({}): {}.",
                new.len(),
                join_phrases(&new)
            ));
        }
        self.document.paragraph(text);
        // The columns are narrow: they carry the round numbers, the title the round names.
        let mut chart = RoundMovementChart::new(
            &format!("Round {}", from.0 + 1),
            &format!("Round {}", to.0 + 1),
            items,
        );
        chart.title = format!(
            "Movement of items from {from_name} ({}) to {to_name} ({})",
            from.1.round.title, to.1.round.title
        );
        self.figure(
            format!("{}-to-{}-movement", from.1.round.id, to.1.round.id),
            &chart,
        )?;
        Ok(())
    }

    // ----- Agreement and divergence -----

    fn agreement(&mut self) -> Result<(), ReportError> {
        self.document
            .heading(2, "agreement", "Agreement and divergence between groups");
        self.each_ranked_round("agreement", |this, index, data, document| {
            this.round_agreement(index, data, document)
        })
    }

    fn kendall_sentence(&self, agreement: &AgreementEntry, who: &str) -> String {
        match (
            agreement.kendall_w,
            agreement.chi_square,
            agreement.df,
            agreement.p_value,
        ) {
            (Some(w), Some(chi_square), Some(df), Some(p)) => {
                let left_out = match agreement.left_out {
                    Some(count) if count > 0 => format!(
                        " {} who did not rate every item {} left out of W.",
                        respondents(count),
                        if count == 1 { "is" } else { "are" }
                    ),
                    _ => String::new(),
                };
                format!(
                    "Kendall's W among {who} is {w:.3} (χ² = {chi_square:.1}, {df} degrees of \
                     freedom, {}, over {}): {} agreement on the order of the items, by the \
                     nearest of Schmidt's (1997) reference points.{left_out}",
                    p_value(p),
                    respondents(agreement.raters.unwrap_or(0)),
                    agreement_strength(w)
                )
            }
            _ => format!(
                "Kendall's W among {who} is not defined for these data: {}.",
                agreement
                    .undefined
                    .as_deref()
                    .unwrap_or("no reason was given")
            ),
        }
    }

    fn round_agreement(
        &mut self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
    ) -> Result<(), ReportError> {
        let Some(entry) = document.results.first() else {
            return Ok(());
        };
        let round_id = data.round.id.to_string();
        match &document.agreement {
            Some(agreement) => {
                let sentence = self.kendall_sentence(agreement, "all respondents");
                self.document.paragraph(sentence);
                if !agreement.groups.is_empty() {
                    let mut table = Table::new(
                        format!("Agreement within each group in round {}", index + 1),
                        &[
                            ("Group", Align::Left),
                            ("Raters", Align::Right),
                            ("Kendall's W", Align::Right),
                            ("p-value", Align::Right),
                        ],
                    )
                    .row_header(0);
                    for group in &agreement.groups {
                        let within = &group.agreement;
                        table.push(vec![
                            self.group_label(&group.group),
                            within
                                .raters
                                .map(|raters| raters.to_string())
                                .unwrap_or_default(),
                            within
                                .kendall_w
                                .map_or_else(|| "undefined".to_string(), |w| format!("{w:.3}")),
                            within.p_value.map(p_value).unwrap_or_default(),
                        ]);
                    }
                    self.document.table(table);
                }
            }
            None => self.document.paragraph(
                "Kendall's W is not computed for these data (multi-criteria ratings, picks or \
                 pairwise choices).",
            ),
        }

        if entry.group_agreement.is_empty() {
            self.document.paragraph(
                "Fewer than two groups were shown on their own, so groups are not compared.",
            );
        } else {
            self.document.paragraph(format!(
                "Between groups (by {}): each pair's τ-b and ρ compare the two groups' own \
                 scores of every item; the last column counts the items both have in their top \
                 {}.",
                entry.method, document.settings.top_k
            ));
            let mut table = Table::new(
                format!(
                    "Agreement between each pair of groups in round {}",
                    index + 1
                ),
                &[
                    ("Groups", Align::Left),
                    ("Kendall's τ-b", Align::Right),
                    ("Spearman's ρ", Align::Right),
                    ("Shared top items", Align::Right),
                ],
            )
            .row_header(0);
            let mut pairs: Vec<_> = entry.group_agreement.iter().collect();
            pairs.sort_by(|a, b| {
                b.kendall_tau_b
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.kendall_tau_b.unwrap_or(f64::NEG_INFINITY))
            });
            for pair in pairs {
                table.push(vec![
                    format!(
                        "{} and {}",
                        self.group_label(&pair.groups[0]),
                        self.group_label(&pair.groups[1])
                    ),
                    correlation(pair.kendall_tau_b),
                    correlation(pair.spearman_rho),
                    format!("{} of {}", pair.top_k_shared.len(), document.settings.top_k),
                ]);
            }
            self.document.table(table);
            if let Some(mut matrix) = GroupAgreementMatrix::from_results(document, None) {
                matrix.groups = self.group_labels(&matrix.groups);
                matrix.title = format!(
                    "{}: agreement between groups (Kendall's τ-b)",
                    Self::round_name(index, data.round)
                );
                matrix.note = self.group_notes(document, entry);
                self.figure(format!("{round_id}-group-agreement"), &matrix)?;
            }
        }

        let mut dividing: Vec<&RankingRow> = entry
            .ranking
            .iter()
            .filter(|row| row.divergence.is_some())
            .collect();
        dividing.sort_by_key(|row| {
            (
                std::cmp::Reverse(row.divergence.as_ref().map_or(0, |entry| entry.spread)),
                row.rank,
            )
        });
        if !dividing.is_empty() {
            self.document.paragraph(format!(
                "The items that divide the groups most: the spread is the gap between the best \
                 and the worst rank any shown group gives the item; the last column names the \
                 groups that rank it at least {FAR_RANK_DISTANCE} places from its overall rank."
            ));
            let mut table = Table::new(
                format!(
                    "The {} items that divide the groups most in round {}",
                    dividing.len().min(DIVIDING_ITEMS),
                    index + 1
                ),
                &[
                    ("Item", Align::Left),
                    ("Overall rank", Align::Right),
                    ("Best group rank", Align::Right),
                    ("Worst group rank", Align::Right),
                    ("Spread", Align::Right),
                    ("Groups far from the overall rank", Align::Left),
                ],
            )
            .row_header(0);
            for row in dividing.into_iter().take(DIVIDING_ITEMS) {
                let Some(divergence) = &row.divergence else {
                    continue;
                };
                table.push(vec![
                    row.label.clone(),
                    row.rank.to_string(),
                    divergence.best_rank.to_string(),
                    divergence.worst_rank.to_string(),
                    divergence.spread.to_string(),
                    self.group_labels(&divergence.far_groups).join("; "),
                ]);
            }
            self.document.table(table);
        }

        if let Some(consensus) = &document.group_consensus {
            self.document.paragraph(format!(
                "Group-informed consensus (as in Pol.is) favours items that every group rates \
                 highly: for each item, the product over groups of (ratings of {} or more + 1) / \
                 (ratings + 2). The five items with the most consensus across groups:",
                consensus.agree_from
            ));
            let entries = consensus
                .items
                .iter()
                .take(5)
                .map(|item| {
                    let label = entry
                        .ranking
                        .iter()
                        .find(|row| row.item == item.item)
                        .map_or(item.item.as_str(), |row| row.label.as_str());
                    Runs::from(format!("{label} ({:.3})", item.consensus))
                })
                .collect();
            self.document.list(entries);
        }
        Ok(())
    }

    // ----- Uncertainty -----

    fn uncertainty(&mut self) -> Result<(), ReportError> {
        self.document.heading(
            2,
            "uncertainty",
            "Uncertainty: which places are certain, which items are tied",
        );
        self.each_ranked_round("uncertainty", |this, index, _, document| {
            this.round_uncertainty(index, document);
            Ok(())
        })
    }

    fn round_uncertainty(&mut self, index: usize, document: &ResultsDocument) {
        let Some(entry) = document.results.first() else {
            return;
        };
        let top_k = document.settings.top_k;
        let Some(resamples) = document.settings.bootstrap else {
            self.document.paragraph(
                "No bootstrap was run for this round, so how certain each place is was not \
                 measured. Rerun the report with --bootstrap 1000 to measure it.",
            );
            return;
        };
        self.document.paragraph(format!(
            "From {resamples} bootstrap resamples of the {} by {}.",
            respondents(document.input.respondents),
            entry.method
        ));
        let certain: Vec<Runs> = entry
            .ranking
            .iter()
            .filter(|row| is_certain_place(row))
            .map(|row| Runs::from(format!("Place {}: {}", row.rank, row.label)))
            .collect();
        if certain.is_empty() {
            self.document.paragraph(
                "No place is certain: every item's 95% rank interval spans more than one place.",
            );
        } else {
            self.document.paragraph(format!(
                "Certain places (the item has this rank in at least 95% of resamples: its 95% \
                 rank interval is a single place): {} of {} items.",
                certain.len(),
                entry.ranking.len()
            ));
            self.document.list(certain);
        }
        let surely_in: Vec<String> = entry
            .ranking
            .iter()
            .filter(|row| row.p_top.is_some_and(|p| p >= CERTAIN_P_TOP))
            .map(|row| row.label.clone())
            .collect();
        self.document.paragraph(if surely_in.is_empty() {
            format!(
                "No item is in the top {top_k} in at least {:.0}% of resamples.",
                CERTAIN_P_TOP * 100.0
            )
        } else {
            format!(
                "Surely in the top {top_k} (in at least {:.0}% of resamples, though perhaps not \
                 at the same place): {}.",
                CERTAIN_P_TOP * 100.0,
                join_phrases(&surely_in)
            )
        });
        let crossing: Vec<&RankingRow> = crossing_cut(&entry.ranking, top_k).collect();
        if crossing.is_empty() {
            self.document.paragraph(format!(
                "No item's 95% rank interval crosses the cut between place {top_k} and place {}: \
                 the top {top_k} is clear.",
                top_k + 1
            ));
        } else {
            self.document.paragraph(format!(
                "Effectively tied around the cut: these items' 95% rank intervals cross the \
                 line between place {top_k} and place {}, so the data cannot say for sure \
                 which of them belong in the top {top_k}.",
                top_k + 1
            ));
            let mut table = Table::new(
                format!(
                    "Items either side of the top-{top_k} cut in round {}",
                    index + 1
                ),
                &[
                    ("Rank", Align::Right),
                    ("Item", Align::Left),
                    ("95% rank interval", Align::Right),
                    ("In the top list (share of resamples)", Align::Right),
                ],
            )
            .row_header(1);
            for row in crossing {
                table.push(vec![
                    row.rank.to_string(),
                    row.label.clone(),
                    interval_text(row),
                    row.p_top.map(percent).unwrap_or_default(),
                ]);
            }
            self.document.table(table);
        }
        let mut shared: Vec<String> = Vec::new();
        for pair in entry.ranking.windows(2) {
            if pair[0].rank == pair[1].rank {
                for row in pair {
                    if !shared.contains(&row.label) {
                        shared.push(row.label.clone());
                    }
                }
            }
        }
        if !shared.is_empty() {
            self.document.paragraph(format!(
                "Exact ties in the full data (items sharing a rank): {}.",
                join_phrases(&shared)
            ));
        }
    }

    // ----- Sensitivity -----

    fn sensitivity(&mut self) -> Result<(), ReportError> {
        self.document.heading(
            2,
            "sensitivity",
            "Sensitivity: what other methods would have given",
        );
        self.each_ranked_round("sensitivity", |this, index, data, document| {
            this.round_sensitivity(index, data, document)
        })
    }

    fn round_sensitivity(
        &mut self,
        index: usize,
        data: &RoundData<'_>,
        document: &ResultsDocument,
    ) -> Result<(), ReportError> {
        let Some(entry) = document.results.first() else {
            return Ok(());
        };
        let top_k = document.settings.top_k;
        if document.results.len() < 2 {
            self.document.paragraph(
                Runs::new()
                    .text("Only the round's own method, ")
                    .code(entry.method.clone())
                    .text(
                        ", was run for this round. Rerun the report with --method all to \
                         compare it with every method that fits the data.",
                    ),
            );
            return Ok(());
        }
        let names: Vec<&str> = document
            .results
            .iter()
            .map(|entry| entry.method.as_str())
            .collect();
        self.document.paragraph(format!(
            "The round's own method, {}, compared with {}, each run once on all the responses \
             with {} weighting. The table gives each item's rank under each method, for the \
             items in the top {top_k} under any of them.",
            entry.method,
            join_phrases(
                &names[1..]
                    .iter()
                    .map(|name| name.to_string())
                    .collect::<Vec<_>>()
            ),
            entry.weighting
        ));
        let chosen: BTreeSet<&str> = document
            .results
            .iter()
            .flat_map(|entry| {
                entry
                    .ranking
                    .iter()
                    .filter(|row| row.rank <= top_k)
                    .map(|row| row.item.as_str())
            })
            .collect();
        let mut columns: Vec<(&str, Align)> = vec![("Item", Align::Left)];
        columns.extend(names.iter().map(|name| (*name, Align::Right)));
        let mut table = Table::new(
            format!("Rank of each item under each method in round {}", index + 1),
            &columns,
        )
        .row_header(0);
        let mut order: Vec<&RankingRow> = entry
            .ranking
            .iter()
            .filter(|row| chosen.contains(row.item.as_str()))
            .collect();
        order.sort_by_key(|row| row.rank);
        for row in order {
            let mut cells = vec![row.label.clone()];
            for other in &document.results {
                cells.push(
                    other
                        .ranking
                        .iter()
                        .find(|candidate| candidate.item == row.item)
                        .map_or_else(|| "—".to_string(), |candidate| candidate.rank.to_string()),
                );
            }
            table.push(cells);
        }
        self.document.table(table);

        if let Some(comparison) = &document.comparison {
            let mut pairs = Table::new(
                format!(
                    "How far each method agrees with {} in round {}",
                    entry.method,
                    index + 1
                ),
                &[
                    ("Method", Align::Left),
                    ("Kendall's τ-b", Align::Right),
                    ("Spearman's ρ", Align::Right),
                    ("Shared top items", Align::Right),
                ],
            )
            .row_header(0);
            for pair in &comparison.pairs {
                let other = if pair.methods[0] == entry.method {
                    &pair.methods[1]
                } else if pair.methods[1] == entry.method {
                    &pair.methods[0]
                } else {
                    continue;
                };
                pairs.push(vec![
                    other.clone(),
                    correlation(pair.kendall_tau_b),
                    correlation(pair.spearman_rho),
                    format!("{} of {top_k}", pair.top_k_shared.len()),
                ]);
            }
            self.document.table(pairs);
            if comparison.method_dependent.is_empty() {
                self.document.paragraph(format!(
                    "The top {top_k} holds the same items under every method compared."
                ));
            } else {
                self.document.paragraph(format!(
                    "In the top {top_k} under some methods but not all: {}. Every other item of \
                     the top {top_k} is there whichever method is used.",
                    join_phrases(&labels_of(&entry.ranking, &comparison.method_dependent))
                ));
            }
        }
        for other in &document.results {
            if let Some(details) = &other.details
                && other.method == "kemeny"
            {
                let exact = details.get("exact").and_then(serde_json::Value::as_bool);
                let objective = details.get("objective").and_then(serde_json::Value::as_f64);
                if let (Some(exact), Some(objective)) = (exact, objective) {
                    self.document.paragraph(format!(
                        "Kemeny's order was {} (its objective, the weighted count of pairwise \
                         preferences it goes against, is {}).",
                        if exact {
                            "found exactly"
                        } else {
                            "found by a heuristic, not proved optimal"
                        },
                        format_score(objective)
                    ));
                }
            }
        }
        if let Some(mut chart) = MethodSensitivityChart::from_results(document, top_k) {
            chart.title = format!(
                "{}: how the ranking depends on the method",
                Self::round_name(index, data.round)
            );
            self.figure(format!("{}-method-sensitivity", data.round.id), &chart)?;
        }
        Ok(())
    }

    // ----- Data quality -----

    fn data_quality(&mut self) {
        self.document
            .heading(2, "data-quality", "Exclusions and data quality");
        for &(index, data) in self.rounds {
            self.document.heading(
                3,
                &format!("data-quality-{}", data.round.id),
                Self::round_name(index, data.round),
            );
            self.round_quality(index, data);
        }
        if self.rounds.is_empty() {
            self.document.paragraph("No responses were given.");
        }
    }

    fn round_quality(&mut self, index: usize, data: &RoundData<'_>) {
        let responses = data.responses;
        let noun = match responses.kind() {
            survey::responses::ResponseKind::Ranking => "ranks",
            survey::responses::ResponseKind::Rating => "ratings",
            survey::responses::ResponseKind::Pick => "picks",
            survey::responses::ResponseKind::Pairwise => "choices",
            survey::responses::ResponseKind::Suggestions => "suggestions",
        };
        let mut findings = vec![Runs::from(format!(
            "{} rows ({noun}) from {}.",
            responses_rows(responses),
            respondents(responses.ballot_count())
        ))];
        match &responses.answers {
            Answers::Ranking(entries) => {
                let expected = match data.round.kind {
                    RoundKind::Rank { top_k } => (top_k as usize).min(responses.items.len()),
                    _ => responses.items.len(),
                };
                let mut short = 0;
                let mut tied = 0;
                for respondent in 0..responses.respondents.len() {
                    let ranks = &entries[responses.range(respondent)];
                    if ranks.len() < expected {
                        short += 1;
                    }
                    let distinct: HashSet<u32> = ranks.iter().map(|entry| entry.rank).collect();
                    if distinct.len() < ranks.len() {
                        tied += 1;
                    }
                }
                findings.push(Runs::from(format!(
                    "{} ranked fewer than {expected} items (partial rankings are kept: unranked \
                     items tie at the bottom); {} gave tied ranks.",
                    respondents(short),
                    if tied == 0 {
                        "no respondent".to_string()
                    } else {
                        respondents(tied)
                    }
                )));
            }
            Answers::Rating(entries) => {
                let dont_know = entries.iter().filter(|entry| entry.value.is_none()).count();
                let item_count = responses.items.len();
                let criteria = responses.criteria.len().max(1);
                let partial = (0..responses.respondents.len())
                    .filter(|&respondent| {
                        entries[responses.range(respondent)]
                            .iter()
                            .filter(|entry| entry.value.is_some())
                            .count()
                            < item_count * criteria
                    })
                    .count();
                findings.push(Runs::from(format!(
                    "{dont_know} of {} answers {} “don't know” (left out, not counted as low); \
                     {} rated fewer than all {item_count} items.",
                    entries.len(),
                    if dont_know == 1 { "was" } else { "were" },
                    respondents(partial as u64)
                )));
            }
            _ => {}
        }
        if let Answers::Suggestions(texts) = &responses.answers {
            let longest = texts.iter().map(|text| text.chars().count()).max();
            let empty = texts.iter().filter(|text| text.trim().is_empty()).count();
            findings.push(Runs::from(format!(
                "{} suggestions; the longest has {} characters{}.",
                texts.len(),
                longest.unwrap_or(0),
                if empty > 0 {
                    format!("; {empty} were empty")
                } else {
                    String::new()
                }
            )));
        }
        self.document.list(findings);

        if let Some(document) = &data.results {
            let excluded = &document.input.excluded;
            if excluded.is_empty() {
                self.document
                    .paragraph("Excluded: nobody; every respondent's answers were used.");
            } else {
                let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
                for exclusion in excluded {
                    match reasons
                        .iter_mut()
                        .find(|(reason, _)| *reason == exclusion.reason)
                    {
                        Some((_, ids)) => ids.push(&exclusion.respondent),
                        None => reasons.push((&exclusion.reason, vec![&exclusion.respondent])),
                    }
                }
                self.document.paragraph(format!(
                    "Excluded: {} whose answers gave nothing to rank (every excluded \
                     respondent is listed in results.json).",
                    respondents(excluded.len() as u64)
                ));
                let mut table = Table::new(
                    format!("Respondents excluded from round {}, and why", index + 1),
                    &[
                        ("Reason", Align::Left),
                        ("Respondents", Align::Right),
                        ("Respondent ids", Align::Left),
                    ],
                )
                .row_header(0);
                for (reason, ids) in reasons {
                    let mut listed = ids
                        .iter()
                        .take(LISTED_EXCLUSIONS)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ");
                    if ids.len() > LISTED_EXCLUSIONS {
                        listed.push_str(&format!(" and {} more", ids.len() - LISTED_EXCLUSIONS));
                    }
                    table.push(vec![reason.to_string(), ids.len().to_string(), listed]);
                }
                self.document.table(table);
            }
            let suppressed = self.group_labels(&document.input.suppressed_groups);
            self.document.paragraph(if suppressed.is_empty() {
                format!(
                    "Small groups: every group with respondents had at least {} and is shown on \
                     its own.",
                    document.settings.disclosure_threshold
                )
            } else {
                format!(
                    "Small groups: {} had fewer than {} respondents; they count in the overall \
                     list but are not shown on their own.",
                    join_phrases(&suppressed),
                    document.settings.disclosure_threshold
                )
            });
            if let Some(entry) = document.results.first() {
                let notes = self.group_notes(document, entry);
                if !entry.group_failures.is_empty() {
                    self.document.paragraph(notes);
                }
            }
        }
        if let Some(straight) = straight_lining(responses) {
            self.straight_lining(index, responses, &straight);
        }
        if !data.notes.is_empty() {
            self.document
                .paragraph("Notes from reading and ranking the file:");
            self.document.list(
                data.notes
                    .iter()
                    .map(|note| Runs::from(note.clone()))
                    .collect(),
            );
        }
    }

    fn straight_lining(&mut self, index: usize, responses: &Responses, straight: &[u64]) {
        let total: u64 = straight.iter().sum();
        self.document.paragraph(format!(
            "Straight-lining: {} gave every item they rated the same rating (having rated at \
             least two). Their answers are kept; they are counted here so that a reader can \
             judge whether they matter.",
            respondents(total)
        ));
        if total == 0 {
            return;
        }
        let mut sizes = vec![0u64; responses.groups.len()];
        for respondent in &responses.respondents {
            sizes[respondent.group as usize] += u64::from(respondent.count);
        }
        let mut table = Table::new(
            format!("Straight-lining by group in round {}", index + 1),
            &[
                ("Group", Align::Left),
                ("Same rating for every item", Align::Right),
                ("Respondents", Align::Right),
            ],
        )
        .row_header(0);
        for (group, (&count, &size)) in responses.groups.iter().zip(straight.iter().zip(&sizes)) {
            if size > 0 {
                table.push(vec![
                    self.group_label(group),
                    count.to_string(),
                    size.to_string(),
                ]);
            }
        }
        self.document.table(table);
    }

    // ----- Reproducibility -----

    fn reproducibility(&mut self) {
        self.document
            .heading(2, "reproducibility", "Reproducibility");
        self.document.paragraph(
            "To repeat every number in this report, run the command below on files with these \
             SHA-256 checksums; the same seed gives the same numbers on any machine and with \
             any number of threads.",
        );
        let mut files = Table::new(
            "The files the report was made from",
            &[
                ("What", Align::Left),
                ("File", Align::Left),
                ("SHA-256", Align::Left),
            ],
        )
        .row_header(0);
        files.push(vec![
            "Exercise definition".to_string(),
            self.input.exercise_source.name.clone(),
            self.input.exercise_source.sha256.clone(),
        ]);
        for &(index, data) in self.rounds {
            files.push(vec![
                format!("Responses to round {} ({})", index + 1, data.round.id),
                data.source.name.clone(),
                data.source.sha256.clone(),
            ]);
        }
        self.document.table(files);
        self.document.paragraph(
            Runs::new()
                .text("Program: ")
                .code(self.input.program.clone())
                .text(". The command:"),
        );
        self.document.code(self.input.command.clone());

        let mut settings = Table::new(
            "Settings and thresholds",
            &[("Setting", Align::Left), ("Value", Align::Left)],
        )
        .row_header(0);
        let documents: Vec<_> = self.ranked_rounds().collect();
        if let Some((_, _, document)) = documents.first() {
            let settings_of = &document.settings;
            settings.push(vec![
                "Length of the priority list (k)".to_string(),
                settings_of.top_k.to_string(),
            ]);
            settings.push(vec![
                "Bootstrap resamples".to_string(),
                settings_of
                    .bootstrap
                    .map_or_else(|| "none".to_string(), |resamples| resamples.to_string()),
            ]);
            settings.push(vec![
                "Seed".to_string(),
                settings_of.seed.map_or_else(
                    || "none (no bootstrap)".to_string(),
                    |seed| seed.to_string(),
                ),
            ]);
            settings.push(vec![
                "Disclosure threshold".to_string(),
                format!(
                    "groups with fewer than {} respondents are not shown on their own",
                    settings_of.disclosure_threshold
                ),
            ]);
        }
        for (index, data, document) in &documents {
            if let Some(entry) = document.results.first() {
                settings.push(vec![
                    format!("Round {} ({})", index + 1, data.round.id),
                    format!(
                        "{} with {} weighting; compared with: {}",
                        entry.method,
                        entry.weighting,
                        if document.results.len() > 1 {
                            document.results[1..]
                                .iter()
                                .map(|other| other.method.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        } else {
                            "none".to_string()
                        }
                    ),
                ]);
            }
            if let Some(scale) = &document.settings.scale {
                settings.push(vec![
                    format!("Rating scale of round {}", index + 1),
                    scale.clone(),
                ]);
            }
            if let Some(consensus) = &document.group_consensus {
                settings.push(vec![
                    format!("Top-box and consensus threshold, round {}", index + 1),
                    format!("ratings of {} or more", consensus.agree_from),
                ]);
            }
        }
        settings.push(vec![
            "Delphi consensus".to_string(),
            "at least 70% in the top third of the scale and fewer than 15% in the bottom third \
             (or the reverse, for consensus out)"
                .to_string(),
        ]);
        settings.push(vec![
            "Rank interval".to_string(),
            "2.5th to 97.5th percentile of the bootstrap ranks".to_string(),
        ]);
        settings.push(vec![
            "Certain place; surely in the top list".to_string(),
            format!(
                "a rank interval of one place; in the top list in at least {:.0}% of resamples",
                CERTAIN_P_TOP * 100.0
            ),
        ]);
        settings.push(vec![
            "Far from the overall rank".to_string(),
            format!("at least {FAR_RANK_DISTANCE} places"),
        ]);
        self.document.table(settings);
        self.document.paragraph(
            "results.json holds every number of this report (each round's results document, as \
             prioritise rank --format json writes it, and this record); results.csv holds one \
             row per round, method, scope and item; the charts are in charts/ as SVG and PNG.",
        );
    }

    // ----- Appendix -----

    fn appendix(&mut self) {
        let rounds: Vec<(usize, &RoundData<'_>)> = self
            .rounds
            .iter()
            .filter(|(_, data)| matches!(data.responses.answers, Answers::Suggestions(_)))
            .copied()
            .collect();
        if rounds.is_empty() {
            return;
        }
        self.document
            .heading(2, "suggestions", "Appendix: the suggestions as written");
        self.document.paragraph(format!(
            "Every suggestion as it was written, by group, without respondent ids; spelling is \
             left as it was. Groups in which fewer than {} people made suggestions are shown as \
             “Other groups” (with the next smallest group when only one is that small).",
            self.input.exercise.disclosure_threshold
        ));
        let group_order: Vec<String> = self
            .input
            .exercise
            .groups
            .iter()
            .map(|group| group.id.to_string())
            .collect();
        for (index, data) in rounds {
            if self.suggestions_by_item(index, data) {
                continue;
            }
            let Answers::Suggestions(texts) = &data.responses.answers else {
                continue;
            };
            let responses = data.responses;
            let pooled = self.pooled_suggestion_groups(responses);
            let mut rows: Vec<(usize, String, usize, String)> = Vec::with_capacity(texts.len());
            for (respondent_index, respondent) in responses.respondents.iter().enumerate() {
                let group = &responses.groups[respondent.group as usize];
                let order = group_order
                    .iter()
                    .position(|id| id == group)
                    .unwrap_or(group_order.len());
                for (position, text) in responses.range(respondent_index).zip(
                    texts[responses.range(respondent_index)]
                        .iter()
                        .filter(|text| !text.trim().is_empty()),
                ) {
                    rows.push((
                        order,
                        self.suggestion_group_label(group, &pooled),
                        position,
                        one_line(text),
                    ));
                }
            }
            rows.sort_by_key(|(order, _, position, _)| (*order, *position));
            let mut table = Table::new(
                format!(
                    "The {} suggestions of {}",
                    rows.len(),
                    Self::round_name(index, data.round)
                ),
                &[("Group", Align::Left), ("Suggestion", Align::Left)],
            );
            for (_, group, _, text) in rows {
                table.push(vec![group, text]);
            }
            self.document.table(table);
        }
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

fn responses_rows(responses: &Responses) -> usize {
    match &responses.answers {
        Answers::Ranking(entries) => entries.len(),
        Answers::Rating(entries) => entries.len(),
        Answers::Pick(entries) => entries.len(),
        Answers::Pairwise(entries) => entries.len(),
        Answers::Suggestions(entries) => entries.len(),
    }
}

/// Per group of the responses, the respondents (counting multiplicities) who gave at least two
/// ratings, all the same; `None` for other kinds of answers.
fn straight_lining(responses: &Responses) -> Option<Vec<u64>> {
    let Answers::Rating(entries) = &responses.answers else {
        return None;
    };
    let mut counts = vec![0u64; responses.groups.len()];
    for (index, respondent) in responses.respondents.iter().enumerate() {
        let mut values = entries[responses.range(index)]
            .iter()
            .filter_map(|entry| entry.value);
        let Some(first) = values.next() else {
            continue;
        };
        let mut rated = 1;
        let mut same = true;
        for value in values {
            rated += 1;
            same &= value == first;
        }
        if rated >= 2 && same {
            counts[respondent.group as usize] += u64::from(respondent.count);
        }
    }
    Some(counts)
}

mod attrition;
mod delphi;
mod trail;
