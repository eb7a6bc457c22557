//! `survey`: the domain of `prioritise`.
#![deny(missing_docs)]

pub mod definition;
pub mod slug;

pub use definition::{
    Criterion, DefinitionError, DefinitionErrors, Exercise, Group, Item, ItemOrder, Round,
    RoundKind, Scale,
};
pub use slug::Slug;
pub mod answer;
pub mod ballots;
pub mod curation;
pub mod edit;
pub mod located;
pub mod order;
pub mod pairwise;
pub mod preflib;
pub mod responses;
pub mod shortlist;
pub mod simulate;
