//! The end of a read: each respondent's rows brought together, each respondent's answer
//! checked as a whole, and the [`Responses`] built.

use std::ops::Range;

use super::super::store::{Block, Store};
use super::super::{
    Against, ItemInfo, Respondent, ResponseKind, ResponseProblem, Responses, ResponsesError, Shown,
};
use super::Reader;
use crate::definition::RoundKind;
use crate::located::Place;

impl Reader<'_> {
    /// Brings each respondent's rows together, checks each respondent's answer as a whole and
    /// returns the flat answer store; or every problem found, the bad rows read before and the
    /// respondents' answers that break a rule as a whole.
    pub(super) fn finish(self) -> Result<Responses, ResponsesError> {
        let Reader {
            source_name,
            against,
            kind,
            groups,
            items,
            criteria,
            respondents,
            respondent_groups,
            mut store,
            mut lines,
            blocks,
            mut problems,
            columns,
            mut shown,
            ..
        } = self;
        let respondent_count = respondents.names.len();
        let offsets = gather_respondents(&blocks, &mut store, &mut lines, respondent_count);

        let mut report = |line: u32, column: Option<&str>, message: String| {
            problems.push(ResponseProblem {
                source_name: source_name.to_string(),
                line: Some(u64::from(line)),
                context: column.map(|column| Place::Column(column.to_string())),
                message,
            });
        };
        let mut checker = AnswerChecker::new(items.names.len(), criteria.names.len().max(1));
        for respondent in 0..respondent_count {
            let range = offsets[respondent]..offsets[respondent + 1];
            checker.check(
                &mut store,
                range,
                &lines,
                &respondents.names[respondent],
                kind,
                against,
                &items.names,
                &criteria.names,
                &mut report,
            );
        }
        drop(lines);
        if let Some(error) = problems.into_error() {
            return Err(error);
        }

        let item_infos = item_infos(against, items.names);
        let respondents = respondents
            .names
            .into_iter()
            .zip(respondent_groups)
            .map(|(id, group)| Respondent {
                id,
                group,
                count: 1,
            })
            .collect();
        let responses = Responses::from_parts(
            groups.names,
            item_infos,
            criteria.names,
            respondents,
            offsets,
            store.into_answers(),
        );
        if columns.shown_order.is_some() {
            shown.resize(respondent_count, Shown::NotRecorded);
            Ok(responses.with_shown(shown))
        } else {
            Ok(responses)
        }
    }
}

/// Puts each respondent's answers (and their lines) one after the other, keeping file order
/// within each respondent, and returns the offsets of each respondent's answers.
fn gather_respondents(
    blocks: &[Block],
    store: &mut Store,
    lines: &mut Vec<u32>,
    respondent_count: usize,
) -> Vec<usize> {
    let total = store.len();
    let block_end = |index: usize| blocks.get(index + 1).map_or(total, |next| next.start);
    let mut offsets = Vec::with_capacity(respondent_count + 1);
    offsets.push(0);
    if blocks.len() == respondent_count {
        // The usual case: each respondent's rows are consecutive, in order of first
        // appearance, so the blocks are the respondents.
        for index in 0..blocks.len() {
            offsets.push(block_end(index));
        }
    } else {
        // Some respondent's rows are spread over the file: gather them, keeping file
        // order within each respondent.
        let mut order: Vec<usize> = (0..blocks.len()).collect();
        order.sort_by_key(|&index| blocks[index].respondent);
        let ranges: Vec<Range<usize>> = order
            .iter()
            .map(|&index| blocks[index].start..block_end(index))
            .collect();
        store.gather(&ranges);
        let mut gathered_lines = Vec::with_capacity(lines.len());
        for range in &ranges {
            gathered_lines.extend_from_slice(&lines[range.clone()]);
        }
        *lines = gathered_lines;
        let mut end = 0;
        let mut position = 0;
        for respondent in 0..respondent_count as u32 {
            while position < order.len() && blocks[order[position]].respondent == respondent {
                end += ranges[position].len();
                position += 1;
            }
            offsets.push(end);
        }
    }
    offsets
}

/// The items of the responses: the round's, with their titles, against an exercise; otherwise
/// the ids read, in order of first appearance.
fn item_infos(against: Option<Against<'_>>, item_names: Vec<String>) -> Vec<ItemInfo> {
    // The interners were seeded with the exercise's groups, the round's items and its
    // criteria, so indices already follow the definition's order.
    match against {
        Some(against) => against
            .exercise
            .round_items(against.round)
            .map(|item| ItemInfo {
                id: item.id.to_string(),
                label: Some(item.title.clone()),
            })
            .collect(),
        None => item_names
            .into_iter()
            .map(|id| ItemInfo { id, label: None })
            .collect(),
    }
}

