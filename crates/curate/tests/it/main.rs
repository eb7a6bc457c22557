//! Integration tests of `curate`: one binary (see CONVENTIONS.md).

mod known_duplicates;
