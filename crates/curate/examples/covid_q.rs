//! Measures `curate` on the COVID-Q questions (hand-grouped into classes that ask the same
//! thing; `../shared/curation-data/covid-q`), on the tuning half and the held-out half of the
//! classes (`curate::labelled::half_of`).
//!
//! - `cargo run --release -p curate --example covid_q` prints the figures of the default
//!   settings on both halves, with the confidence bands, for the fine classes (`gold.csv`,
//!   questions that ask the same thing) and for the 16 coarse categories (`gold_coarse.csv`,
//!   matched to the category titles of `labels_coarse.csv`; halves by category label).
//! - `cargo run --release -p curate --example covid_q -- sweep` prints, for the tuning half
//!   only, one line per combination of features and thresholds: the settings were chosen
//!   from these lines, never from the held-out half.
//! - `cargo run --release -p curate --example covid_q -- before` prints the same for the
//!   settings before these measurements.
//! - `cargo run --release -p curate --example covid_q -- bands` prints, for the tuning half,
//!   every proposed match's similarity, margin, size and right members (to look at; the cut
//!   points of `curate::Confidence::of_match` are chosen by the `calibrate` example).

#[path = "../tests/it/covid_q/data.rs"]
mod data;

use curate::labelled::{Half, evaluate};
use curate::{Confidence, Features, Settings, StopWords};
use data::CovidQ;

fn main() {
    let covid_q = CovidQ::read();
    let titles = covid_q.titles();
    let mode = std::env::args().nth(1).unwrap_or_default();
    let (tuning_texts, tuning_classes) = covid_q.half(Half::Tuning);
    let quick = mode == "quick";
    if mode == "sweep" || quick {
        println!(
            "stop\tword_weight\tstem\tsublinear\tngrams\tthreshold\titem_threshold\tmember_weight\tprecision\trecall\tf1\titem_accuracy\tclusters"
        );
        let stop_lists: &[StopWords] = if quick {
            &[
                StopWords::Keep,
                StopWords::English,
                StopWords::EnglishAndBoilerplate,
                StopWords::FunctionAndBoilerplate,
            ]
        } else {
            &[
                StopWords::FunctionAndBoilerplate,
                StopWords::English,
                StopWords::Keep,
            ]
        };
        let word_weights: &[f64] = if quick {
            &[0.0, 0.3, 0.6, 1.0]
        } else {
            &[0.0, 0.3, 0.5, 0.6, 0.7, 0.85, 1.0]
        };
        let booleans: &[bool] = if quick { &[true] } else { &[false, true] };
        let ngram_sizes: &[(usize, usize)] = if quick { &[(3, 3)] } else { &[(3, 3), (3, 5)] };
        let item_thresholds: &[f64] = if quick {
            &[0.2]
        } else {
            &[0.1, 0.15, 0.2, 0.25, 0.3]
        };
        let member_weights: &[f64] = if quick { &[0.0] } else { &[0.0, 0.5] };
        for &stop_words in stop_lists {
            for &word_weight in word_weights {
                for &stem in booleans {
                    for &sublinear_tf in booleans {
                        for &(ngram_min, ngram_max) in ngram_sizes {
                            if word_weight == 1.0 && ngram_max > 3 {
                                continue;
                            }
                            let features = Features {
                                ngram_min,
                                ngram_max,
                                word_weight,
                                stem,
                                sublinear_tf,
                                stop_words,
                            };
                            for threshold in [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5] {
                                for &item_threshold in item_thresholds {
                                    for &member_weight in member_weights {
                                        let settings = Settings {
                                            threshold,
                                            item_threshold,
                                            features,
                                            member_weight,
                                            ..Settings::default()
                                        };
                                        let figures = evaluate(
                                            &tuning_texts,
                                            &tuning_classes,
                                            &titles,
                                            &settings,
                                        );
                                        println!(
                                            "{stop_words:?}\t{word_weight}\t{stem}\t{sublinear_tf}\t{ngram_min}-{ngram_max}\t{threshold}\t{item_threshold}\t{member_weight}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{}",
                                            figures.scores.precision,
                                            figures.scores.recall,
                                            figures.scores.f1,
                                            figures.item_accuracy.accuracy,
                                            figures.clusters
                                        );
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return;
    }
    if mode == "bands" {
        let settings = Settings {
            item_threshold: 0.0,
            ..Settings::default()
        };
        let figures = evaluate(&tuning_texts, &tuning_classes, &titles, &settings);
        println!("similarity\tmargin\tmembers\tright");
        for record in &figures.matches {
            println!(
                "{:.4}\t{:.4}\t{}\t{}",
                record.similarity, record.margin, record.members, record.right
            );
        }
        return;
    }
    println!(
        "classes\thalf\ttexts\tclasses\titems\tclusters\tprecision\trecall\tf1\titem_accuracy\tsingletons_unmatched\thigh\tmedium\tlow"
    );
    // `before`: the settings of the method before these measurements (character 3-grams only,
    // no stems, threshold 0.4, item threshold 0.15), for comparison.
    let settings = if mode == "before" {
        Settings {
            threshold: 0.4,
            item_threshold: 0.15,
            features: Features {
                word_weight: 0.0,
                stem: false,
                sublinear_tf: false,
                ..Features::default()
            },
            ..Settings::default()
        }
    } else {
        Settings::default()
    };
    let coarse = CovidQ::read_coarse();
    for (granularity, data) in [("fine", &covid_q), ("coarse", &coarse)] {
        let titles = data.titles();
        for (name, half) in [("tuning", Half::Tuning), ("held-out", Half::HeldOut)] {
            let (texts, classes) = data.half(half);
            let figures = evaluate(&texts, &classes, &titles, &settings);
            let band = |confidence| {
                let band = figures.band(confidence);
                format!(
                    "{:.3} ({}/{})",
                    band.precision(),
                    band.right,
                    band.suggestions
                )
            };
            println!(
                "{granularity}\t{name}\t{}\t{}\t{}\t{}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{}/{}\t{}\t{}\t{}",
                figures.texts,
                figures.classes,
                figures.items,
                figures.clusters,
                figures.scores.precision,
                figures.scores.recall,
                figures.scores.f1,
                figures.item_accuracy.accuracy,
                figures.item_accuracy.off_topic_unmatched,
                figures.item_accuracy.off_topic,
                band(Confidence::High),
                band(Confidence::Medium),
                band(Confidence::Low)
            );
        }
    }
}
