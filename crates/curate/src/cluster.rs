//! Average-linkage agglomerative clustering over a sparse similarity graph, with a threshold.
//!
//! Average linkage (UPGMA; Sokal and Michener 1958): the similarity of two clusters is the
//! mean similarity of their members' pairs. Starting from singletons, the two most similar
//! clusters are merged, again and again, while their similarity is at least the threshold.
//!
//! The similarities are a sparse graph ([`SimilarityGraph`]): only the pairs that were found
//! similar enough to keep are stored, and **a pair that is not stored counts as similarity 0**.
//! Each cluster keeps, for each cluster it has a stored pair with, the sum of its pairs'
//! similarities, so that the average is `sum / (|A|·|B|)`; merging A and B adds their sums
//! (the Lance–Williams update of average linkage, written with sums).
//!
//! The merges are found by the nearest-neighbour chain algorithm (Benzécri 1982; Murtagh
//! 1983), which gives the same clusters as merging the most similar pair each time because
//! average linkage is reducible (a merged cluster is never more similar to a third cluster
//! than the closer of its parts). For the same reason a cluster whose most similar neighbour
//! is below the threshold will never merge again, and is set aside at once.
//!
//! Time O(E·d) for E stored pairs and d the largest number of neighbours a cluster has, memory
//! O(n + E): nothing grows with n² unless every pair is stored.
//!
//! Deterministic: ties between neighbours go to the chain's previous cluster, then to the
//! smallest index, and the result is sorted.

use rustc_hash::FxHashMap;

/// Similarities between `n` things, as a list of stored pairs; a pair not stored has
/// similarity 0.
#[derive(Debug, Clone, Default)]
pub struct SimilarityGraph {
    size: usize,
    /// (first, second, similarity) with first < second, in increasing order of (first, second).
    pairs: Vec<(u32, u32, f32)>,
}

impl SimilarityGraph {
    /// A graph of `size` things with no pair stored.
    ///
    /// # Panics
    /// When `size` does not fit in a `u32`.
    pub fn new(size: usize) -> Self {
        assert!(u32::try_from(size).is_ok(), "at most u32::MAX things");
        SimilarityGraph {
            size,
            pairs: Vec::new(),
        }
    }

    /// A graph of `size` things from `similarity(i, j)` for every i < j, keeping the pairs at
    /// least `floor` similar (and above 0). O(n²) time: for tests and small inputs.
    pub fn from_fn(
        size: usize,
        floor: f64,
        mut similarity: impl FnMut(usize, usize) -> f64,
    ) -> Self {
        let mut graph = SimilarityGraph::new(size);
        for first in 0..size {
            for second in first + 1..size {
                graph.push(first, second, similarity(first, second), floor);
            }
        }
        graph
    }

    /// Stores the pair (`first`, `second`) when `similarity` is at least `floor` and above 0.
    /// Pairs must come in increasing order of (first, second), with first < second.
    ///
    /// # Panics
    /// When the order is broken or an index is not below the size.
    pub fn push(&mut self, first: usize, second: usize, similarity: f64, floor: f64) {
        assert!(
            first < second && second < self.size,
            "pair ({first}, {second}) of {}",
            self.size
        );
        let pair = (first as u32, second as u32);
        if let Some(&(last_first, last_second, _)) = self.pairs.last() {
            assert!(
                (last_first, last_second) < pair,
                "pairs in increasing order"
            );
        }
        if similarity >= floor && similarity > 0.0 {
            self.pairs.push((pair.0, pair.1, similarity as f32));
        }
    }

    /// The number of things.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The number of pairs stored.
    pub fn pair_count(&self) -> usize {
        self.pairs.len()
    }

    /// The stored similarity of two different things, 0 when the pair is not stored.
    /// O(log E).
    pub fn get(&self, first: usize, second: usize) -> f64 {
        let (low, high) = (first.min(second) as u32, first.max(second) as u32);
        self.pairs
            .binary_search_by(|&(a, b, _)| (a, b).cmp(&(low, high)))
            .map_or(0.0, |position| f64::from(self.pairs[position].2))
    }
}

/// Clusters by average linkage, merging while the most similar pair of clusters is at least
/// `threshold` similar (pairs not stored in the graph count as 0). A threshold of 0 or less
/// joins everything into one cluster. Returns the clusters, each with its members in
/// increasing order, the largest first (ties: by smallest member). Every index appears in
/// exactly one cluster.
pub fn average_linkage(graph: SimilarityGraph, threshold: f64) -> Vec<Vec<usize>> {
    let weights = vec![1; graph.size()];
    average_linkage_weighted(graph, &weights, threshold)
        .into_iter()
        .map(|(members, _)| members)
        .collect()
}

