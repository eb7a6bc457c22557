//! The checks of a definition: [`Checker`] turns the raw file into an [`Exercise`], naming the
//! line and field of every problem. Rounds, rating rounds' parts and the Delphi settings are
//! checked in the submodules.

mod delphi;
mod rate;
mod round;

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::raw::{RawExercise, RawGroup, RawItem, RawRound};
use super::{
    DEFAULT_DISCLOSURE_THRESHOLD, DefinitionError, Delphi, Exercise, Group, Item, MAX_ITEMS, Round,
    line_of,
};
use crate::located::Place;
use crate::slug::Slug;

/// The checks of a definition, collecting every problem rather than stopping at the first.
pub(super) struct Checker<'a> {
    /// The definition's text, to turn spans into lines.
    pub(super) source: &'a str,
    /// The file name for messages.
    pub(super) path: &'a str,
    /// The problems found so far.
    pub(super) errors: Vec<DefinitionError>,
}

impl Checker<'_> {
    /// Records a problem at `span`, in `context` when given.
    fn error(&mut self, span: Range<usize>, context: Option<&str>, message: String) {
        self.errors.push(DefinitionError {
            source_name: self.path.to_string(),
            line: Some(line_of(self.source, span.start) as u64),
            context: context.map(|part| Place::Part(part.to_string())),
            message,
        });
    }

    /// An id, checked as a slug.
    fn slug(&mut self, value: &Spanned<String>, context: Option<&str>, field: &str) -> Slug {
        match Slug::new(value.get_ref()) {
            Ok(slug) => slug,
            Err(problem) => {
                self.error(value.span(), context, format!("`{field}`: {problem}"));
                Slug::unchecked_stand_in(value.get_ref())
            }
        }
    }

    /// A text that may not be empty, trimmed.
    fn text(&mut self, value: &Spanned<String>, context: Option<&str>, field: &str) -> String {
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.error(value.span(), context, format!("`{field}` cannot be empty"));
        }
        text.to_string()
    }

    /// A whole number of at least `minimum`.
    fn count(
        &mut self,
        value: &Spanned<i64>,
        context: Option<&str>,
        field: &str,
        minimum: i64,
    ) -> u32 {
        let number = *value.get_ref();
        if number < minimum || number > i64::from(u32::MAX) {
            self.error(
                value.span(),
                context,
                format!("`{field}` is {number} but must be at least {minimum}"),
            );
            return minimum.max(0) as u32;
        }
        number as u32
    }

    /// Checks the whole exercise: its own fields, its groups, items, rounds and Delphi
    /// settings.
    pub(super) fn exercise(&mut self, raw: RawExercise) -> Exercise {
        let id = self.slug(&raw.id, None, "id");
        let title = self.text(&raw.title, None, "title");
        let description = match &raw.description {
            Some(description) => description.get_ref().trim().to_string(),
            None => String::new(),
        };
        let disclosure_threshold = match &raw.disclosure_threshold {
            Some(value) => self.count(value, None, "disclosure_threshold", 1),
            None => DEFAULT_DISCLOSURE_THRESHOLD,
        };

        let groups = self.groups(&raw.groups);
        if groups.is_empty() {
            self.error(
                raw.id.span(),
                None,
                "no stakeholder groups: add at least one `[[groups]]` table".to_string(),
            );
        }
        let (items, item_index) = self.items(&raw.items);
        let rounds = self.rounds(&raw.rounds, &items, &item_index, &groups);
        if rounds.is_empty() {
            self.error(
                raw.id.span(),
                None,
                "no rounds: add at least one `[[rounds]]` table".to_string(),
            );
        }

        let delphi = match &raw.delphi {
            Some(delphi) => self.delphi(delphi.get_ref()),
            None => Delphi::default(),
        };

        Exercise {
            id,
            title,
            description,
            invite_only: raw.invite_only.unwrap_or(false),
            disclosure_threshold,
            groups,
            items,
            rounds,
            delphi,
        }
    }

    /// Checks the stakeholder groups: ids, labels, and no id twice.
    fn groups(&mut self, raw_groups: &[Spanned<RawGroup>]) -> Vec<Group> {
        let mut groups = Vec::new();
        let mut group_lines: HashMap<String, usize> = HashMap::new();
        for raw_group in raw_groups {
            let raw_group = raw_group.get_ref();
            let context = format!("group `{}`", raw_group.id.get_ref());
            let group_id = self.slug(&raw_group.id, Some(&context), "id");
            let label = self.text(&raw_group.label, Some(&context), "label");
            let line = line_of(self.source, raw_group.id.span().start);
            if let Some(first) = group_lines.insert(group_id.to_string(), line) {
                self.error(
                    raw_group.id.span(),
                    Some(&context),
                    format!("`id` repeats the group defined at line {first}"),
                );
            }
            groups.push(Group {
                id: group_id,
                label,
                description: clean_optional(raw_group.description.as_deref()),
            });
        }
        groups
    }

    /// Checks the items: at most [`MAX_ITEMS`], ids, titles, no id twice, and evidence for an
    /// answered item. Returns the items and the index of each id's first item.
    fn items(&mut self, raw_items: &[Spanned<RawItem>]) -> (Vec<Item>, HashMap<String, usize>) {
        if let Some(first_too_many) = raw_items.get(MAX_ITEMS) {
            self.error(
                first_too_many.span(),
                None,
                format!(
                    "`[[items]]`: the exercise defines {} items but may define at most {MAX_ITEMS}",
                    raw_items.len()
                ),
            );
        }
        let mut items = Vec::new();
        let mut item_index: HashMap<String, usize> = HashMap::new();
        let mut item_lines: HashMap<String, usize> = HashMap::new();
        for raw_item in raw_items {
            let raw_item = raw_item.get_ref();
            let context = format!("item `{}`", raw_item.id.get_ref());
            let item_id = self.slug(&raw_item.id, Some(&context), "id");
            let title = self.text(&raw_item.title, Some(&context), "title");
            let line = line_of(self.source, raw_item.id.span().start);
            if let Some(first) = item_lines.insert(item_id.to_string(), line) {
                self.error(
                    raw_item.id.span(),
                    Some(&context),
                    format!("`id` repeats the item defined at line {first}"),
                );
            } else {
                item_index.insert(item_id.to_string(), items.len());
            }
            let evidence = clean_optional(raw_item.evidence.as_deref());
            let answered = raw_item
                .answered
                .as_ref()
                .is_some_and(|answered| *answered.get_ref());
            if let Some(flag) = &raw_item.answered
                && *flag.get_ref()
                && evidence.is_none()
            {
                self.error(
                    flag.span(),
                    Some(&context),
                    "`answered` is true but `evidence` is missing: give the reference that answers it"
                        .to_string(),
                );
            }
            items.push(Item {
                id: item_id,
                title,
                description: clean_optional(raw_item.description.as_deref()),
                theme: clean_optional(raw_item.theme.as_deref()),
                evidence,
                answered,
            });
        }
        (items, item_index)
    }

    /// Checks the rounds in order, each against the rounds before it; no id twice.
    fn rounds(
        &mut self,
        raw_rounds: &[Spanned<RawRound>],
        items: &[Item],
        item_index: &HashMap<String, usize>,
        groups: &[Group],
    ) -> Vec<Round> {
        let mut rounds = Vec::new();
        let mut round_lines: HashMap<String, usize> = HashMap::new();
        for raw_round in raw_rounds {
            let raw_round = raw_round.get_ref();
            let line = line_of(self.source, raw_round.id.span().start);
            if let Some(first) = round_lines.insert(raw_round.id.get_ref().clone(), line) {
                self.error(
                    raw_round.id.span(),
                    Some(&format!("round `{}`", raw_round.id.get_ref())),
                    format!("`id` repeats the round defined at line {first}"),
                );
            }
            if let Some(round) = self.round(raw_round, items, item_index, groups, &rounds) {
                rounds.push(round);
            }
        }
        rounds
    }
}

/// A text trimmed, or `None` when absent or blank.
fn clean_optional(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}
