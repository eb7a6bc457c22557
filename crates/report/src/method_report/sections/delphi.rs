//! The Delphi section: consensus in each rating round, stability of each re-rating round
//! against the round whose answers it fed back, and the stopping rule the exercise chose.
//! The figures are [`rank::stability`]'s; this module only arranges them.

use rank::Profile;
use rank::profile::RatingProfile;
use rank::rating::DelphiClass;
use rank::stability::{
    DEFAULT_MAX_CHANGE, ItemConsensus, ItemStability, Stability, StoppingEvidence, StoppingRule,
    consensus, evaluate_stopping, stability,
};
use survey::ballots::{ScaleChoice, to_ballots};
use survey::definition::{Feedback, FeedbackBy, RoundKind, Scale};

use super::super::RoundData;
use super::super::document::{Align, Runs, Table};
use super::super::method_text::{band_text, scale_bands};
use super::{Builder, people};
use crate::numbers;

/// A rating round's ballots, with the respondent id of every record.
pub(super) struct RatedRound {
    pub profile: RatingProfile,
    pub record_ids: Vec<String>,
}

/// The round's answers as ballots, with each record's respondent id; `None` for rounds that
/// give no ballots. Record r is the r-th respondent not excluded (see `survey::ballots`).
pub(super) fn ballots_with_ids(data: &RoundData<'_>) -> Option<(Profile, Vec<String>)> {
    let scale = match &data.round.kind {
        RoundKind::Rate { scale, .. } => ScaleChoice::FromRound(scale),
        _ => ScaleChoice::Infer,
    };
    let ballots = to_ballots(data.responses, scale).ok()?;
    let mut excluded = ballots
        .excluded
        .iter()
        .map(|exclusion| exclusion.respondent.as_str())
        .peekable();
    let mut ids = Vec::with_capacity(data.responses.respondents.len());
    for respondent in &data.responses.respondents {
        if excluded.peek() == Some(&respondent.id.as_str()) {
            excluded.next();
            continue;
        }
        ids.push(respondent.id.clone());
    }
    (ids.len() == ballots.profile.multiplicities().len()).then_some((ballots.profile, ids))
}

/// Whether a round is rated on a numeric scale with one rating per item: the rounds Delphi
/// consensus applies to.
pub(super) fn is_delphi_round(kind: &RoundKind) -> bool {
    matches!(
        kind,
        RoundKind::Rate { scale: Scale::Numeric { .. }, criteria, .. } if criteria.is_empty()
    )
}

fn rated_round(data: &RoundData<'_>) -> Option<RatedRound> {
    if !is_delphi_round(&data.round.kind) {
        return None;
    }
    match ballots_with_ids(data)? {
        (Profile::Rating(profile), record_ids) => Some(RatedRound {
            profile,
            record_ids,
        }),
        _ => None,
    }
}

fn class_text(class: DelphiClass) -> &'static str {
    match class {
        DelphiClass::ConsensusIn => "consensus\u{a0}in",
        DelphiClass::ConsensusOut => "consensus\u{a0}out",
        DelphiClass::NoConsensus => "no\u{a0}consensus",
    }
}

/// The bottom and top bands of a scale, as (low, high) each.
type Bands = ((i32, i32), (i32, i32));

fn share_text(share: f64) -> String {
    if share.is_nan() {
        "—".to_string()
    } else {
        numbers::share_in_words(share)
    }
}

/// `a ≥ b` or `a < b` for the stopping sentence.
fn compare_text(share: f64, required: f64) -> String {
    let sign = if share >= required - rank::tolerance::SHARE_ABSOLUTE {
        "≥"
    } else {
        "<"
    };
    format!(
        "{} {sign} {}",
        share_text(share),
        numbers::share_in_words(required)
    )
}