/// [`average_linkage`] of things that each stand for `weights[i]` identical copies (a copy is
/// similarity 1 to its twins, so average linkage would join the copies first whatever the
/// threshold up to 1): a cluster's size is the sum of its weights, and a pair's similarity
/// counts `weights[i] · weights[j]` times. Returns each cluster with its size.
///
/// # Panics
/// When `weights` is not one per thing, or a weight is 0.
pub fn average_linkage_weighted(
    graph: SimilarityGraph,
    weights: &[usize],
    threshold: f64,
) -> Vec<(Vec<usize>, usize)> {
    let size = graph.size();
    assert_eq!(weights.len(), size, "one weight per thing");
    assert!(weights.iter().all(|&weight| weight > 0), "weights above 0");
    if size == 0 {
        return Vec::new();
    }
    if threshold <= 0.0 {
        return vec![((0..size).collect(), weights.iter().sum())];
    }
    // For each cluster, the sums of similarities to the active clusters it has pairs with.
    let mut neighbours: Vec<FxHashMap<u32, f64>> = vec![FxHashMap::default(); size];
    for &(first, second, similarity) in &graph.pairs {
        let sum =
            f64::from(similarity) * (weights[first as usize] * weights[second as usize]) as f64;
        neighbours[first as usize].insert(second, sum);
        neighbours[second as usize].insert(first, sum);
    }
    drop(graph);
    let mut members: Vec<Vec<usize>> = (0..size).map(|index| vec![index]).collect();
    let mut sizes: Vec<usize> = weights.to_vec();
    let mut active: Vec<bool> = vec![true; size];
    let mut finished: Vec<(Vec<usize>, usize)> = Vec::new();
    let mut chain: Vec<usize> = Vec::new();
    let mut next_start = 0;

    loop {
        if chain.is_empty() {
            while next_start < size && !active[next_start] {
                next_start += 1;
            }
            if next_start == size {
                break;
            }
            chain.push(next_start);
        }
        let current = *chain.last().expect("the chain is not empty");
        let previous = chain.len().checked_sub(2).map(|position| chain[position]);
        let current_size = sizes[current] as f64;
        // The most similar neighbour; ties go to the chain's previous cluster (so that the
        // chain ends in a pair of reciprocal nearest neighbours), then to the smallest index.
        let mut best: Option<(usize, f64)> = None;
        for (&other, &sum) in &neighbours[current] {
            let other = other as usize;
            let similarity = sum / (current_size * sizes[other] as f64);
            let better = match best {
                None => true,
                Some((best_index, best_similarity)) => {
                    similarity > best_similarity
                        || (similarity == best_similarity
                            && Some(best_index) != previous
                            && (Some(other) == previous || other < best_index))
                }
            };
            if better {
                best = Some((other, similarity));
            }
        }
        match best {
            Some((neighbour, similarity)) if similarity >= threshold => {
                if Some(neighbour) == previous {
                    // Reciprocal nearest neighbours: merge them into the smaller index.
                    chain.pop();
                    chain.pop();
                    let (keep, gone) = (current.min(neighbour), current.max(neighbour));
                    let gone_neighbours = std::mem::take(&mut neighbours[gone]);
                    neighbours[keep].remove(&(gone as u32));
                    for (other, sum) in gone_neighbours {
                        if other as usize == keep {
                            continue;
                        }
                        *neighbours[keep].entry(other).or_insert(0.0) += sum;
                        let theirs = &mut neighbours[other as usize];
                        theirs.remove(&(gone as u32));
                        *theirs.entry(keep as u32).or_insert(0.0) += sum;
                    }
                    let gone_members = std::mem::take(&mut members[gone]);
                    members[keep].extend(gone_members);
                    sizes[keep] += sizes[gone];
                    active[gone] = false;
                } else {
                    chain.push(neighbour);
                }
            }
            _ => {
                // Nothing is similar enough to `current`, and merges elsewhere only average
                // similarities, so it never will be: it is a final cluster. It is the chain's
                // only member, since its predecessor would be at least as similar to it.
                chain.pop();
                active[current] = false;
                for (other, _) in std::mem::take(&mut neighbours[current]) {
                    neighbours[other as usize].remove(&(current as u32));
                }
                finished.push((std::mem::take(&mut members[current]), sizes[current]));
            }
        }
    }

    for (cluster, _) in &mut finished {
        cluster.sort_unstable();
    }
    finished.sort_by(|a, b| b.1.cmp(&a.1).then(a.0[0].cmp(&b.0[0])));
    finished
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(rows: &[&[f64]]) -> SimilarityGraph {
        SimilarityGraph::from_fn(rows.len(), 0.0, |first, second| rows[first][second])
    }

    #[test]
    fn pairs_below_the_floor_or_at_zero_are_not_stored() {
        let similarities = SimilarityGraph::from_fn(4, 0.15, |first, second| {
            (10 * first + second) as f64 / 100.0
        });
        // 0.01, 0.02, 0.03, 0.12, 0.13 are below the floor; 0.23 is kept.
        assert_eq!(similarities.pair_count(), 1);
        assert!((similarities.get(3, 2) - 0.23).abs() < 1e-6);
        assert_eq!(similarities.get(0, 1), 0.0);
        let zeros = SimilarityGraph::from_fn(3, 0.0, |_, _| 0.0);
        assert_eq!(zeros.pair_count(), 0);
    }

    #[test]
    #[should_panic(expected = "increasing order")]
    fn pairs_come_in_order() {
        let mut similarities = SimilarityGraph::new(3);
        similarities.push(1, 2, 0.5, 0.0);
        similarities.push(0, 1, 0.5, 0.0);
    }

    #[test]
    fn average_linkage_by_hand() {
        // 0 and 1 are close (0.9); 2 is 0.6 from 0 and 0.4 from 1, so the cluster {0, 1} is
        // (0.6 + 0.4) / 2 = 0.5 from 2; 3 is far from everything.
        let similarities = graph(&[
            &[1.0, 0.9, 0.6, 0.1],
            &[0.9, 1.0, 0.4, 0.0],
            &[0.6, 0.4, 1.0, 0.2],
            &[0.1, 0.0, 0.2, 1.0],
        ]);
        assert_eq!(
            average_linkage(similarities.clone(), 0.5),
            vec![vec![0, 1, 2], vec![3]]
        );
        // At 0.55, single linkage would join 2 (0.6 to 0), average linkage does not.
        assert_eq!(
            average_linkage(similarities.clone(), 0.55),
            vec![vec![0, 1], vec![2], vec![3]]
        );
        assert_eq!(
            average_linkage(similarities.clone(), 0.95),
            vec![vec![0], vec![1], vec![2], vec![3]]
        );
        // With {0, 1, 2} made at 0.5, 3 is (0.1 + 0 + 0.2) / 3 = 0.1 from it.
        assert_eq!(average_linkage(similarities.clone(), 0.11).len(), 2);
        assert_eq!(
            average_linkage(similarities.clone(), 0.09),
            vec![vec![0, 1, 2, 3]]
        );
        assert_eq!(average_linkage(similarities, 0.0), vec![vec![0, 1, 2, 3]]);
    }

    #[test]
    fn pairs_left_out_count_as_zero() {
        // The same as above with a floor of 0.15: the 0.1 pair (0, 3) is not stored, so 3 is
        // (0 + 0 + 0.2) / 3 ≈ 0.067 from {0, 1, 2} (0.1 with the pair stored).
        let rows: [&[f64]; 4] = [
            &[1.0, 0.9, 0.6, 0.1],
            &[0.9, 1.0, 0.4, 0.0],
            &[0.6, 0.4, 1.0, 0.2],
            &[0.1, 0.0, 0.2, 1.0],
        ];
        let sparse = SimilarityGraph::from_fn(4, 0.15, |first, second| rows[first][second]);
        assert_eq!(sparse.pair_count(), 4);
        assert_eq!(average_linkage(sparse.clone(), 0.065).len(), 1);
        assert_eq!(average_linkage(sparse, 0.07).len(), 2);
    }

    #[test]
    fn the_nearest_pair_is_merged_first_even_when_the_chain_starts_elsewhere() {
        // The chain starts at 0, whose nearest is 1, whose nearest is 2 (0.8), whose nearest
        // is 3 (0.95). {2, 3} merge first; then {2, 3} is (0.8 + 0.1) / 2 = 0.45 from 1, below
        // 0.5, while 0 and 1 are 0.7: {0, 1} and {2, 3}.
        let similarities = graph(&[
            &[1.0, 0.7, 0.0, 0.0],
            &[0.7, 1.0, 0.8, 0.1],
            &[0.0, 0.8, 1.0, 0.95],
            &[0.0, 0.1, 0.95, 1.0],
        ]);
        assert_eq!(
            average_linkage(similarities, 0.5),
            vec![vec![0, 1], vec![2, 3]]
        );
    }

    #[test]
    fn ties_are_broken_the_same_way_every_time() {
        let similarities = graph(&[&[1.0, 0.5, 0.5], &[0.5, 1.0, 0.5], &[0.5, 0.5, 1.0]]);
        assert_eq!(average_linkage(similarities, 0.5), vec![vec![0, 1, 2]]);
        assert!(average_linkage(SimilarityGraph::new(0), 0.5).is_empty());
        assert_eq!(average_linkage(SimilarityGraph::new(1), 0.5), vec![vec![0]]);
    }

    #[test]
    fn weights_stand_for_identical_copies() {
        // Thing 0 is three copies of one text: {0, 1} average (3 · 0.5) / 3 = 0.5 and
        // {0, 2} (3 · 0.2) / 3 = 0.2; expanded, the same as clustering the five texts.
        let weighted = graph(&[&[1.0, 0.5, 0.2], &[0.5, 1.0, 0.0], &[0.2, 0.0, 1.0]]);
        assert_eq!(
            average_linkage_weighted(weighted, &[3, 1, 1], 0.5),
            vec![(vec![0, 1], 4), (vec![2], 1)]
        );
        let rows: [&[f64]; 5] = [
            &[1.0, 1.0, 1.0, 0.5, 0.2],
            &[1.0, 1.0, 1.0, 0.5, 0.2],
            &[1.0, 1.0, 1.0, 0.5, 0.2],
            &[0.5, 0.5, 0.5, 1.0, 0.0],
            &[0.2, 0.2, 0.2, 0.0, 1.0],
        ];
        assert_eq!(
            average_linkage(graph(&rows), 0.5),
            vec![vec![0, 1, 2, 3], vec![4]]
        );
    }
}
