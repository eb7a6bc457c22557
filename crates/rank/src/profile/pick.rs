//! Pick ballots: `PickProfile`, each ballot an unordered set of chosen items.

use super::ProfileError;
use super::records::Records;

/// Pick ballots: each an unordered set of chosen items.
#[derive(Debug, Clone)]
pub struct PickProfile {
    pub(super) records: Records,
    items: Vec<u32>,
    offsets: Vec<usize>,
}

impl PickProfile {
    /// Starts an empty profile.
    ///
    /// # Errors
    /// [`ProfileError::NoItems`], [`ProfileError::NoGroups`] or [`ProfileError::TooManyItems`].
    pub fn new(item_count: usize, group_count: usize) -> Result<Self, ProfileError> {
        Ok(PickProfile {
            records: Records::new(item_count, group_count)?,
            items: Vec::new(),
            offsets: vec![0],
        })
    }

    /// Adds one respondent's picks.
    ///
    /// # Errors
    /// Group or item out of range, a duplicate, nothing picked, or a zero multiplicity.
    pub fn push(
        &mut self,
        group: usize,
        multiplicity: u32,
        picked: &[usize],
    ) -> Result<(), ProfileError> {
        self.records.check_record(group, multiplicity)?;
        self.records.reset_if_wrapped();
        let stamp = self.records.stamp();
        let ballot = self.records.next_ballot();
        if picked.is_empty() {
            return Err(ProfileError::EmptyBallot { ballot });
        }
        for &item in picked {
            if let Err(error) = self.records.check_item(item, stamp) {
                self.records.seen_stamp.fill(0);
                return Err(error);
            }
        }
        self.items.extend(picked.iter().map(|&item| item as u32));
        self.offsets.push(self.items.len());
        self.records.push(group, multiplicity);
        Ok(())
    }

    /// The items picked by record `ballot`.
    ///
    /// # Panics
    /// If `ballot >= ballot_count()`.
    pub fn picked(&self, ballot: usize) -> impl Iterator<Item = usize> + '_ {
        self.items[self.offsets[ballot]..self.offsets[ballot + 1]]
            .iter()
            .map(|&item| item as usize)
    }
}