impl<'r> Builder<'r> {
    fn stopping_description(&self) -> String {
        match self.input.exercise.delphi.stopping {
            StoppingRule::Rounds => "a fixed number of rounds: stop after the last rating round \
                                 defined"
                .to_string(),
            StoppingRule::Consensus { share } => format!(
                "stop when at least {} of the items have reached consensus (in or out)",
                numbers::share_in_words(share)
            ),
            StoppingRule::Stability { max_change, share } => format!(
                "stop when at least {} of the items are stable, an item being stable when the \
                 share rating it in the top band changed by less than {} percentage points \
                 since the previous rating round",
                numbers::share_in_words(share),
                (max_change * 100.0).round()
            ),
        }
    }

    /// The Delphi section, when any round with data is rated on a numeric scale.
    pub(super) fn delphi(&mut self) {
        let rounds: Vec<(usize, &'r RoundData<'r>)> = self
            .rounds
            .iter()
            .filter(|(_, data)| is_delphi_round(&data.round.kind))
            .copied()
            .collect();
        if rounds.is_empty() {
            return;
        }
        self.document
            .heading(2, "delphi", "Delphi consensus, stability and stopping");
        self.delphi_introduction(rounds[0].1);
        let rating_rounds: Vec<usize> = self
            .input
            .exercise
            .rounds
            .iter()
            .enumerate()
            .filter(|(_, round)| is_delphi_round(&round.kind))
            .map(|(index, _)| index)
            .collect();
        let mut decisions = Vec::new();
        let mut previous: Option<(usize, &'r RoundData<'r>)> = None;
        for (index, data) in rounds {
            let Some(decision) = self.delphi_round(index, data, previous, &rating_rounds) else {
                continue;
            };
            if let Some(text) = decision {
                decisions.push(format!("round {}: {text}", index + 1));
            }
            previous = Some((index, data));
        }
        if decisions.len() > 1 {
            self.document.paragraph(format!(
                "The stopping rule, round by round: {}.",
                decisions.join("; ")
            ));
        }
    }

    /// The paragraph on what consensus in and out mean (with the first round's scale's bands)
    /// and the exercise's stopping rule.
    fn delphi_introduction(&mut self, first: &RoundData<'_>) {
        let thresholds = self.input.exercise.delphi.thresholds;
        let (min, max) = match &first.round.kind {
            RoundKind::Rate {
                scale: Scale::Numeric { min, max, .. },
                ..
            } => (*min, *max),
            _ => (1, 9),
        };
        let (bottom, top) = scale_bands(min, max);
        let (bottom, top) = (band_text(bottom), band_text(top));
        self.document.paragraph(format!(
            "An item reaches consensus in when at least {} of those who rated it rate it \
             {top} and fewer than {} rate it {bottom}; \
             consensus out is the mirror image; every other item has no consensus (COMET \
             Handbook){}. Here every respondent counts once, as in the feedback a Delphi round \
             shows, whatever weighting the round's own ranking uses; “don't know” is left out. \
             The exercise's stopping rule: {}.",
            numbers::share_in_words(thresholds.agreement),
            numbers::share_in_words(thresholds.dissent),
            if thresholds.within_every_group {
                "; the class must also hold within every stakeholder group that rated the item \
                 (groups too small to be shown on their own are checked pooled, as \
                 \u{201c}other groups\u{201d}, never alone)"
            } else {
                ""
            },
            self.stopping_description()
        ));
    }

