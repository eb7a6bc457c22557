//! Compact storage while reading: the answers of each kind in one vector, runs of a
//! respondent's rows, and the interning of text ids.

use std::hash::Hasher;
use std::ops::Range;

use hashbrown::HashTable;
use rustc_hash::{FxHashMap, FxHasher};

use super::{Answers, Choice, RankEntry, RatingEntry, ResponseKind};

/// The answers read so far, in file order, compactly: one typed vector per kind.
#[derive(Debug)]
pub(super) enum Store {
    Ranking(Vec<RankEntry>),
    Rating(Vec<RatingEntry>),
    Pick(Vec<u32>),
    Pairwise(Vec<Choice>),
    Suggestions(Vec<String>),
}

impl Store {
    /// An empty store for answers of `kind`.
    pub(super) fn new(kind: ResponseKind) -> Store {
        match kind {
            ResponseKind::Ranking => Store::Ranking(Vec::new()),
            ResponseKind::Rating => Store::Rating(Vec::new()),
            ResponseKind::Pick => Store::Pick(Vec::new()),
            ResponseKind::Pairwise => Store::Pairwise(Vec::new()),
            ResponseKind::Suggestions => Store::Suggestions(Vec::new()),
        }
    }

    /// The number of answers stored.
    pub(super) fn len(&self) -> usize {
        match self {
            Store::Ranking(entries) => entries.len(),
            Store::Rating(entries) => entries.len(),
            Store::Pick(entries) => entries.len(),
            Store::Pairwise(entries) => entries.len(),
            Store::Suggestions(entries) => entries.len(),
        }
    }

    /// Reorders the answers so that the ranges `order` lists come one after the other.
    pub(super) fn gather(&mut self, order: &[Range<usize>]) {
        fn gather_vec<T: Clone>(entries: &mut Vec<T>, order: &[Range<usize>]) {
            let mut gathered = Vec::with_capacity(entries.len());
            for range in order {
                gathered.extend_from_slice(&entries[range.clone()]);
            }
            *entries = gathered;
        }
        match self {
            Store::Ranking(entries) => gather_vec(entries, order),
            Store::Rating(entries) => gather_vec(entries, order),
            Store::Pick(entries) => gather_vec(entries, order),
            Store::Pairwise(entries) => gather_vec(entries, order),
            Store::Suggestions(entries) => gather_vec(entries, order),
        }
    }

    /// The stored answers as [`Answers`].
    pub(super) fn into_answers(self) -> Answers {
        match self {
            Store::Ranking(entries) => Answers::Ranking(entries),
            Store::Rating(entries) => Answers::Rating(entries),
            Store::Pick(entries) => Answers::Pick(entries),
            Store::Pairwise(entries) => Answers::Pairwise(entries),
            Store::Suggestions(entries) => Answers::Suggestions(entries),
        }
    }
}

/// A run of consecutive rows of one respondent.
#[derive(Debug, Clone, Copy)]
pub(super) struct Block {
    /// The respondent whose rows these are.
    pub(super) respondent: u32,
    /// Where the run starts in the store.
    pub(super) start: usize,
}

/// An interning table from text ids to indices, in order of first appearance. Lookups take
/// bytes, so that a row's cells need no UTF-8 check when they name a known id. Ids of up to 15
/// bytes (almost all of them) are keyed by their bytes packed into one integer, so a lookup
/// touches no string; longer ids go through a table of indices into the stored names.
#[derive(Default)]
pub(super) struct Interner {
    short: FxHashMap<u128, u32>,
    long: HashTable<u32>,
    /// The ids, by index.
    pub(super) names: Vec<String>,
}

/// The bytes of a short id and its length, packed into one integer; `None` when longer than
/// 15 bytes.
fn pack(bytes: &[u8]) -> Option<u128> {
    if bytes.len() > 15 {
        return None;
    }
    let mut buffer = [0u8; 16];
    buffer[..bytes.len()].copy_from_slice(bytes);
    buffer[15] = bytes.len() as u8;
    Some(u128::from_le_bytes(buffer))
}

/// The hash of an id's bytes, for ids too long to pack.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

impl Interner {
    /// The index of a known id.
    pub(super) fn get(&self, name: &[u8]) -> Option<u32> {
        match pack(name) {
            Some(key) => self.short.get(&key).copied(),
            None => self
                .long
                .find(hash_bytes(name), |&index| {
                    self.names[index as usize].as_bytes() == name
                })
                .copied(),
        }
    }

    /// The index of an id, added when new.
    pub(super) fn intern(&mut self, name: &str) -> u32 {
        if let Some(index) = self.get(name.as_bytes()) {
            return index;
        }
        let index = self.names.len() as u32;
        self.names.push(name.to_string());
        match pack(name.as_bytes()) {
            Some(key) => {
                self.short.insert(key, index);
            }
            None => {
                let names = &self.names;
                self.long
                    .insert_unique(hash_bytes(name.as_bytes()), index, |&existing| {
                        hash_bytes(names[existing as usize].as_bytes())
                    });
            }
        }
        index
    }
}
