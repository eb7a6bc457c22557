//! The handlers, one file per area.

pub mod curation;
pub mod curation_bulk;
pub mod exercises;
pub mod members;
pub mod respondents;
pub mod responses;
pub mod results;
pub mod schedule;
pub mod sessions;
