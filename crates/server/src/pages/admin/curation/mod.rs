//! The research lead's curation and shortlisting pages: the suggestions of a suggest round in
//! proposed groups, each group's decision in one form (assign, make a new item, out of scope,
//! undecided), the items with their suggestions and evidence, an item's wording and evidence,
//! and the shortlist preview with the button that makes the next round from it. Every change
//! goes through `crate::curation`, as the API's do.

mod accept;
mod decisions;
mod groups;
mod item;
mod list;
mod shortlist;

pub use accept::accept_page;
pub use decisions::{accept_post, curate, curate_post};
pub use groups::{group_page_get as group_page, group_post};
pub use item::{item, item_post};
pub use shortlist::{shortlist, shortlist_post};

/// The text with its first letter in upper case.
fn capitalise(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}
