use proptest::prelude::*;

use super::*;

const SUGGESTIONS: [&str; 7] = [
    "How can we reduce social worker caseloads?",
    "Social worker caseloads are too high",
    "caseloads of social workers",
    "Support for kinship carers",
    "What help do kinship carers get?",
    "Kinship carer support",
    "More youth clubs",
];

const ITEMS: [&str; 3] = [
    "Caseloads and workload. How many children and families each social worker supports.",
    "Kinship care. Children brought up by relatives and friends.",
    "Placement stability. Fewer moves between placements.",
];

#[test]
fn near_duplicates_are_grouped_and_matched_to_their_items() {
    let proposal = propose(&SUGGESTIONS, &ITEMS, &Settings::default());
    let groups: Vec<(Vec<usize>, Option<usize>)> = proposal
        .clusters
        .iter()
        .map(|cluster| {
            (
                cluster.members.clone(),
                cluster.item.as_ref().map(|matched| matched.item),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (vec![0, 1, 2], Some(0)),
            (vec![3, 4, 5], Some(1)),
            (vec![6], None)
        ]
    );
    assert_eq!(proposal.cluster_of_each(7), [0, 0, 0, 1, 1, 1, 2]);
    assert_eq!(
        proposal.item_of_each(7),
        [Some(0), Some(0), Some(0), Some(1), Some(1), Some(1), None]
    );
    for cluster in &proposal.clusters {
        if let Some(matched) = &cluster.item {
            assert!((DEFAULT_ITEM_THRESHOLD..=1.0).contains(&matched.similarity));
        }
    }
}

#[test]
fn the_nearest_items_come_best_first() {
    let curator = Curator::new(&SUGGESTIONS, &ITEMS, &Settings::default());
    let nearest = curator.nearest_items(4, 3);
    assert_eq!(nearest.len(), 3);
    assert_eq!(nearest[0].item, 1);
    assert!(nearest[0].similarity > nearest[1].similarity);
    assert!(nearest[1].similarity >= nearest[2].similarity);
    assert_eq!(curator.nearest_items(0, 1)[0].item, 0);
    assert_eq!(curator.nearest_items_to_text("kinship", 1)[0].item, 1);
    let alone = nearest_items(
        "Too many moves between placements",
        &ITEMS,
        2,
        &Settings::default(),
    );
    assert_eq!(alone.len(), 2);
    assert_eq!(alone[0].item, 2);
    assert!(curator.similarity(0, 1) > curator.similarity(0, 3));
}

#[test]
fn a_threshold_of_one_keeps_only_identical_texts_together_and_zero_joins_everything() {
    let texts = ["Neglect", "neglect!", "Poverty", "Kinship care"];
    let settings = Settings {
        threshold: 1.0,
        ..Settings::default()
    };
    let proposal = propose(&texts, &[], &settings);
    let members: Vec<Vec<usize>> = proposal
        .clusters
        .iter()
        .map(|cluster| cluster.members.clone())
        .collect();
    // f32 storage may round 1 down a little; identical texts are still at least 1 - 1e-6.
    let settings = Settings {
        threshold: 1.0 - 1e-6,
        ..Settings::default()
    };
    let rounded: Vec<Vec<usize>> = propose(&texts, &[], &settings)
        .clusters
        .iter()
        .map(|cluster| cluster.members.clone())
        .collect();
    assert_eq!(rounded, [vec![0, 1], vec![2], vec![3]]);
    assert!(members.len() >= 3);
    let settings = Settings {
        threshold: 0.0,
        ..Settings::default()
    };
    assert_eq!(propose(&texts, &[], &settings).clusters.len(), 1);
    assert!(
        propose(&[], &ITEMS, &Settings::default())
            .clusters
            .is_empty()
    );
}

/// Texts with at least one letter, in a small alphabet so that texts share features.
fn text() -> impl Strategy<Value = String> {
    "[a-eA-E][a-e ,.!?é]{0,20}"
}

proptest! {
    #[test]
    fn similarity_is_symmetric_and_in_the_unit_interval(a in text(), b in text()) {
        let features = Features::default();
        let forward = similarity(&a, &b, features);
        let backward = similarity(&b, &a, features);
        prop_assert!((0.0..=1.0).contains(&forward));
        prop_assert!((forward - backward).abs() < 1e-12);
    }

    #[test]
    fn identical_texts_have_similarity_one(a in text(), b in text()) {
        let features = Features::default();
        prop_assert!((similarity(&a, &a, features) - 1.0).abs() < 1e-12);
        let curator = Curator::new(&[a.as_str(), b.as_str(), a.as_str()], &[], &Settings::default());
        prop_assert!((curator.similarity(0, 2) - 1.0).abs() < 1e-12);
        prop_assert!((curator.similarity(0, 1) - curator.similarity(1, 0)).abs() < 1e-12);
    }

    #[test]
    fn clusters_partition_the_suggestions_and_are_deterministic(
        texts in proptest::collection::vec(text(), 0..30),
        threshold in 0.0..=1.0f64,
    ) {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let settings = Settings { threshold, ..Settings::default() };
        let proposal = propose(&texts, &ITEMS, &settings);
        let mut seen: Vec<usize> = proposal
            .clusters
            .iter()
            .flat_map(|cluster| cluster.members.iter().copied())
            .collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..texts.len()).collect::<Vec<_>>());
        for cluster in &proposal.clusters {
            prop_assert!(!cluster.members.is_empty());
            prop_assert!(cluster.members.windows(2).all(|pair| pair[0] < pair[1]));
            if let Some(matched) = &cluster.item {
                prop_assert!(matched.item < ITEMS.len());
                prop_assert!(matched.similarity >= settings.item_threshold);
                prop_assert!(matched.similarity <= 1.0);
            }
        }
        prop_assert_eq!(propose(&texts, &ITEMS, &settings), proposal);
    }

    #[test]
    fn the_graph_keeps_exactly_the_pairs_at_or_above_the_floor(
        texts in proptest::collection::vec(text(), 2..12),
    ) {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let settings = Settings::default();
        let curator = Curator::new(&texts, &[], &settings);
        let graph = curator.similarity_graph();
        let distinct: Vec<(usize, usize)> = curator.distinct().collect();
        prop_assert_eq!(distinct.iter().map(|&(_, copies)| copies).sum::<usize>(), texts.len());
        prop_assert_eq!(graph.size(), distinct.len());
        for first in 0..distinct.len() {
            for second in first + 1..distinct.len() {
                let direct = curator.similarity(distinct[first].0, distinct[second].0);
                // Fewer than COMMON_FEATURE_MIN_TEXTS texts: every feature finds candidates.
                let expected = if direct >= settings.pair_floor { direct } else { 0.0 };
                prop_assert!((graph.get(first, second) - expected).abs() < 1e-6);
            }
        }
    }
}