    /// One rating round's subsection: its consensus, its stability against the round it is
    /// compared with, and the stopping rule. `None` when the round could not be classified
    /// (it then is not the previous round of the next); else the stopping rule's verdict, when
    /// it could be evaluated.
    fn delphi_round(
        &mut self,
        index: usize,
        data: &'r RoundData<'r>,
        previous: Option<(usize, &'r RoundData<'r>)>,
        rating_rounds: &[usize],
    ) -> Option<Option<String>> {
        self.document.heading(
            3,
            &format!("delphi-{}", data.round.id),
            Self::round_name(index, data.round),
        );
        let Some(rated) = rated_round(data) else {
            self.document
                .paragraph("These ratings could not be turned into ballots.");
            return None;
        };
        let items = match consensus(&rated.profile, &self.input.exercise.delphi.thresholds) {
            Ok(items) => items,
            Err(error) => {
                self.document.paragraph(format!("Not classified: {error}."));
                return None;
            }
        };
        self.consensus_table(index, data, &items);
        let compared = self.compared_round(data, &rated, previous);
        let feedback = data.round.feedback;
        if let Some(feedback) = feedback {
            self.feedback_paragraph(feedback);
        }
        match &compared {
            Some((earlier_index, result)) => {
                self.stability_table(*earlier_index, index, data, result);
            }
            None if feedback.is_some() => self.document.paragraph(
                "The round it fed back has no responses in this report, so stability \
                 cannot be measured.",
            ),
            None => {}
        }
        Some(self.stopping_paragraph(index, &items, compared.as_ref(), rating_rounds))
    }

    /// The stability of a round against the one it is compared with: the one it fed back,
    /// else the previous rating round; with that round's index.
    fn compared_round(
        &self,
        data: &'r RoundData<'r>,
        rated: &RatedRound,
        previous: Option<(usize, &'r RoundData<'r>)>,
    ) -> Option<(usize, Stability)> {
        let earlier = match data.round.feedback {
            Some(feedback) => self
                .rounds
                .iter()
                .find(|(other, _)| *other == feedback.from)
                .copied(),
            None => previous,
        };
        let max_change = match self.input.exercise.delphi.stopping {
            StoppingRule::Stability { max_change, .. } => max_change,
            _ => DEFAULT_MAX_CHANGE,
        };
        earlier.and_then(|(earlier_index, earlier_data)| {
            let earlier_rated = rated_round(earlier_data)?;
            let result =
                self.stability_between(&earlier_rated, earlier_data, rated, data, max_change)?;
            Some((earlier_index, result))
        })
    }

    /// The paragraph saying what a re-rating round fed back to each respondent.
    fn feedback_paragraph(&mut self, feedback: Feedback) {
        let from_title = self
            .input
            .exercise
            .rounds
            .get(feedback.from)
            .map_or_else(String::new, |round| round.title.clone());
        self.document.paragraph(format!(
            "This is a Delphi re-rating round: beside each item, each respondent saw \
             their own rating in round {} (“{from_title}”) and how {} had rated it.",
            feedback.from + 1,
            match feedback.by {
                FeedbackBy::Overall => "everyone",
                FeedbackBy::Group => "their own stakeholder group",
            }
        ));
    }

    /// The stopping rule's verdict on a round, written as a paragraph and returned; `None`
    /// when the rule could not be evaluated.
    fn stopping_paragraph(
        &mut self,
        index: usize,
        items: &[ItemConsensus],
        compared: Option<&(usize, Stability)>,
        rating_rounds: &[usize],
    ) -> Option<String> {
        let position = rating_rounds
            .iter()
            .position(|&other| other == index)
            .map_or(1, |position| position + 1);
        let classes: Vec<DelphiClass> = items.iter().map(|item| item.class).collect();
        let decision = evaluate_stopping(
            self.input.exercise.delphi.stopping,
            &classes,
            compared.map(|(_, result)| result),
            position,
            rating_rounds.len(),
        )
        .ok()?;
        let text = stopping_text(decision.met, &decision.evidence);
        self.document.paragraph(
            Runs::new()
                .strong("Stopping rule: ")
                .text(format!("{text}.")),
        );
        Some(text)
    }

