//! Exclusions and data quality: rows read, respondents left out, straight-lining.

use std::collections::HashSet;

use survey::definition::RoundKind;
use survey::responses::{Answers, Responses};

use super::super::RoundData;
use super::super::document::{Align, Runs, Table};
use crate::charts::join_phrases;
use crate::results::ResultsDocument;

use super::{Builder, respondents, round_pool};

/// How many excluded respondent ids are listed before "and N more".
const LISTED_EXCLUSIONS: usize = 20;

impl Builder<'_> {
    pub(super) fn data_quality(&mut self) {
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
        Self::answer_findings(data, &mut findings);
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
            self.exclusions(index, document);
            let suppressed = self.group_labels(&document.input.suppressed_groups);
            self.document.paragraph(if suppressed.is_empty() {
                format!(
                    "Small groups: every group with respondents had at least {} and is shown on \
                     its own.",
                    document.settings.disclosure_threshold
                )
            } else {
                format!(
                    "Small groups: {} are pooled as “other groups” (a group had fewer than {} \
                     respondents, and the pool must reach that many); they count in the overall \
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
            self.straight_lining(index, data, &straight);
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

    /// What is missing or tied in ranking and rating answers.
    fn answer_findings(data: &RoundData<'_>, findings: &mut Vec<Runs>) {
        let responses = data.responses;
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
    }

    /// The respondents excluded from a ranked round, by reason.
    fn exclusions(&mut self, index: usize, document: &ResultsDocument) {
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
    }

    fn straight_lining(&mut self, index: usize, data: &RoundData<'_>, straight: &[u64]) {
        let responses = data.responses;
        let pool = round_pool(self.input.exercise, data);
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
        // The round's own pool: the groups its results pool are counted together here too.
        let rows: Vec<(&str, u64, u64)> = responses
            .groups
            .iter()
            .zip(straight.iter().zip(&sizes))
            .map(|(group, (&count, &size))| (group.as_str(), count, size))
            .collect();
        for line in pool.lines(rows.iter().map(|&(group, _, size)| (group, size > 0))) {
            let size = pool.sum_for(&line, rows.iter().map(|&(group, _, size)| (group, size)));
            if size > 0 {
                let count =
                    pool.sum_for(&line, rows.iter().map(|&(group, count, _)| (group, count)));
                table.push(vec![
                    self.line_label(&line),
                    count.to_string(),
                    size.to_string(),
                ]);
            }
        }
        if table.rows.is_empty() {
            // Every group with people is pooled: the paragraph above gives the total.
            return;
        }
        self.document.table(table);
    }
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
