//! The checks of one round: its kind and the keys that belong to it, its items, the kind's
//! parameters, its method and its group weighting.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use rank::{Method, Weighting};

use super::{Checker, clean_optional};
use crate::definition::raw::{RawRound, RawTopK};
use crate::definition::{
    DEFAULT_MAX_SUGGESTION_LENGTH, DEFAULT_MAX_SUGGESTIONS, Group, Item, ItemOrder, Round,
    RoundKind, Scale,
};

/// Which keys belong to which round kind, for the message when a key is given to the wrong kind.
const KIND_KEYS: &[(&str, &[&str])] = &[
    ("suggest", &["max_suggestions", "max_length"]),
    (
        "rate",
        &[
            "scale",
            "allow_dont_know",
            "criteria",
            "feedback_from",
            "feedback_by",
        ],
    ),
    ("rank", &["top_k"]),
    ("pick", &["max_picks"]),
    ("pairwise", &["max_choices"]),
];

impl Checker<'_> {
    /// Checks one round against the exercise's items and groups and the rounds before it;
    /// `None` when its kind is unknown.
    pub(super) fn round(
        &mut self,
        raw: &RawRound,
        items: &[Item],
        item_index: &HashMap<String, usize>,
        groups: &[Group],
        earlier: &[Round],
    ) -> Option<Round> {
        let context = format!("round `{}`", raw.id.get_ref());
        let context = Some(context.as_str());
        let id = self.slug(&raw.id, context, "id");
        let kind_name = raw.kind.get_ref().as_str();
        if !KIND_KEYS.iter().any(|(kind, _)| *kind == kind_name) {
            self.error(
                raw.kind.span(),
                context,
                format!(
                    "`kind` is `{kind_name}` but must be one of: suggest, rate, rank, pick, pairwise"
                ),
            );
            return None;
        }
        self.keys_fit_kind(raw, kind_name, context);

        let title = match &raw.title {
            Some(title) => self.text(title, context, "title"),
            None => raw.id.get_ref().clone(),
        };
        let question = raw
            .question
            .as_ref()
            .and_then(|question| clean_optional(Some(question.get_ref())));

        let round_items = self.round_items(raw, kind_name, items, item_index, context);
        let item_count = round_items.len();
        let items_span = raw
            .items
            .as_ref()
            .map(|listed| listed.span())
            .unwrap_or_else(|| raw.kind.span());
        // During curation an exercise may have no items, or too few, yet: rounds after a
        // suggest round that ask about every item ask about the items the research team makes
        // from the suggestions. `Round::ready` says whether such a round can open.
        let awaiting_curation = raw.items.is_none()
            && earlier
                .iter()
                .any(|round| matches!(round.kind, RoundKind::Suggest { .. }));
        if kind_name != "suggest" && item_count < 2 && !awaiting_curation {
            self.error(
                items_span,
                context,
                format!("a {kind_name} round needs at least 2 items but has {item_count}"),
            );
        }

        let kind = self.round_kind(raw, kind_name, item_count, awaiting_curation, context);
        let method = self.method(raw, &kind, context);
        let (weighting, group_weights) = self.weighting(raw, groups, context);

        let feedback = self.feedback(raw, &kind, earlier, context);
        let order = self.order(raw, kind_name, context);

        Some(Round {
            id,
            title,
            question,
            kind,
            items: round_items,
            method,
            weighting,
            group_weights,
            feedback,
            order,
        })
    }

    /// The order the round shows its items in: `random` (the default) or `fixed`, which needs
    /// `order_reason`; a suggest round shows no items, so neither key applies to it.
    fn order(&mut self, raw: &RawRound, kind_name: &str, context: Option<&str>) -> ItemOrder {
        if kind_name == "suggest" {
            for (key, value) in [("order", &raw.order), ("order_reason", &raw.order_reason)] {
                if let Some(value) = value {
                    self.error(
                        value.span(),
                        context,
                        format!("`{key}` does not apply to a suggest round: it shows no items"),
                    );
                }
            }
            return ItemOrder::Random;
        }
        let reason = raw
            .order_reason
            .as_ref()
            .map(|reason| (reason.span(), reason.get_ref().trim().to_string()));
        match raw
            .order
            .as_ref()
            .map(|order| (order.span(), order.get_ref().as_str()))
        {
            None | Some((_, "random")) => {
                if let Some((span, _)) = reason {
                    self.error(
                        span,
                        context,
                        "`order_reason` applies only with `order = \"fixed\"`".to_string(),
                    );
                }
                ItemOrder::Random
            }
            Some((span, "fixed")) => match reason {
                Some((_, reason)) if !reason.is_empty() => ItemOrder::Fixed { reason },
                Some((reason_span, _)) => {
                    self.error(
                        reason_span,
                        context,
                        "`order_reason` cannot be empty: say why everyone sees the same order"
                            .to_string(),
                    );
                    ItemOrder::Fixed {
                        reason: String::new(),
                    }
                }
                None => {
                    self.error(
                        span,
                        context,
                        "`order` is `fixed` but `order_reason` is missing: say why everyone should see the items in the same order (a random order per respondent is the default because the order items are shown in can change the answers)".to_string(),
                    );
                    ItemOrder::Fixed {
                        reason: String::new(),
                    }
                }
            },
            Some((span, other)) => {
                self.error(
                    span,
                    context,
                    format!("`order` is `{other}` but must be `random` or `fixed`"),
                );
                ItemOrder::Random
            }
        }
    }

    /// The round's items: a subset in a stated order, or every item of the exercise not
    /// answered by evidence; none for a suggest round.
    fn round_items(
        &mut self,
        raw: &RawRound,
        kind_name: &str,
        items: &[Item],
        item_index: &HashMap<String, usize>,
        context: Option<&str>,
    ) -> Vec<usize> {
        let mut round_items = Vec::new();
        if kind_name == "suggest" {
            if let Some(listed) = &raw.items {
                self.error(
                    listed.span(),
                    context,
                    "`items` does not apply to a suggest round: suggestions are free text"
                        .to_string(),
                );
            }
        } else if let Some(listed) = &raw.items {
            let mut seen = HashSet::new();
            for entry in listed.get_ref() {
                match item_index.get(entry.get_ref().as_str()) {
                    Some(&index) if items[index].answered => self.error(
                        entry.span(),
                        context,
                        format!(
                            "`items` names `{}`, which is marked answered by existing evidence",
                            entry.get_ref()
                        ),
                    ),
                    Some(&index) => {
                        if seen.insert(index) {
                            round_items.push(index);
                        } else {
                            self.error(
                                entry.span(),
                                context,
                                format!("`items` lists `{}` twice", entry.get_ref()),
                            );
                        }
                    }
                    None => self.error(
                        entry.span(),
                        context,
                        format!("`items` names `{}`, which is not an item", entry.get_ref()),
                    ),
                }
            }
        } else {
            round_items = (0..items.len())
                .filter(|&index| !items[index].answered)
                .collect();
        }
        round_items
    }

    /// The round's kind with its parameters, checked against the round's item count.
    fn round_kind(
        &mut self,
        raw: &RawRound,
        kind_name: &str,
        item_count: usize,
        awaiting_curation: bool,
        context: Option<&str>,
    ) -> RoundKind {
        match kind_name {
            "suggest" => RoundKind::Suggest {
                max_suggestions: match &raw.max_suggestions {
                    Some(value) => self.count(value, context, "max_suggestions", 1),
                    None => DEFAULT_MAX_SUGGESTIONS,
                },
                max_length: match &raw.max_length {
                    Some(value) => self.count(value, context, "max_length", 1),
                    None => DEFAULT_MAX_SUGGESTION_LENGTH,
                },
            },
            "rate" => self.rate_kind(raw, context),
            "rank" => self.rank_kind(raw, item_count, awaiting_curation, context),
            "pick" => self.pick_kind(raw, item_count, awaiting_curation, context),
            _ => RoundKind::Pairwise {
                max_choices: raw
                    .max_choices
                    .as_ref()
                    .map(|value| self.count(value, context, "max_choices", 1)),
            },
        }
    }

    /// A rate round: its criteria, or else its scale, and whether "don't know" is allowed.
    fn rate_kind(&mut self, raw: &RawRound, context: Option<&str>) -> RoundKind {
        let criteria = self.criteria(raw, context);
        let scale = match (&raw.scale, criteria.is_empty()) {
            (Some(scale), true) => self.scale(scale, context),
            (Some(scale), false) => {
                self.error(
                    scale.span(),
                    context,
                    "`scale` does not apply when `criteria` are given: criteria are answered yes, undecided or no".to_string(),
                );
                Scale::YesUndecidedNo
            }
            (None, true) => {
                self.error(
                    raw.kind.span(),
                    context,
                    "a rate round needs a `scale` (for example `scale = { min = 1, max = 9 }`) or `criteria`".to_string(),
                );
                Scale::YesUndecidedNo
            }
            (None, false) => Scale::YesUndecidedNo,
        };
        RoundKind::Rate {
            scale,
            allow_dont_know: raw
                .allow_dont_know
                .as_ref()
                .map(|value| *value.get_ref())
                .unwrap_or(true),
            criteria,
        }
    }

    /// A rank round: `top_k`, a number no larger than the item count, or "all".
    fn rank_kind(
        &mut self,
        raw: &RawRound,
        item_count: usize,
        awaiting_curation: bool,
        context: Option<&str>,
    ) -> RoundKind {
        let top_k = match &raw.top_k {
            None => item_count as u32,
            Some(value) => match value.get_ref() {
                RawTopK::Word(word) if word == "all" => item_count as u32,
                RawTopK::Word(word) => {
                    self.error(
                        value.span(),
                        context,
                        format!("`top_k` is `{word}` but must be a whole number or \"all\""),
                    );
                    item_count as u32
                }
                RawTopK::Number(number) => {
                    let number = *number;
                    if number < 1 {
                        self.error(
                            value.span(),
                            context,
                            format!("`top_k` is {number} but must be at least 1"),
                        );
                        item_count as u32
                    } else if number as usize > item_count && !awaiting_curation {
                        self.error(
                            value.span(),
                            context,
                            format!("`top_k` is {number} but the round has {item_count} items"),
                        );
                        item_count as u32
                    } else {
                        number as u32
                    }
                }
            },
        };
        RoundKind::Rank { top_k }
    }

    /// A pick round: `max_picks`, required and no larger than the item count.
    fn pick_kind(
        &mut self,
        raw: &RawRound,
        item_count: usize,
        awaiting_curation: bool,
        context: Option<&str>,
    ) -> RoundKind {
        let max_picks = match &raw.max_picks {
            Some(value) => {
                let picks = self.count(value, context, "max_picks", 1);
                if picks as usize > item_count && !awaiting_curation {
                    self.error(
                        value.span(),
                        context,
                        format!("`max_picks` is {picks} but the round has {item_count} items"),
                    );
                }
                picks
            }
            None => {
                self.error(
                    raw.kind.span(),
                    context,
                    "a pick round needs `max_picks`, the most items one person may choose"
                        .to_string(),
                );
                1
            }
        };
        RoundKind::Pick { max_picks }
    }

    /// The round's method, which must fit the kind of data the round collects (and CHNRI
    /// needs criteria).
    fn method(
        &mut self,
        raw: &RawRound,
        kind: &RoundKind,
        context: Option<&str>,
    ) -> Option<Method> {
        let method = raw.method.as_ref().and_then(|value| {
            match value.get_ref().parse::<Method>() {
                Ok(method) => {
                    match kind.data_kind() {
                        None => self.error(
                            value.span(),
                            context,
                            "`method` does not apply to a suggest round".to_string(),
                        ),
                        Some(data_kind) if !method.fits_kind(data_kind) => self.error(
                            value.span(),
                            context,
                            format!(
                                "`method` is `{method}`, which does not fit {data_kind} data (it fits {})",
                                method
                                    .fits()
                                    .iter()
                                    .map(|kind| kind.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ),
                        Some(_) => {}
                    }
                    Some(method)
                }
                Err(problem) => {
                    self.error(value.span(), context, format!("`method`: {problem}"));
                    None
                }
            }
        });
        if let (Some(Method::Chnri), RoundKind::Rate { criteria, .. }) = (method, kind)
            && criteria.is_empty()
        {
            self.error(
                raw.method
                    .as_ref()
                    .map(|value| value.span())
                    .unwrap_or(0..0),
                context,
                "`method` is `chnri`, which needs `criteria`".to_string(),
            );
        }
        method
    }

    /// The round's group weighting, and the group weights a custom weighting needs.
    fn weighting(
        &mut self,
        raw: &RawRound,
        groups: &[Group],
        context: Option<&str>,
    ) -> (Option<Weighting>, BTreeMap<String, f64>) {
        let weighting =
            raw.weighting
                .as_ref()
                .and_then(|value| match value.get_ref().parse::<Weighting>() {
                    Ok(weighting) => Some(weighting),
                    Err(problem) => {
                        self.error(value.span(), context, format!("`weighting`: {problem}"));
                        None
                    }
                });
        let mut group_weights = BTreeMap::new();
        match (&raw.group_weights, weighting) {
            (Some(weights), Some(Weighting::Custom)) => {
                for (group_id, weight) in weights.get_ref() {
                    if !groups.iter().any(|group| group.id.as_str() == group_id) {
                        self.error(
                            weight.span(),
                            context,
                            format!("`group_weights` names `{group_id}`, which is not a group"),
                        );
                    }
                    let value = *weight.get_ref();
                    if !(value.is_finite() && value >= 0.0) {
                        self.error(
                            weight.span(),
                            context,
                            format!(
                                "`group_weights.{group_id}` is {value} but must be zero or more"
                            ),
                        );
                    }
                    group_weights.insert(group_id.clone(), value);
                }
                for group in groups {
                    if !group_weights.contains_key(group.id.as_str()) {
                        self.error(
                            weights.span(),
                            context,
                            format!("`group_weights` gives no weight for group `{}`", group.id),
                        );
                    }
                }
            }
            (Some(weights), _) => self.error(
                weights.span(),
                context,
                "`group_weights` applies only with `weighting = \"custom\"`".to_string(),
            ),
            (None, Some(Weighting::Custom)) => self.error(
                raw.weighting
                    .as_ref()
                    .map(|value| value.span())
                    .unwrap_or(0..0),
                context,
                "`weighting` is `custom` but `group_weights` is missing".to_string(),
            ),
            (None, _) => {}
        }
        (weighting, group_weights)
    }

    /// Reports every key that belongs to another round kind.
    fn keys_fit_kind(&mut self, raw: &RawRound, kind_name: &str, context: Option<&str>) {
        let given: [(&str, Option<Range<usize>>); 12] = [
            (
                "max_suggestions",
                raw.max_suggestions.as_ref().map(|v| v.span()),
            ),
            ("max_length", raw.max_length.as_ref().map(|v| v.span())),
            ("scale", raw.scale.as_ref().map(|v| v.span())),
            (
                "allow_dont_know",
                raw.allow_dont_know.as_ref().map(|v| v.span()),
            ),
            ("criteria", raw.criteria.as_ref().map(|v| v.span())),
            ("top_k", raw.top_k.as_ref().map(|v| v.span())),
            ("max_picks", raw.max_picks.as_ref().map(|v| v.span())),
            ("max_choices", raw.max_choices.as_ref().map(|v| v.span())),
            (
                "feedback_from",
                raw.feedback_from.as_ref().map(|v| v.span()),
            ),
            ("feedback_by", raw.feedback_by.as_ref().map(|v| v.span())),
            ("method", None),
            ("weighting", None),
        ];
        for (key, span) in given {
            let Some(span) = span else { continue };
            let owner = KIND_KEYS
                .iter()
                .find(|(_, keys)| keys.contains(&key))
                .map(|(kind, _)| *kind);
            if let Some(owner) = owner
                && owner != kind_name
            {
                self.error(
                    span,
                    context,
                    format!("`{key}` applies to {owner} rounds, not to a {kind_name} round"),
                );
            }
        }
    }
}
