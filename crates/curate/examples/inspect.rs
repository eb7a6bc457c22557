//! Prints the proposal for one seed of the simulated suggestions, cluster by cluster, with each
//! suggestion's true topic: `cargo run -p curate --example inspect -- SEED`.

use curate::{Settings, propose};
use survey::Exercise;
use survey::simulate::simulate_suggestions;

fn main() {
    let seed: u64 = std::env::args()
        .nth(1)
        .and_then(|text| text.parse().ok())
        .unwrap_or(1);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../surveys/childrens-social-care/exercise.toml"
    );
    let source = std::fs::read_to_string(path).expect("the example exercise exists");
    let exercise = Exercise::parse(&source, path).expect("the example exercise is valid");
    let round = exercise.round("suggest").expect("the suggest round exists");
    let settings = survey::simulate::Settings {
        respondents: 250,
        seed,
        ..Default::default()
    };
    let simulated = simulate_suggestions(&exercise, round, settings)
        .expect("the settings are valid")
        .expect("a suggest round");
    let items: Vec<String> = exercise
        .items
        .iter()
        .map(|item| match &item.description {
            Some(description) => format!("{}. {description}", item.title),
            None => item.title.clone(),
        })
        .collect();
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    let texts: Vec<&str> = simulated.iter().map(|s| s.text.as_str()).collect();
    let proposal = propose(&texts, &items, &Settings::default());
    for (number, cluster) in proposal.clusters.iter().enumerate() {
        let item = cluster
            .item
            .as_ref()
            .map_or("(new item)".to_string(), |matched| {
                format!(
                    "{} ({:.2})",
                    exercise.items[matched.item].id, matched.similarity
                )
            });
        println!(
            "cluster {number}: {} suggestions -> {item}",
            cluster.members.len()
        );
        for &member in &cluster.members {
            let topic = simulated[member]
                .topic
                .map_or("off-topic", |topic| exercise.items[topic].id.as_str());
            println!("    [{topic}] {}", simulated[member].text);
        }
    }
}
