//! Reproducibility: the files with their checksums, the settings and the command.

use rank::analysis::FAR_RANK_DISTANCE;

use super::super::document::{Align, Runs, Table};

use super::{Builder, CERTAIN_P_TOP};

impl Builder<'_> {
    pub(super) fn reproducibility(&mut self) {
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

        self.settings_table();
        self.document.paragraph(
            "results.json holds every number of this report (each round's results document, as \
             prioritise rank --format json writes it, and this record); results.csv holds one \
             row per round, method, scope and item; the charts are in charts/ as SVG and PNG.",
        );
    }

    /// The settings and thresholds every number of the report depends on.
    fn settings_table(&mut self) {
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
    }
}
