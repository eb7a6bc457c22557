//! The appendix: the suggestions as written.

use survey::responses::Answers;

use super::super::RoundData;
use super::super::document::{Align, Table};

use super::{Builder, one_line, round_pool};

impl Builder<'_> {
    pub(super) fn appendix(&mut self) {
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
             left as it was. Groups in which fewer than {0} people made suggestions are shown \
             as “Other groups”, pooled together; when the pool has fewer than {0} people, the \
             smallest named group joins it, and so on until it has at least {0}. So that the \
             rows of a group cannot be counted apart, no pooled group is named here.",
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
            let pooled = round_pool(self.input.exercise, data);
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