/// Checks one respondent's answer as a whole, reusing its scratch space between respondents.
struct AnswerChecker {
    /// For each (item, criterion) key: the respondent stamp when it was last seen and its line.
    seen: Vec<(u32, u32)>,
    criterion_count: usize,
    stamp: u32,
}

impl AnswerChecker {
    /// A checker for answers over `item_count` items and `criterion_count` criteria.
    fn new(item_count: usize, criterion_count: usize) -> AnswerChecker {
        AnswerChecker {
            seen: vec![(0, 0); item_count * criterion_count],
            criterion_count,
            stamp: 0,
        }
    }

    /// Checks that no item appears twice and that the answer stays within the round's limits,
    /// reporting each problem; puts ranking answers in rank order.
    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        store: &mut Store,
        range: Range<usize>,
        lines: &[u32],
        respondent: &str,
        kind: ResponseKind,
        against: Option<Against<'_>>,
        items: &[String],
        criteria: &[String],
        report: &mut impl FnMut(u32, Option<&str>, String),
    ) {
        self.stamp += 1;
        let stamp = self.stamp;
        let keys: Box<dyn Iterator<Item = (usize, u32, Option<u32>, &str)> + '_> = match &*store {
            Store::Ranking(entries) => Box::new(
                entries[range.clone()]
                    .iter()
                    .enumerate()
                    .map(|(offset, entry)| (offset, entry.item, None, "ranks")),
            ),
            Store::Rating(entries) => Box::new(
                entries[range.clone()]
                    .iter()
                    .enumerate()
                    .map(|(offset, entry)| (offset, entry.item, entry.criterion, "rates")),
            ),
            Store::Pick(entries) => Box::new(
                entries[range.clone()]
                    .iter()
                    .enumerate()
                    .map(|(offset, &item)| (offset, item, None, "picks")),
            ),
            Store::Pairwise(_) | Store::Suggestions(_) => Box::new(std::iter::empty()),
        };
        for (offset, item, criterion, verb) in keys {
            let line = lines[range.start + offset];
            let key = item as usize * self.criterion_count + criterion.unwrap_or(0) as usize;
            let (seen_stamp, first) = self.seen[key];
            if seen_stamp == stamp {
                let criterion = criterion
                    .map(|criterion| format!(" on criterion `{}`", criteria[criterion as usize]))
                    .unwrap_or_default();
                report(
                    line,
                    Some("item"),
                    format!(
                        "respondent `{respondent}` {verb} item `{}`{criterion} twice (first at line {first})",
                        items[item as usize]
                    ),
                );
                continue;
            }
            self.seen[key] = (stamp, line);
        }

        let count = range.len();
        let last_line = lines[range.clone()].iter().copied().max().unwrap_or(0);
        if let Some(against) = against {
            let round = &against.round.id;
            // The words of the message; the limit itself is the round's.
            let (verb, noun) = match against.round.kind {
                RoundKind::Rank { .. } => ("ranks", "ranked"),
                RoundKind::Pick { .. } => ("picks", "picked"),
                RoundKind::Suggest { .. } => ("makes", "suggestions"),
                RoundKind::Pairwise { .. } => ("makes", "choices"),
                RoundKind::Rate { .. } => ("rates", "ratings"),
            };
            let limit = against.round.answer_limits().most_entries;
            if let Some(limit) = limit
                && count > limit
            {
                let what = match kind {
                    ResponseKind::Ranking | ResponseKind::Pick => format!("{count} items"),
                    _ => format!("{count} {noun}"),
                };
                let allowed = match kind {
                    ResponseKind::Ranking => format!("round `{round}` asks for the top {limit}"),
                    ResponseKind::Pick => format!("round `{round}` allows at most {limit} {noun}"),
                    _ => format!("round `{round}` allows at most {limit}"),
                };
                report(
                    last_line,
                    None,
                    format!("respondent `{respondent}` {verb} {what}, but {allowed}"),
                );
            }
        }
        if let Store::Ranking(entries) = store {
            // Stable, so tied items keep file order.
            entries[range].sort_by_key(|entry| entry.rank);
        }
    }
}
