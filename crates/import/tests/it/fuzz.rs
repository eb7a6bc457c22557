//! No input makes an importer panic.

use import::{Options, Tool, import};
use proptest::prelude::*;

const TOOLS: [Tool; 2] = [Tool::SurveyMonkey, Tool::GoogleForms];

/// Cells that look like what the tools write, so that fuzzing reaches the mapping code.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("Respondent ID".to_string()),
        Just("Timestamp".to_string()),
        Just("Which group are you in?".to_string()),
        Just("Response".to_string()),
        Just("Other (please specify)".to_string()),
        Just("Rank [A]".to_string()),
        Just("Rank [B]".to_string()),
        Just("N/A".to_string()),
        Just("1st".to_string()),
        Just("Very important".to_string()),
        "[0-9]{1,3}",
        "[ -~\n\"]{0,12}",
    ]
}

fn csv_ish() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::collection::vec(cell(), 0..7), 0..7).prop_map(|rows| {
        rows.iter()
            .map(|row| {
                row.iter()
                    .map(|cell| format!("\"{}\"", cell.replace('"', "\"\"")))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect::<Vec<_>>()
            .join("\n")
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        for tool in TOOLS {
            if let Ok(imported) = import(tool, &bytes, "fuzz.csv", Options::default()) {
                imported.write(Vec::new()).unwrap();
            }
        }
    }

    #[test]
    fn csv_ish_text_never_panics_and_what_imports_reads_back(text in csv_ish()) {
        let exercise = crate::exercise();
        for tool in TOOLS {
            for options in [
                Options::default(),
                Options { exercise: Some(&exercise), ..Options::default() },
                Options { group_column: Some("rank"), question: Some("rank"), ..Options::default() },
            ] {
                if let Ok(imported) = import(tool, text.as_bytes(), "fuzz.csv", options)
                    && !imported.answers.is_empty()
                {
                    let written = imported.write(Vec::new()).unwrap();
                    prop_assert!(
                        survey::responses::read_responses(written.as_slice(), "x.csv", None).is_ok(),
                        "{}", String::from_utf8_lossy(&written)
                    );
                }
            }
        }
    }
}
