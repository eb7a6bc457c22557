//! Chooses the cut points of `curate::Confidence::of_match` by cross-validation inside the
//! tuning half of COVID-Q (never the held-out half), pooled with simulated suggestions.
//!
//! `cargo run --release -p curate --example calibrate`
//!
//! The matches proposed (default settings) on the tuning half of COVID-Q are put in five folds
//! by a seeded hash of the class matched; the matches proposed on the simulated suggestions of
//! the example exercise (250 respondents, seeds 1 to 5) are put one seed to a fold. A rule is
//! four cut points: High when similarity ≥ `high_similarity` and margin ≥ `high_margin`,
//! Medium when similarity ≥ `medium_similarity` and margin ≥ `medium_margin` (each at most the
//! High one, so the rule is monotone), Low otherwise. A rule is acceptable on a set of matches
//! when, on the COVID-Q matches and on the simulated ones separately, High holds at least
//! [`MIN_HIGH`] suggestions with the lower end of its 95% Wilson interval at least
//! [`HIGH_TARGET`], and Medium at least [`MIN_MEDIUM`] with its lower end at least
//! [`MEDIUM_TARGET`]. Among acceptable rules the one putting most COVID-Q suggestions in High,
//! then in Medium, wins (ties: the higher cut points).
//!
//! The example prints, for each fold, the rule chosen on the other four folds and its
//! precision on the fold left out (the cross-validated estimate), then the rule chosen on all
//! five folds: that rule is the one in `curate`.

#[path = "../tests/it/covid_q/data.rs"]
#[expect(
    dead_code,
    reason = "the coarse categories are not used for calibration"
)]
mod data;

use curate::labelled::{Band, Half, MatchRecord, evaluate, half_of};
use curate::{Settings, propose};
use data::CovidQ;
use survey::Exercise;
use survey::simulate::simulate_suggestions;

/// Folds of the cross-validation.
const FOLDS: usize = 5;
/// The seed hashed before a class label to give its fold.
const FOLD_SEED: &str = "curate-fold-1:";
/// The least number of suggestions in the High band.
const MIN_HIGH: u64 = 30;
/// The least number of suggestions in the Medium band.
const MIN_MEDIUM: u64 = 30;
/// The lower end of the Wilson interval the High band must reach.
const HIGH_TARGET: f64 = 0.85;
/// The lower end of the Wilson interval the Medium band must reach.
const MEDIUM_TARGET: f64 = 0.65;

/// One match: its fold, whether from COVID-Q (else simulated), and the record.
struct Labelled {
    fold: usize,
    real: bool,
    record: MatchRecord,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rule {
    high_similarity: f64,
    high_margin: f64,
    medium_similarity: f64,
    medium_margin: f64,
}

impl Rule {
    /// 2 High, 1 Medium, 0 Low.
    fn band(&self, record: &MatchRecord) -> usize {
        if record.similarity >= self.high_similarity && record.margin >= self.high_margin {
            2
        } else if record.similarity >= self.medium_similarity && record.margin >= self.medium_margin
        {
            1
        } else {
            0
        }
    }
}

fn fold_of(label: &str) -> usize {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in FOLD_SEED.bytes().chain(label.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash % FOLDS as u64) as usize
}

/// The High, Medium and Low bands of `rule` over `records`.
fn bands<'a>(rule: &Rule, records: impl Iterator<Item = &'a MatchRecord>) -> [Band; 3] {
    let mut bands = [Band::default(); 3];
    for record in records {
        let band = &mut bands[rule.band(record)];
        band.suggestions += record.members;
        band.right += record.right;
    }
    bands
}

fn grid(from: f64, to: f64, step: f64) -> Vec<f64> {
    let count = ((to - from) / step).round() as usize;
    (0..=count)
        .map(|index| ((from + step * index as f64) * 100.0).round() / 100.0)
        .collect()
}

/// How well one band does: the lower Wilson end on COVID-Q and on the simulated matches (the
/// smaller of the two counts), and the COVID-Q suggestions in it; `None` when either set has
/// fewer than `least` suggestions in the band.
fn judge(real: &Band, simulated: &Band, least: u64) -> Option<(f64, u64)> {
    (real.suggestions >= least && simulated.suggestions >= least).then(|| {
        (
            real.wilson_lower().min(simulated.wilson_lower()),
            real.suggestions,
        )
    })
}

/// Of two (lower end, suggestions) judgements, whether `new` beats `old`: reaching `target`
/// beats not reaching it; among those reaching it, more suggestions win; among those not
/// reaching it, the higher lower end wins.
fn beats(new: (f64, u64), old: Option<(f64, u64)>, target: f64) -> bool {
    let Some(old) = old else { return true };
    match (new.0 >= target, old.0 >= target) {
        (true, false) => true,
        (false, true) => false,
        (true, true) => new.1 > old.1,
        (false, false) => new.0 > old.0,
    }
}

