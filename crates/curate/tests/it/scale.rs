//! 10,000 suggestions are proposed without a dense similarity matrix: only pairs above the
//! floor are stored, and copies of a text are clustered once.

use curate::{Curator, Settings};
use survey::Exercise;
use survey::simulate::simulate_suggestions;

#[test]
fn ten_thousand_suggestions_store_far_fewer_pairs_than_a_dense_matrix() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../surveys/childrens-social-care/exercise.toml"
    );
    let source = std::fs::read_to_string(path).expect("the example exercise exists");
    let exercise = Exercise::parse(&source, path).expect("the example exercise is valid");
    let round = exercise.round("suggest").expect("the suggest round exists");
    let simulated = simulate_suggestions(
        &exercise,
        round,
        survey::simulate::Settings {
            respondents: 5_500,
            seed: 1,
            ..Default::default()
        },
    )
    .expect("the settings are valid")
    .expect("a suggest round");
    assert!(simulated.len() >= 10_000, "{}", simulated.len());
    // As `prioritise simulate` writes them: many suggestions repeat another's words, and are
    // clustered once. (The `scale` example's `UNIQUE=1` measures 10,000 distinct texts, too
    // slow for a debug-build test.)
    let texts: Vec<&str> = simulated
        .iter()
        .take(10_000)
        .map(|suggestion| suggestion.text.as_str())
        .collect();
    let curator = Curator::new(&texts, &[], &Settings::default());
    let distinct = curator.distinct().count();
    let graph = curator.similarity_graph();
    let dense = 10_000 * 9_999 / 2;
    println!(
        "{distinct} distinct texts; {} pairs stored of {dense}",
        graph.pair_count()
    );
    assert!(distinct > 500, "{distinct}");
    assert_eq!(graph.size(), distinct);
    assert!(graph.pair_count() > 0);
    assert!(graph.pair_count() < dense / 100, "{}", graph.pair_count());
    // Every suggestion is in exactly one cluster.
    let proposal = curator.propose_from(graph);
    let members: usize = proposal
        .clusters
        .iter()
        .map(|cluster| cluster.members.len())
        .sum();
    assert_eq!(members, 10_000);
}
