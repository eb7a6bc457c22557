//! The method and weighting of each ranked round in plain English, with their formulas.

use rank::analysis::FAR_RANK_DISTANCE;
use rank::{Method, Weighting};
use survey::definition::{RoundKind, Scale};
use survey::responses::Answers;

use super::super::RoundData;
use super::super::document::Runs;
use super::super::method_text::{
    BOOTSTRAP_FORMULA, KENDALL_W_FORMULA, MethodContext, TAU_B_FORMULA, explain_method,
    explain_weighting, scale_bands,
};
use crate::charts::join_phrases;
use crate::results::ResultsDocument;

use super::{Builder, CERTAIN_P_TOP, disclosure_rule};

impl Builder<'_> {
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
            pairwise: matches!(responses.answers, Answers::Pairwise(_)),
        }
    }

    pub(super) fn method(&mut self) {
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
        let (method, weighting) = (entry.method, entry.weighting);
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
        self.weighting_text(data, method, weighting, &context);
        self.document
            .paragraph(Runs::new().strong("Each group on its own: ").text(
                "each shown group's own ranking uses the same method with every member counted \
             once.",
            ));

        self.ties_and_missing(data, document);
        let suppressed = self.group_labels(&document.input.suppressed_groups);
        self.document
            .paragraph(Runs::new().strong("Small groups: ").text(format!(
                "{} {}",
                disclosure_rule(document.settings.disclosure_threshold),
                if suppressed.is_empty() {
                    "No group was that small in this round.".to_string()
                } else {
                    format!(
                        "Pooled as “other groups” in this round: {}.",
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
        self.methods_compared(document, &context);
    }

    /// The round's weighting in plain English, with its formula.
    fn weighting_text(
        &mut self,
        data: &RoundData<'_>,
        method: Method,
        weighting: Weighting,
        context: &MethodContext,
    ) {
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
        let explained = explain_weighting(weighting, method, context, &group_weights);
        self.document.paragraph(
            Runs::new()
                .strong("Weighting: ")
                .code(weighting.as_str())
                .text(format!(" ({weighting_source}). {}", explained.text)),
        );
        self.document.code(explained.formula);
    }

    /// How ties and missing answers are treated, for the round's kind of answers.
    fn ties_and_missing(&mut self, data: &RoundData<'_>, document: &ResultsDocument) {
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
    }

    /// The other methods run for comparison, each in plain English with its formula.
    fn methods_compared(&mut self, document: &ResultsDocument, context: &MethodContext) {
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
                let method = other.method;
                let explained = explain_method(method, context);
                self.document.paragraph(
                    Runs::new()
                        .code(method.as_str())
                        .text(format!(": {}", explained.text)),
                );
                self.document.code(explained.formula);
            }
        }
    }
}