/// The rule chosen over the matches whose fold `keep` accepts: first the High cut points as
/// [`beats`] says with [`HIGH_TARGET`], then, below them, the Medium cut points with
/// [`MEDIUM_TARGET`]. Returns the rule and its bands on the COVID-Q matches.
fn choose(matches: &[Labelled], keep: impl Fn(usize) -> bool) -> Option<(Rule, [Band; 3])> {
    let real: Vec<&MatchRecord> = matches
        .iter()
        .filter(|labelled| labelled.real && keep(labelled.fold))
        .map(|labelled| &labelled.record)
        .collect();
    let simulated: Vec<&MatchRecord> = matches
        .iter()
        .filter(|labelled| !labelled.real && keep(labelled.fold))
        .map(|labelled| &labelled.record)
        .collect();
    let similarities = grid(0.2, 0.9, 0.05);
    let margins = grid(0.0, 0.4, 0.05);
    let judge_rule = |rule: &Rule, band: usize, least: u64| {
        judge(
            &bands(rule, real.iter().copied())[band],
            &bands(rule, simulated.iter().copied())[band],
            least,
        )
    };
    let mut high: Option<(Rule, (f64, u64))> = None;
    for &high_similarity in &similarities {
        for &high_margin in &margins {
            let rule = Rule {
                high_similarity,
                high_margin,
                medium_similarity: high_similarity,
                medium_margin: high_margin,
            };
            if let Some(judged) = judge_rule(&rule, 2, MIN_HIGH)
                && beats(judged, high.map(|(_, old)| old), HIGH_TARGET)
            {
                high = Some((rule, judged));
            }
        }
    }
    let (high, _) = high?;
    let mut medium: Option<(Rule, (f64, u64))> = None;
    for &medium_similarity in similarities.iter().filter(|&&s| s <= high.high_similarity) {
        for &medium_margin in margins.iter().filter(|&&m| m <= high.high_margin) {
            let rule = Rule {
                medium_similarity,
                medium_margin,
                ..high
            };
            if let Some(judged) = judge_rule(&rule, 1, MIN_MEDIUM)
                && beats(judged, medium.map(|(_, old)| old), MEDIUM_TARGET)
            {
                medium = Some((rule, judged));
            }
        }
    }
    let rule = medium.map_or(high, |(rule, _)| rule);
    Some((rule, bands(&rule, real.iter().copied())))
}

fn show(band: &Band) -> String {
    format!(
        "{:.3} ({}/{}, Wilson lower {:.3})",
        band.precision(),
        band.right,
        band.suggestions,
        band.wilson_lower()
    )
}

fn main() {
    let settings = Settings::default();
    let covid_q = CovidQ::read();
    let titles = covid_q.titles();
    let (texts, classes) = covid_q.half(Half::Tuning);
    let figures = evaluate(&texts, &classes, &titles, &settings);
    let mut matches: Vec<Labelled> = figures
        .matches
        .into_iter()
        .map(|record| Labelled {
            fold: fold_of(&record.item_label),
            real: true,
            record,
        })
        .collect();
    assert!(
        matches
            .iter()
            .all(|labelled| half_of(&labelled.record.item_label) == Half::Tuning),
        "only the tuning half is used"
    );

    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../surveys/childrens-social-care/exercise.toml"
    );
    let source = std::fs::read_to_string(path).expect("the example exercise exists");
    let exercise = Exercise::parse(&source, path).expect("the example exercise is valid");
    let round = exercise.round("suggest").expect("the suggest round exists");
    let items: Vec<String> = exercise
        .items
        .iter()
        .map(|item| match &item.description {
            Some(description) => format!("{}. {description}", item.title),
            None => item.title.clone(),
        })
        .collect();
    let item_texts: Vec<&str> = items.iter().map(String::as_str).collect();
    for seed in 1..=FOLDS as u64 {
        let simulated = simulate_suggestions(
            &exercise,
            round,
            survey::simulate::Settings {
                respondents: 250,
                seed,
                ..Default::default()
            },
        )
        .expect("the settings are valid")
        .expect("a suggest round");
        let texts: Vec<&str> = simulated.iter().map(|s| s.text.as_str()).collect();
        let proposal = propose(&texts, &item_texts, &settings);
        for cluster in &proposal.clusters {
            if let Some(matched) = &cluster.item {
                let right = cluster
                    .members
                    .iter()
                    .filter(|&&member| simulated[member].topic == Some(matched.item))
                    .count() as u64;
                matches.push(Labelled {
                    fold: (seed - 1) as usize,
                    real: false,
                    record: MatchRecord {
                        item_label: format!("item-{}", matched.item),
                        similarity: matched.similarity,
                        margin: matched.margin,
                        members: cluster.members.len() as u64,
                        right,
                    },
                });
            }
        }
    }

    println!(
        "fold\trule (high sim, high margin, medium sim, medium margin)\tleft-out high\tleft-out medium\tleft-out low"
    );
    let mut pooled = [Band::default(); 3];
    for fold in 0..FOLDS {
        let Some((rule, _)) = choose(&matches, |other| other != fold) else {
            println!("{fold}\tno acceptable rule");
            continue;
        };
        let left_out = bands(
            &rule,
            matches
                .iter()
                .filter(|labelled| labelled.real && labelled.fold == fold)
                .map(|labelled| &labelled.record),
        );
        for (sum, band) in pooled.iter_mut().zip(left_out) {
            sum.suggestions += band.suggestions;
            sum.right += band.right;
        }
        println!(
            "{fold}\t{rule:?}\t{}\t{}\t{}",
            show(&left_out[2]),
            show(&left_out[1]),
            show(&left_out[0])
        );
    }
    println!(
        "cross-validated (COVID-Q tuning half, left-out folds pooled): high {}, medium {}, low {}",
        show(&pooled[2]),
        show(&pooled[1]),
        show(&pooled[0])
    );
    match choose(&matches, |_| true) {
        Some((rule, on_real)) => println!(
            "chosen on all folds: {rule:?}; COVID-Q tuning half: high {}, medium {}, low {}; simulated: high {}, medium {}",
            show(&on_real[2]),
            show(&on_real[1]),
            show(&on_real[0]),
            show(&bands(&rule, matches.iter().filter(|m| !m.real).map(|m| &m.record))[2]),
            show(&bands(&rule, matches.iter().filter(|m| !m.real).map(|m| &m.record))[1]),
        ),
        None => println!("no acceptable rule on all folds"),
    }
}