#[test]
fn matches_say_how_sure_they_are_and_which_words_drove_them() {
    let proposal = propose(&SUGGESTIONS, &ITEMS, &Settings::default());
    let caseloads = proposal.clusters[0].item.as_ref().expect("a match");
    assert_eq!(
        caseloads.confidence,
        Confidence::of_match(caseloads.similarity, caseloads.margin)
    );
    assert!((0.0..=caseloads.similarity).contains(&caseloads.margin));
    // The runner-up is the next item of the same cluster's ranking.
    let curator = Curator::new(&SUGGESTIONS, &ITEMS, &Settings::default());
    let ranked = curator.nearest_items(0, 3);
    assert!((ranked[0].margin - (ranked[0].similarity - ranked[1].similarity)).abs() < 1e-12);
    assert_eq!(
        caseloads.words.first().map(String::as_str),
        Some("caseloads")
    );
    assert!(caseloads.words.iter().any(|word| word == "social"));
    assert_eq!(Confidence::of(HIGH_CONFIDENCE), Confidence::High);
    assert_eq!(Confidence::of(MEDIUM_CONFIDENCE), Confidence::Medium);
    assert_eq!(Confidence::of(MEDIUM_CONFIDENCE - 0.01), Confidence::Low);
    assert_eq!(
        Confidence::of_match(HIGH_CONFIDENCE, HIGH_MARGIN),
        Confidence::High
    );
    assert_eq!(
        Confidence::of_match(1.0, MEDIUM_MARGIN.min(HIGH_MARGIN) - 0.01),
        Confidence::Low
    );
    // Words are whole words of the item, never n-grams, and each gave part of the match.
    for cluster in &proposal.clusters {
        if let Some(matched) = &cluster.item {
            let item_text = text::normalise(ITEMS[matched.item]);
            for word in &matched.words {
                assert!(
                    item_text.split(' ').any(|item_word| item_word == word),
                    "{word}"
                );
            }
        }
    }
}

#[test]
fn copies_of_a_text_are_clustered_once_and_given_back_whole() {
    let texts = [
        "Kinship carers need support",
        "kinship carers NEED support!",
        "Youth clubs",
        "Kinship carers need support",
    ];
    let curator = Curator::new(&texts, &ITEMS, &Settings::default());
    assert_eq!(curator.distinct().collect::<Vec<_>>(), [(0, 3), (2, 1)]);
    let proposal = curator.propose();
    assert_eq!(proposal.clusters[0].members, [0, 1, 3]);
    assert_eq!(proposal.clusters[1].members, [2]);
}
