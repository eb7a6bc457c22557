//! Curation and shortlisting, shared by the JSON API and the research lead's pages.
//!
//! - Curation turns a suggest round's suggestions into items: every suggestion with its group,
//!   the system's proposal (near-duplicates grouped by `curate`, each group matched to the most
//!   similar existing item), the team's decision (assigned to an item, out of scope with a
//!   reason, or not yet decided), items made from suggestions, their wording and the evidence
//!   checked, and counts per item and per group. Decisions live in the store; items live in
//!   the exercise definition, changed with `survey::edit` as a new version.
//! - Shortlisting builds a later round's items from a round's results by a rule of METHODS.md,
//!   with a preview of what goes through and why.
//!
//! - Proposals are stored with a version (`proposals`): computed once per change of the
//!   suggestions or items, merged and split by people, and named by every decision made from
//!   them, which is refused when the proposal moved for its suggestions since the person saw it.
//! - Curation at volume: search, filters and paging (`listing`), one decision for many
//!   suggestions and the second reviewer's check (`bulk`).
//!
//! The curation view is `survey::curation::CurationView`, written as JSON by the API as it is.

mod audit;
mod bulk;
mod decisions;
mod listing;
mod preview;
pub mod proposals;
mod shortlist;

pub use audit::{audit_csv, exercise_curation};
pub use bulk::{
    check_review, decide_many, decision_words, distinct, load_with_reviews, review_many,
    review_words,
};
pub use decisions::{
    DecisionRequest, DefinitionChange, ItemChangeRequest, NewItemRequest, accept, change_item,
    check_decision, check_seen_proposal, create_item, load, load_with_proposal, record,
    record_from,
};
pub use listing::{
    ConfidenceFilter, CurationPage, DEFAULT_PER_PAGE, Filters, ListQuery, Listing, ReviewFilter,
    page_of,
};
pub use preview::{AcceptPreview, accept_preview};
pub use proposals::{EditOutcome, EditRequest, edit_groups};
pub use shortlist::{ShortlistPreview, ShortlistRequest, apply, preview};
