//! Pairwise ballots: `PairwiseProfile`, each ballot a list of (winner, loser) choices.

use super::ProfileError;
use super::records::Records;

/// Pairwise ballots: each a list of (winner, loser) choices by one respondent.
#[derive(Debug, Clone)]
pub struct PairwiseProfile {
    pub(super) records: Records,
    choices: Vec<(u32, u32)>,
    offsets: Vec<usize>,
}

impl PairwiseProfile {
    /// Starts an empty profile.
    ///
    /// # Errors
    /// [`ProfileError::NoItems`], [`ProfileError::NoGroups`] or [`ProfileError::TooManyItems`].
    pub fn new(item_count: usize, group_count: usize) -> Result<Self, ProfileError> {
        Ok(PairwiseProfile {
            records: Records::new(item_count, group_count)?,
            choices: Vec::new(),
            offsets: vec![0],
        })
    }

    /// Adds one respondent's choices as (winner, loser) pairs. The same pair may appear more
    /// than once (a respondent can be shown a pair again).
    ///
    /// # Errors
    /// Group or item out of range, an item compared with itself, no choices, or a zero
    /// multiplicity.
    pub fn push(
        &mut self,
        group: usize,
        multiplicity: u32,
        choices: &[(usize, usize)],
    ) -> Result<(), ProfileError> {
        self.records.check_record(group, multiplicity)?;
        let ballot = self.records.next_ballot();
        if choices.is_empty() {
            return Err(ProfileError::EmptyBallot { ballot });
        }
        let item_count = self.records.item_count;
        for &(winner, loser) in choices {
            for item in [winner, loser] {
                if item >= item_count {
                    return Err(ProfileError::ItemOutOfRange {
                        ballot,
                        item,
                        item_count,
                    });
                }
            }
            if winner == loser {
                return Err(ProfileError::SelfComparison {
                    ballot,
                    item: winner,
                });
            }
        }
        self.choices.extend(
            choices
                .iter()
                .map(|&(winner, loser)| (winner as u32, loser as u32)),
        );
        self.offsets.push(self.choices.len());
        self.records.push(group, multiplicity);
        Ok(())
    }

    /// The (winner, loser) choices of record `ballot`.
    ///
    /// # Panics
    /// If `ballot >= ballot_count()`.
    pub fn choices(&self, ballot: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.choices[self.offsets[ballot]..self.offsets[ballot + 1]]
            .iter()
            .map(|&(winner, loser)| (winner as usize, loser as usize))
    }
}