    fn consensus_table(&mut self, index: usize, data: &RoundData<'_>, items: &[ItemConsensus]) {
        let count = |class: DelphiClass| items.iter().filter(|item| item.class == class).count();
        let (inside, outside, none) = (
            count(DelphiClass::ConsensusIn),
            count(DelphiClass::ConsensusOut),
            count(DelphiClass::NoConsensus),
        );
        self.document.paragraph(format!(
            "Of the {} items, {inside} reached consensus in, {outside} consensus out, and {none} \
             no consensus.",
            items.len()
        ));
        let (bands, order) = self.bands_and_order(data);
        let (bottom, top) = bands;
        let top_header = format!("Rated {}", band_text(top));
        let bottom_header = format!("Rated {}", band_text(bottom));
        let mut table = Table::new(
            format!(
                "Delphi consensus in {}",
                Self::round_name(index, data.round)
            ),
            &[
                ("Item", Align::Left),
                ("Rated by", Align::Right),
                (top_header.as_str(), Align::Right),
                (bottom_header.as_str(), Align::Right),
                ("Median", Align::Right),
                ("Class", Align::Left),
            ],
        )
        .row_header(0);
        for item in order {
            let Some(figures) = items.get(item) else {
                continue;
            };
            table.push(vec![
                data.responses.items[item].label_or_id().to_string(),
                figures.respondents.to_string(),
                share_text(figures.top_share),
                share_text(figures.bottom_share),
                numbers::figure_or_dash(figures.median),
                class_text(figures.class).to_string(),
            ]);
        }
        self.document.table(table);
    }

    /// The round's bands, and its items (by index in its responses) in the order of the
    /// round's own ranking, any others after.
    fn bands_and_order(&self, data: &RoundData<'_>) -> (Bands, Vec<usize>) {
        let bands = match &data.round.kind {
            RoundKind::Rate {
                scale: Scale::Numeric { min, max, .. },
                ..
            } => scale_bands(*min, *max),
            _ => scale_bands(1, 9),
        };
        let items = &data.responses.items;
        let mut order: Vec<usize> = data
            .results
            .as_ref()
            .and_then(|document| document.results.first())
            .map(|entry| {
                entry
                    .ranking
                    .iter()
                    .filter_map(|row| items.iter().position(|item| item.id == row.item))
                    .collect()
            })
            .unwrap_or_default();
        for item in 0..items.len() {
            if !order.contains(&item) {
                order.push(item);
            }
        }
        (bands, order)
    }

    fn stability_between(
        &self,
        earlier: &RatedRound,
        earlier_data: &RoundData<'_>,
        later: &RatedRound,
        later_data: &RoundData<'_>,
        max_change: f64,
    ) -> Option<Stability> {
        let later_items = &later_data.responses.items;
        let shared: Vec<(usize, usize)> = earlier_data
            .responses
            .items
            .iter()
            .enumerate()
            .filter_map(|(first, item)| {
                later_items
                    .iter()
                    .position(|other| other.id == item.id)
                    .map(|second| (first, second))
            })
            .collect();
        let later_records: std::collections::HashMap<&str, usize> = later
            .record_ids
            .iter()
            .enumerate()
            .map(|(record, id)| (id.as_str(), record))
            .collect();
        let panel: Vec<(usize, usize)> = earlier
            .record_ids
            .iter()
            .enumerate()
            .filter_map(|(record, id)| later_records.get(id.as_str()).map(|&other| (record, other)))
            .collect();
        stability(
            &earlier.profile,
            &later.profile,
            &shared,
            &panel,
            &self.input.exercise.delphi.thresholds,
            max_change,
        )
        .ok()
    }

    fn stability_table(
        &mut self,
        earlier_index: usize,
        index: usize,
        data: &RoundData<'_>,
        result: &Stability,
    ) {
        let before = format!("round {}", earlier_index + 1);
        let after = format!("round {}", index + 1);
        self.document.paragraph(stability_text(&before, result));
        let ((_, top), order) = self.bands_and_order(data);
        let before_header = format!("Rated {}, {before}", band_text(top));
        let after_header = format!("Rated {}, {after}", band_text(top));
        let mut table = Table::new(
            format!(
                "Stability from {before} to {}",
                Self::round_name(index, data.round)
            ),
            &[
                ("Item", Align::Left),
                (before_header.as_str(), Align::Right),
                (after_header.as_str(), Align::Right),
                ("Change (points)", Align::Right),
                ("Stable", Align::Left),
                ("Class before → after", Align::Left),
                ("Median before → after", Align::Right),
                ("Changed their rating", Align::Right),
                ("Mean change", Align::Right),
            ],
        )
        .row_header(0);
        for item in order {
            let Some(row) = result.items.iter().find(|row| row.second_item == item) else {
                continue;
            };
            table.push(stability_row(
                data.responses.items[item].label_or_id().to_string(),
                row,
            ));
        }
        self.document.table(table);
    }
}

