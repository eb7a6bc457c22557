//! "From suggestion to priority": the audit trail of [`crate::audit`] as a section, and the
//! suggestions appendix grouped by item when a curation is given.

use survey::curation::Status;
use survey::responses::Answers;

use super::super::RoundData;
use super::super::document::{Align, Runs, Table};
use super::{Builder, OTHER_GROUPS, PooledGroups, one_line, round_pool};
use crate::audit::{AuditRow, AuditStatus, AuditTrail, GroupCount, POOLED_GROUPS};
use crate::charts::join_phrases;
use crate::numbers;

/// How many of an item's suggestions are quoted in the section.
const QUOTED_SUGGESTIONS: usize = 3;
/// Quoted suggestions are cut to this many characters.
const QUOTE_LENGTH: usize = 200;

/// Text cut to `limit` characters at a word boundary, with an ellipsis when cut.
fn shortened(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > limit / 2 => cut[..space].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

impl Builder<'_> {
    fn group_count_text(&self, groups: &[GroupCount]) -> String {
        let phrases: Vec<String> = groups
            .iter()
            .map(|group| {
                let label = if group.group == POOLED_GROUPS {
                    "other groups together".to_string()
                } else {
                    self.group_label(&group.group)
                };
                format!("{label} {}", group.count)
            })
            .collect();
        phrases.join("; ")
    }

    /// The section, when the report has a curation.
    pub(super) fn trail(&mut self) {
        let Some(trail) = self.trail.clone() else {
            return;
        };
        self.document
            .heading(2, "trail", "From suggestion to priority");
        let assigned: usize = trail.rows.iter().map(|row| row.submissions).sum();
        let items_with_suggestions = trail.rows.iter().filter(|row| row.submissions > 0).count();
        self.document.paragraph(format!(
            "The research team read every suggestion and recorded, in a curation file, the \
             item of the long list that covers it, or why it was set aside. Of the {} \
             suggestions, {assigned} {} assigned to {items_with_suggestions} {}, {} set aside \
             as out of scope, and {} not assigned. audit.csv, beside this report, lists every \
             item of the long list with its suggestions as written, the evidence checked, and \
             its score in every round, in the shape the James Lind Alliance publishes.",
            trail.suggestions,
            if assigned == 1 { "was" } else { "were" },
            if items_with_suggestions == 1 {
                "item"
            } else {
                "items"
            },
            trail.out_of_scope.total,
            trail.not_assigned
        ));
        if !trail.pooled_groups.is_empty() {
            let labels: Vec<String> = trail
                .pooled_groups
                .iter()
                .map(|group| self.group_label(group))
                .collect();
            self.document.paragraph(format!(
                "Groups in which fewer than {0} people made suggestions are not named with \
                 their counts: {1} are counted together as “other groups”. That pool must \
                 itself hold at least {0} people: when it does not, the smallest named group \
                 joins it, and so on, so that no total minus the named groups isolates fewer \
                 than {0} people.",
                trail.disclosure_threshold,
                join_phrases(&labels)
            ));
        }
        let final_round = trail.rounds.last().cloned();
        let priorities: Vec<_> = trail
            .rows
            .iter()
            .filter(|row| row.status == AuditStatus::TopPriority)
            .cloned()
            .collect();
        if let Some(round) = &final_round {
            self.document.paragraph(format!(
                "Each of the final top {} (round {}, “{}”), traced back:",
                round.top_k, round.number, round.title
            ));
        }
        for row in &priorities {
            self.document.heading(
                3,
                &format!("trail-{}", row.item),
                format!("{}. {}", row.final_rank.unwrap_or_default(), row.title),
            );
            self.priority_facts(&trail, row);
        }

        self.long_list_table(&trail);
        self.set_aside(&trail);
    }

    /// One final priority's facts: its suggestions, their words, the evidence and its places.
    fn priority_facts(&mut self, trail: &AuditTrail, row: &AuditRow) {
        let mut facts = Vec::new();
        facts.push(
            Runs::new()
                .text("Long-list item ")
                .code(row.item.clone())
                .text(if row.submissions == 0 {
                    ": no suggestion was assigned to it (the research team added it).".to_string()
                } else {
                    format!(
                        ", from {} {}: {}.",
                        row.submissions,
                        if row.submissions == 1 {
                            "suggestion"
                        } else {
                            "suggestions"
                        },
                        self.group_count_text(&row.groups)
                    )
                }),
        );
        if !row.original_submissions.is_empty() {
            let quotes: Vec<String> = row
                .original_submissions
                .iter()
                .take(QUOTED_SUGGESTIONS)
                .map(|text| format!("“{}”", shortened(text, QUOTE_LENGTH)))
                .collect();
            let more = row
                .original_submissions
                .len()
                .saturating_sub(QUOTED_SUGGESTIONS);
            facts.push(Runs::from(format!(
                "In their words: {}{}",
                quotes.join("; "),
                if more > 0 {
                    format!(" (and {more} more in audit.csv)")
                } else {
                    String::new()
                }
            )));
        }
        facts.push(Runs::from(match &row.evidence {
            Some(evidence) => format!("Evidence checked: {evidence}"),
            None => "No evidence check is recorded for it.".to_string(),
        }));
        let places: Vec<String> = trail
            .rounds
            .iter()
            .zip(&row.places)
            .map(|(round, place)| match place {
                Some(place) => format!(
                    "round {} ({}): rank {}, score {}",
                    round.number,
                    round.method,
                    place.rank,
                    numbers::score_or_dash(place.score)
                ),
                None => format!("round {}: not asked", round.number),
            })
            .collect();
        if !places.is_empty() {
            facts.push(Runs::from(format!("By round: {}.", places.join("; "))));
        }
        self.document.list(facts);
    }

    /// The long list: every item, its status and its rank in each round.
    fn long_list_table(&mut self, trail: &AuditTrail) {
        let mut columns: Vec<(String, Align)> = vec![
            ("Final rank".to_string(), Align::Right),
            ("Item".to_string(), Align::Left),
            ("Status".to_string(), Align::Left),
            ("Suggestions".to_string(), Align::Right),
        ];
        for round in &trail.rounds {
            columns.push((format!("Round {} rank", round.number), Align::Right));
        }
        let column_refs: Vec<(&str, Align)> = columns
            .iter()
            .map(|(name, align)| (name.as_str(), *align))
            .collect();
        let mut table = Table::new(
            format!(
                "The long list: {} items and where each ended up",
                trail.rows.len()
            ),
            &column_refs,
        )
        .row_header(1);
        for row in &trail.rows {
            let mut cells = vec![
                row.final_rank
                    .map(|rank| rank.to_string())
                    .unwrap_or_default(),
                row.title.clone(),
                row.status.as_str().to_string(),
                row.submissions.to_string(),
            ];
            cells.extend(row.places.iter().map(|place| {
                place.map_or_else(|| "—".to_string(), |place| place.rank.to_string())
            }));
            table.push(cells);
        }
        self.document.table(table);
    }

    /// The suggestions set aside as out of scope, by group and reason.
    fn set_aside(&mut self, trail: &AuditTrail) {
        self.document
            .heading(3, "trail-out-of-scope", "Suggestions set aside");
        if trail.out_of_scope.total == 0 {
            self.document
                .paragraph("No suggestion was set aside as out of scope.");
            return;
        }
        self.document.paragraph(format!(
            "{} {} set aside as out of scope (kept and counted, not deleted): {}.",
            trail.out_of_scope.total,
            if trail.out_of_scope.total == 1 {
                "suggestion was"
            } else {
                "suggestions were"
            },
            self.group_count_text(&trail.out_of_scope.groups)
        ));
        let mut reasons = Table::new(
            "Why suggestions were set aside",
            &[("Reason", Align::Left), ("Suggestions", Align::Right)],
        )
        .row_header(0);
        for reason in &trail.out_of_scope.reasons {
            reasons.push(vec![
                if reason.reason.is_empty() {
                    "(no reason recorded)".to_string()
                } else {
                    reason.reason.clone()
                },
                reason.count.to_string(),
            ]);
        }
        self.document.table(reasons);
    }

    /// What the curation decided, in one paragraph under a suggestion round's counts.
    pub(super) fn curation_summary(&mut self) {
        let Some(curation) = self.curation else {
            return;
        };
        let counts = curation.status_counts();
        let count = |status: Status| {
            counts
                .iter()
                .find(|(other, _)| *other == status)
                .map_or(0, |(_, count)| *count)
        };
        let items = curation.suggestions_per_item().len();
        self.document.paragraph(format!(
            "The research team curated the {} suggestions: {} were assigned to {items} items \
             of the long list, {} were set aside as out of scope, {} were proposed by the \
             program but not yet accepted, and {} were not assigned. The section “From \
             suggestion to priority” follows each final priority back to them.",
            curation.suggestions.len(),
            count(Status::Assigned),
            count(Status::OutOfScope),
            count(Status::Proposed),
            count(Status::Unassigned)
        ));
    }

    /// The label shown beside a suggestion: the group's, or "Other groups" for a small one.
    pub(super) fn suggestion_group_label(&self, group: &str, pooled: &PooledGroups) -> String {
        if pooled.contains(group) {
            OTHER_GROUPS.to_string()
        } else {
            self.group_label(group)
        }
    }

    /// The suggestions of one round grouped by the item they were assigned to, then those set
    /// aside and those not assigned (the appendix when a curation is given).
    pub(super) fn suggestions_by_item(&mut self, index: usize, data: &RoundData<'_>) -> bool {
        let Some(curation) = self.curation else {
            return false;
        };
        if !matches!(data.responses.answers, Answers::Suggestions(_)) {
            return false;
        }
        let pooled = round_pool(self.input.exercise, data);
        let exercise = self.input.exercise;
        let mut rows: Vec<(usize, String, String, String)> = Vec::new();
        for suggestion in &curation.suggestions {
            let (order, heading) = match (suggestion.status, &suggestion.item) {
                (Status::Assigned, Some(item)) => (
                    exercise
                        .items
                        .iter()
                        .position(|known| known.id.as_str() == item)
                        .unwrap_or(usize::MAX - 2),
                    exercise
                        .item(item)
                        .map_or_else(|| item.clone(), |known| known.title.clone()),
                ),
                (Status::OutOfScope, _) => (usize::MAX - 1, "(out of scope)".to_string()),
                _ => (usize::MAX, "(not assigned)".to_string()),
            };
            rows.push((
                order,
                heading,
                self.suggestion_group_label(&suggestion.group, &pooled),
                one_line(&suggestion.text),
            ));
        }
        // A stable sort keeps the curation's order within an item.
        rows.sort_by_key(|(order, ..)| *order);
        let mut table = Table::new(
            format!(
                "The {} suggestions of {}, by the item of the long list each was assigned to",
                rows.len(),
                Self::round_name(index, data.round)
            ),
            &[
                ("Item", Align::Left),
                ("Group", Align::Left),
                ("Suggestion", Align::Left),
            ],
        );
        for (_, item, group, text) in rows {
            table.push(vec![item, group, text]);
        }
        self.document.table(table);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::shortened;

    #[test]
    fn quotes_are_cut_at_a_word() {
        assert_eq!(shortened("short", 10), "short");
        assert_eq!(shortened("one two three four", 10), "one two…");
        assert_eq!(shortened("abcdefghijklmnop", 5), "abcde…");
    }
}
