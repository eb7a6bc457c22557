//! Real Qualtrics exports from public repositories (../shared/real-exports/qualtrics, see
//! SOURCES.md there).

use import::{Options, Tool, import, list, read_table};

/// The path of a real export.
fn real(name: &str) -> String {
    format!(
        "{}/../../../shared/real-exports/qualtrics/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

const UCB: &str = "UCB Main Survey_June 19, 2019_15.47.csv";
const SAMPLE: &str = "Sample_Survey (Insights).csv";

#[test]
fn dump() {
    for name in [UCB, SAMPLE] {
        let bytes = std::fs::read(real(name)).unwrap();
        let table = read_table(Tool::Qualtrics, &bytes, name).unwrap();
        let listing = list(
            &table,
            Options {
                group_column: Some("gender"),
                ..Options::default()
            },
        )
        .or_else(|_| list(&table, Options::default()))
        .unwrap();
        println!(
            "{name}: {} responses, {} incomplete, notes {:?}",
            listing.responses, listing.incomplete, listing.notes
        );
        for q in &listing.questions {
            println!(
                "  {:?} {} [{}] answered {} group {} :: {:?}",
                q.kind,
                q.text.chars().take(90).collect::<String>(),
                q.options.len(),
                q.answered,
                q.is_group,
                q.options.iter().take(4).collect::<Vec<_>>()
            );
        }
        let table = import::qualtrics::read_table_keeping_tests(&bytes, name).unwrap();
        let listing = list(&table, Options::default()).unwrap();
        println!("KEEPING {name}: {} responses", listing.responses);
        for q in &listing.questions {
            println!(
                "  {:?} {} [{}] answered {} :: {:?}",
                q.kind,
                q.text.chars().take(90).collect::<String>(),
                q.options.len(),
                q.answered,
                q.options.iter().take(4).collect::<Vec<_>>()
            );
        }
        let _ = import;
    }
}
