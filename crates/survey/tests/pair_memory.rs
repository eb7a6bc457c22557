//! The heap one choice of pair needs in a 3,000-item pairwise round, counted by dhat.
//!
//! Listing every unjudged pair took 523 MB for 3,000 items. The rule now counts candidates per
//! item, so one choice needs memory in proportion to the items and choices: here, under
//! 512 KiB, with the most choices one answer may hold. This binary holds this one test
//! because dhat's counting allocator is global to its binary and counts one profile at a time.
#![allow(missing_docs)]

use survey::Slug;
use survey::answer::PairChoice;
use survey::definition::MAX_CHOICES;
use survey::pairwise::next_pair;

#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

/// The most heap one choice may use at its peak, beyond its inputs.
const PEAK_BYTES: usize = 512 * 1024;

#[test]
fn one_choice_in_a_3000_item_round_stays_under_the_bound() {
    let owned: Vec<Slug> = (0..3000)
        .map(|index| Slug::new(&format!("item-{index:04}")).expect("a valid id"))
        .collect();
    let items: Vec<&Slug> = owned.iter().collect();
    // The most choices one answer may hold, spread over the round so that many items have
    // been seen and many pairs judged.
    let choices: Vec<PairChoice> = (0..MAX_CHOICES)
        .map(|index| PairChoice {
            winner: owned[(index * 7) % 3000].to_string(),
            loser: owned[(index * 7 + 1) % 3000].to_string(),
        })
        .collect();

    let profiler = dhat::Profiler::builder().testing().build();
    let pair = next_pair(&items, &choices, None, "respondent-1", 0);
    let stats = dhat::HeapStats::get();
    drop(profiler);
    eprintln!(
        "one choice: peak {} bytes of heap in {} allocations",
        stats.max_bytes, stats.total_blocks
    );

    let [first, second] = pair.expect("3,000 items leave unjudged pairs");
    assert_ne!(first, second);
    // Both items of the proposal were unseen: 1,000 choices touch at most 2,000 items.
    let seen = |id: &Slug| {
        choices
            .iter()
            .any(|choice| choice.winner == id.as_str() || choice.loser == id.as_str())
    };
    assert!(!seen(&first) && !seen(&second));
    assert!(
        stats.max_bytes < PEAK_BYTES,
        "one choice peaked at {} bytes of heap (bound {PEAK_BYTES})",
        stats.max_bytes
    );
    assert!(
        stats.total_blocks < 100,
        "one choice made {} allocations",
        stats.total_blocks
    );
}
