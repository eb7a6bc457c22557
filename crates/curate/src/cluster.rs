//! Average-linkage agglomerative clustering with a similarity threshold.
//!
//! Average linkage (UPGMA; Sokal and Michener 1958): the similarity of two clusters is the
//! mean similarity of their members' pairs. Starting from singletons, the two most similar
//! clusters are merged, again and again, while their similarity is at least the threshold.
//! Merged similarities follow the Lance–Williams update
//! `s(A ∪ B, C) = (|A|·s(A, C) + |B|·s(B, C)) / (|A| + |B|)`.
//!
//! The merges are found by the nearest-neighbour chain algorithm (Benzécri 1982; Murtagh
//! 1983), which gives the same clusters as merging the most similar pair each time because
//! average linkage is reducible (a merged cluster is never more similar to a third cluster
//! than the closer of its parts). For the same reason a cluster whose most similar neighbour
//! is below the threshold will never merge again, and is set aside at once.
//!
//! Time O(n²) after the similarities; memory O(n²): the upper triangle of the similarity
//! matrix as `f32`, 2 n(n − 1) bytes (12.5 MB for 2,500 texts, 50 MB for 5,000). Meant for up
//! to about 5,000 texts, the suggestions of a large exercise.
//!
//! Deterministic: ties between neighbours go to the chain's previous cluster, then to the
//! smallest index, and the result is sorted.

/// Similarities between `n` things, the upper triangle of a symmetric matrix stored row by
/// row; the diagonal is not stored.
#[derive(Debug, Clone)]
pub struct SimilarityMatrix {
    size: usize,
    values: Vec<f32>,
}

impl SimilarityMatrix {
    /// A matrix of `size` things, every similarity computed by `similarity(i, j)` for i < j.
    pub fn from_fn(size: usize, mut similarity: impl FnMut(usize, usize) -> f64) -> Self {
        let mut values = Vec::with_capacity(size * size.saturating_sub(1) / 2);
        for first in 0..size {
            for second in first + 1..size {
                values.push(similarity(first, second) as f32);
            }
        }
        SimilarityMatrix { size, values }
    }

    /// A matrix from rows computed in one go: `row(i, out)` fills `out[j]` for every j > i
    /// (`out` has `size` entries, all 0 before the call).
    pub fn from_rows(size: usize, mut row: impl FnMut(usize, &mut [f64])) -> Self {
        let mut values = Vec::with_capacity(size * size.saturating_sub(1) / 2);
        let mut buffer = vec![0.0; size];
        for first in 0..size {
            buffer.iter_mut().for_each(|value| *value = 0.0);
            row(first, &mut buffer);
            values.extend(buffer[first + 1..].iter().map(|&value| value as f32));
        }
        SimilarityMatrix { size, values }
    }

    /// The number of things.
    pub fn size(&self) -> usize {
        self.size
    }

    fn index(&self, first: usize, second: usize) -> usize {
        let (low, high) = if first < second {
            (first, second)
        } else {
            (second, first)
        };
        // Rows before `low` hold (size - 1) + (size - 2) + ... + (size - low) values.
        low * (2 * self.size - low - 1) / 2 + (high - low - 1)
    }

    /// The similarity of two different things.
    pub fn get(&self, first: usize, second: usize) -> f64 {
        debug_assert_ne!(first, second);
        f64::from(self.values[self.index(first, second)])
    }

    fn set(&mut self, first: usize, second: usize, value: f64) {
        let index = self.index(first, second);
        self.values[index] = value as f32;
    }
}