/// The paragraph on stability since `before`: items stable, τ-b, and the panel's changes.
fn stability_text(before: &str, result: &Stability) -> String {
    let mut text = format!(
        "Compared with {before}: {} of the {} items in both rounds {} stable (the share \
         rating them in the top band moved by less than {} percentage points).",
        result.stable_items,
        result.items.len(),
        if result.stable_items == 1 {
            "was"
        } else {
            "were"
        },
        (result.max_change * 100.0).round()
    );
    if let Some(tau) = result.kendall_tau_b {
        text.push_str(&format!(
            " Kendall's τ-b between the two rounds' orders of the items (by the share \
             rating each in the top band) is {} (1: the same order).",
            numbers::correlation_for_reading(Some(tau))
        ));
    }
    if result.panel_respondents > 0 {
        text.push_str(&format!(
            " Of the {} who answered both rounds, {} of their paired ratings changed, by \
             {} points on average.",
            people(result.panel_respondents as u64),
            share_text(if result.panel_ratings > 0 {
                result.panel_changed as f64 / result.panel_ratings as f64
            } else {
                f64::NAN
            }),
            numbers::figure_or_dash(result.panel_mean_absolute_change)
        ));
    } else {
        text.push_str(
            " No respondent id of the earlier round appears in this one, so individual \
             changes cannot be followed.",
        );
    }
    text
}

/// One item's row of the stability table.
fn stability_row(label: String, row: &ItemStability) -> Vec<String> {
    vec![
        label,
        share_text(row.first_share),
        share_text(row.second_share),
        numbers::change_in_points(row.change),
        match row.stable {
            Some(true) => "yes",
            Some(false) => "no",
            None => "—",
        }
        .to_string(),
        format!(
            "{} → {}",
            class_text(row.first_class),
            class_text(row.second_class)
        ),
        format!(
            "{} → {}",
            numbers::figure_or_dash(row.first_median),
            numbers::figure_or_dash(row.second_median)
        ),
        if row.panel.respondents == 0 {
            "—".to_string()
        } else {
            format!("{} of {}", row.panel.changed, row.panel.respondents)
        },
        numbers::figure_or_dash(row.panel.mean_absolute_change),
    ]
}

/// "met: 17 of 20 items stable (85% ≥ 80%)".
fn stopping_text(met: bool, evidence: &StoppingEvidence) -> String {
    let verdict = if met { "met" } else { "not met" };
    match *evidence {
        StoppingEvidence::Rounds { round, rounds } => {
            if met && rounds == 1 {
                format!("{verdict}: this is the only rating round defined")
            } else if met {
                format!("{verdict}: this is the last of the {rounds} rating rounds defined")
            } else {
                format!("{verdict}: this is rating round {round} of the {rounds} defined")
            }
        }
        StoppingEvidence::Consensus {
            reached,
            items,
            share,
            required,
        } => format!(
            "{verdict}: {reached} of {items} items reached consensus ({})",
            compare_text(share, required)
        ),
        StoppingEvidence::Stability {
            stable,
            items,
            share,
            required,
            max_change,
        } => format!(
            "{verdict}: {stable} of {items} items stable, changing by less than {} points ({})",
            (max_change * 100.0).round(),
            compare_text(share, required)
        ),
        StoppingEvidence::NoEarlierRound => {
            format!("{verdict}: there is no earlier rating round to measure stability against")
        }
    }
}

#[cfg(test)]
mod tests;
