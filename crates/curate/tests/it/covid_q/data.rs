//! Reading the COVID-Q questions (`../shared/curation-data/covid-q`, see its SOURCES.md there)
//! and splitting them into the tuning and held-out halves of [`curate::labelled::half_of`].
//! Shared by the integration test and the `covid_q` example.

use std::collections::BTreeMap;

use curate::labelled::{Half, half_of};

/// Where the data set is, from the repository root's parent.
pub const DIRECTORY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/curation-data/covid-q"
);

/// The hand-grouped questions: text and class label of each, and each class's title.
pub struct CovidQ {
    /// (text, class label), in file order.
    pub questions: Vec<(String, String)>,
    /// Class label → title.
    pub titles: BTreeMap<String, String>,
}

fn rows(file: &str) -> Vec<csv::StringRecord> {
    let path = format!("{DIRECTORY}/{file}");
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"));
    reader
        .records()
        .map(|record| record.unwrap_or_else(|error| panic!("{path}: {error}")))
        .collect()
}

impl CovidQ {
    /// Reads `gold.csv` (id,text,label) and `labels.csv` (label,title): the fine classes,
    /// questions that ask the same thing.
    pub fn read() -> CovidQ {
        CovidQ::read_files("gold.csv", "labels.csv")
    }

    /// Reads `gold_coarse.csv` and `labels_coarse.csv`: the same questions in 16 broad
    /// categories ("which theme does this belong to").
    pub fn read_coarse() -> CovidQ {
        CovidQ::read_files("gold_coarse.csv", "labels_coarse.csv")
    }

    fn read_files(gold: &str, labels: &str) -> CovidQ {
        let questions = rows(gold)
            .into_iter()
            .map(|row| (row[1].to_string(), row[2].to_string()))
            .collect();
        let titles = rows(labels)
            .into_iter()
            .map(|row| (row[0].to_string(), row[1].to_string()))
            .collect();
        CovidQ { questions, titles }
    }

    /// The texts and class labels of one half, in file order.
    pub fn half(&self, half: Half) -> (Vec<&str>, Vec<&str>) {
        self.questions
            .iter()
            .filter(|(_, label)| half_of(label) == half)
            .map(|(text, label)| (text.as_str(), label.as_str()))
            .unzip()
    }

    /// The titles by label, borrowed.
    pub fn titles(&self) -> BTreeMap<&str, &str> {
        self.titles
            .iter()
            .map(|(label, title)| (label.as_str(), title.as_str()))
            .collect()
    }
}