/// Clusters by average linkage, merging while the most similar pair of clusters is at least
/// `threshold` similar. Returns the clusters, each with its members in increasing order, the
/// largest first (ties: by smallest member). Every index appears in exactly one cluster.
pub fn average_linkage(mut similarities: SimilarityMatrix, threshold: f64) -> Vec<Vec<usize>> {
    let size = similarities.size();
    let mut members: Vec<Vec<usize>> = (0..size).map(|index| vec![index]).collect();
    let mut active: Vec<bool> = vec![true; size];
    let mut finished: Vec<Vec<usize>> = Vec::new();
    let mut chain: Vec<usize> = Vec::new();
    let mut active_count = size;

    while active_count > 0 {
        if chain.is_empty() {
            let start = active
                .iter()
                .position(|&is_active| is_active)
                .expect("an active cluster remains");
            chain.push(start);
        }
        let current = *chain.last().expect("the chain is not empty");
        let previous = chain.len().checked_sub(2).map(|position| chain[position]);
        // The most similar active neighbour; ties go to the chain's previous cluster (so that
        // the chain ends in a pair of reciprocal nearest neighbours), then to the smallest
        // index.
        let mut best: Option<(usize, f64)> = None;
        for (other, &is_active) in active.iter().enumerate() {
            if other == current || !is_active {
                continue;
            }
            let similarity = similarities.get(current, other);
            let better = match best {
                None => true,
                Some((best_index, best_similarity)) => {
                    similarity > best_similarity
                        || (similarity == best_similarity
                            && Some(other) == previous
                            && Some(best_index) != previous)
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
                    let (keep, gone) = if current < neighbour {
                        (current, neighbour)
                    } else {
                        (neighbour, current)
                    };
                    let keep_size = members[keep].len() as f64;
                    let gone_size = members[gone].len() as f64;
                    for (other, &is_active) in active.iter().enumerate() {
                        if other == keep || other == gone || !is_active {
                            continue;
                        }
                        let merged = (keep_size * similarities.get(keep, other)
                            + gone_size * similarities.get(gone, other))
                            / (keep_size + gone_size);
                        similarities.set(keep, other, merged);
                    }
                    let gone_members = std::mem::take(&mut members[gone]);
                    members[keep].extend(gone_members);
                    active[gone] = false;
                    active_count -= 1;
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
                active_count -= 1;
                finished.push(std::mem::take(&mut members[current]));
            }
        }
    }

    for cluster in &mut finished {
        cluster.sort_unstable();
    }
    finished.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    finished
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: &[&[f64]]) -> SimilarityMatrix {
        SimilarityMatrix::from_fn(rows.len(), |first, second| rows[first][second])
    }

    #[test]
    fn the_triangle_is_indexed_row_by_row() {
        let similarities =
            SimilarityMatrix::from_fn(4, |first, second| (10 * first + second) as f64);
        assert_eq!(similarities.values, [1.0, 2.0, 3.0, 12.0, 13.0, 23.0]);
        assert_eq!(similarities.get(2, 1), 12.0);
        assert_eq!(similarities.get(3, 2), 23.0);
        let from_rows = SimilarityMatrix::from_rows(4, |first, row| {
            for (second, value) in row.iter_mut().enumerate().skip(first + 1) {
                *value = (10 * first + second) as f64;
            }
        });
        assert_eq!(from_rows.values, similarities.values);
    }

    #[test]
    fn average_linkage_by_hand() {
        // 0 and 1 are close (0.9); 2 is 0.6 from 0 and 0.4 from 1, so the cluster {0, 1} is
        // (0.6 + 0.4) / 2 = 0.5 from 2; 3 is far from everything.
        let similarities = matrix(&[
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
        assert_eq!(average_linkage(similarities, 0.09), vec![vec![0, 1, 2, 3]]);
    }

    #[test]
    fn the_nearest_pair_is_merged_first_even_when_the_chain_starts_elsewhere() {
        // The chain starts at 0, whose nearest is 1, whose nearest is 2 (0.8), whose nearest
        // is 3 (0.95). {2, 3} merge first; then {2, 3} is (0.8 + 0.1) / 2 = 0.45 from 1, below
        // 0.5, while 0 and 1 are 0.7: {0, 1} and {2, 3}.
        let similarities = matrix(&[
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
        let similarities = matrix(&[&[1.0, 0.5, 0.5], &[0.5, 1.0, 0.5], &[0.5, 0.5, 1.0]]);
        assert_eq!(average_linkage(similarities, 0.5), vec![vec![0, 1, 2]]);
        let empty = SimilarityMatrix::from_fn(0, |_, _| 0.0);
        assert!(average_linkage(empty, 0.5).is_empty());
        let one = SimilarityMatrix::from_fn(1, |_, _| 0.0);
        assert_eq!(average_linkage(one, 0.5), vec![vec![0]]);
    }
}
