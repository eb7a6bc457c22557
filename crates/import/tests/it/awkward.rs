//! Awkward parts every tool's export may have, checked for each tool at once.

use import::{Options, Tool, import};

use crate::{fixture, import_fixture};

/// Each CSV fixture with its tool, its header rows and the options that import it.
const FIXTURES: [(Tool, &str, usize, Option<&str>); 7] = [
    (Tool::SurveyMonkey, "surveymonkey_ranking.csv", 2, None),
    (Tool::SurveyMonkey, "surveymonkey_matrix.csv", 2, None),
    (Tool::GoogleForms, "google_forms_ranking.csv", 1, None),
    (Tool::Qualtrics, "qualtrics_choice_text.csv", 3, None),
    (Tool::Qualtrics, "qualtrics_numeric.csv", 3, None),
    (Tool::LimeSurvey, "limesurvey_full.csv", 1, None),
    (Tool::LimeSurvey, "limesurvey_codes.csv", 1, Some("Q1")),
];

#[test]
fn header_rows_repeated_below_the_answers_are_left_out() {
    // As when two downloads of the same survey are pasted one below the other.
    for (tool, name, header_rows, group_column) in FIXTURES {
        let options = Options {
            group_column,
            ..Options::default()
        };
        let expected = import_fixture(tool, name, options);
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let text = text.trim_start_matches('\u{feff}');
        let header: Vec<&str> = text.lines().take(header_rows).collect();
        let repeated = format!("{}\n{}\n", text.trim_end(), header.join("\n"));
        let imported = import(tool, repeated.as_bytes(), name, options)
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(imported.answers, expected.answers, "{name}");
        assert!(
            imported.notes.contains(&format!(
                "left out {header_rows} rows that repeat the header"
            )),
            "{name}: {:?}",
            imported.notes
        );
    }
}
