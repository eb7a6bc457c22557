//! The exercise and each round as asked: questions, items, scales and settings.

use survey::definition::{Round, RoundKind, Scale};

use super::super::document::{Align, Runs, Table};

use super::{Builder, one_line};

impl Builder<'_> {
    pub(super) fn exercise(&mut self) {
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
        let kind = Self::kind_text(round);
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
        self.scale_labels(index, round);
        self.criteria_table(index, round);
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

    /// The kind of round, and what each person was asked to do, in one sentence.
    fn kind_text(round: &Round) -> String {
        let item_count = round.items.len();
        match &round.kind {
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
        }
    }

    /// The labels of a numeric rating scale, when it has any.
    fn scale_labels(&mut self, index: usize, round: &Round) {
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
    }

    /// The criteria of a rating round, when it has any.
    fn criteria_table(&mut self, index: usize, round: &Round) {
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
    }
}
