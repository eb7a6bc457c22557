//! Integration tests of `curate`: one binary (see CONVENTIONS.md).

mod covid_q;
mod known_duplicates;
mod scale;
