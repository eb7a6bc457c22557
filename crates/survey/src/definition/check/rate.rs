//! The checks of a rating round's parts: its criteria, its scale and the feedback of an
//! earlier round it shows.

use std::collections::{BTreeMap, HashSet};

use toml::Spanned;

use super::Checker;
use crate::definition::raw::{RawRound, RawScale};
use crate::definition::{Criterion, Feedback, FeedbackBy, Round, RoundKind, Scale};

impl Checker<'_> {
    /// A re-rating round's feedback: an earlier rating round on the same numeric scale.
    pub(super) fn feedback(
        &mut self,
        raw: &RawRound,
        kind: &RoundKind,
        earlier: &[Round],
        context: Option<&str>,
    ) -> Option<Feedback> {
        let by = self.feedback_by(raw, context);
        let Some(from) = &raw.feedback_from else {
            if let Some(value) = &raw.feedback_by {
                self.error(
                    value.span(),
                    context,
                    "`feedback_by` needs `feedback_from`, the earlier rating round to show"
                        .to_string(),
                );
            }
            return None;
        };
        let RoundKind::Rate {
            scale: Scale::Numeric { min, max, .. },
            ..
        } = kind
        else {
            // Criteria rounds: keys_fit_kind already reported other kinds.
            if matches!(kind, RoundKind::Rate { .. }) {
                self.error(
                    from.span(),
                    context,
                    "`feedback_from` needs a rating scale; CHNRI criteria rounds are not re-rated"
                        .to_string(),
                );
            }
            return None;
        };
        let Some(index) = earlier
            .iter()
            .position(|round| round.id.as_str() == from.get_ref())
        else {
            self.error(
                from.span(),
                context,
                format!(
                    "`feedback_from` names `{}`, which is not an earlier round",
                    from.get_ref()
                ),
            );
            return None;
        };
        match &earlier[index].kind {
            RoundKind::Rate {
                scale:
                    Scale::Numeric {
                        min: earlier_min,
                        max: earlier_max,
                        ..
                    },
                ..
            } if earlier_min == min && earlier_max == max => Some(Feedback { from: index, by }),
            RoundKind::Rate {
                scale: Scale::Numeric { .. },
                ..
            } => {
                self.error(
                    from.span(),
                    context,
                    format!(
                        "`feedback_from` names `{}`, whose scale differs from this round's {min}-{max}",
                        from.get_ref()
                    ),
                );
                None
            }
            other => {
                self.error(
                    from.span(),
                    context,
                    format!(
                        "`feedback_from` names `{}`, a {} round; it must be a rate round with a scale",
                        from.get_ref(),
                        other.name()
                    ),
                );
                None
            }
        }
    }

    /// How feedback is shown: `overall` (the default) or by `group`.
    fn feedback_by(&mut self, raw: &RawRound, context: Option<&str>) -> FeedbackBy {
        match &raw.feedback_by {
            None => FeedbackBy::Overall,
            Some(value) => match value.get_ref().as_str() {
                "overall" => FeedbackBy::Overall,
                "group" => FeedbackBy::Group,
                other => {
                    self.error(
                        value.span(),
                        context,
                        format!("`feedback_by` is `{other}` but must be `overall` or `group`"),
                    );
                    FeedbackBy::Overall
                }
            },
        }
    }

    /// Checks a rating round's `criteria`: ids, labels, weights, none twice.
    pub(super) fn criteria(&mut self, raw: &RawRound, context: Option<&str>) -> Vec<Criterion> {
        let Some(listed) = &raw.criteria else {
            return Vec::new();
        };
        let mut criteria = Vec::new();
        let mut seen = HashSet::new();
        for entry in listed.get_ref() {
            let entry_raw = entry.get_ref();
            let id = self.slug(&entry_raw.id, context, "criteria.id");
            if !seen.insert(id.to_string()) {
                self.error(
                    entry_raw.id.span(),
                    context,
                    format!("`criteria` lists `{id}` twice"),
                );
            }
            let label = self.text(&entry_raw.label, context, "criteria.label");
            let weight = match &entry_raw.weight {
                Some(weight) => {
                    let value = *weight.get_ref();
                    if !(value.is_finite() && value > 0.0) {
                        self.error(
                            weight.span(),
                            context,
                            format!(
                                "`criteria.weight` of `{id}` is {value} but must be more than zero"
                            ),
                        );
                    }
                    value
                }
                None => 1.0,
            };
            criteria.push(Criterion { id, label, weight });
        }
        if criteria.is_empty() {
            self.error(
                listed.span(),
                context,
                "`criteria` is empty: list at least one criterion or remove the key".to_string(),
            );
        }
        criteria
    }

    /// Checks a rating round's `scale`: bounds within ±1000, `min` below `max`, labels on
    /// the scale.
    pub(super) fn scale(&mut self, raw: &Spanned<RawScale>, context: Option<&str>) -> Scale {
        let scale = raw.get_ref();
        let (Some(scale_min), Some(scale_max)) = (&scale.min, &scale.max) else {
            // The shape check reported the missing bound; this stands in for the scale so that
            // the rest of the round is still checked.
            return Scale::Numeric {
                min: 1,
                max: 9,
                labels: BTreeMap::new(),
            };
        };
        let min = *scale_min.get_ref();
        let max = *scale_max.get_ref();
        let mut valid = true;
        for (field, value) in [("scale.min", scale_min), ("scale.max", scale_max)] {
            if i32::try_from(*value.get_ref()).is_err() || value.get_ref().abs() > 1000 {
                self.error(
                    value.span(),
                    context,
                    format!(
                        "`{field}` is {} but must be between -1000 and 1000",
                        value.get_ref()
                    ),
                );
                valid = false;
            }
        }
        if valid && min >= max {
            self.error(
                scale_max.span(),
                context,
                format!("`scale.max` is {max} but must be more than `scale.min` ({min})"),
            );
        }
        let mut labels = BTreeMap::new();
        if let Some(raw_labels) = &scale.labels {
            for (point, label) in raw_labels.get_ref() {
                match point.trim().parse::<i32>() {
                    Ok(value) if (min..=max).contains(&i64::from(value)) => {
                        labels.insert(value, label.trim().to_string());
                    }
                    Ok(value) => self.error(
                        raw_labels.span(),
                        context,
                        format!("`scale.labels` has a label for {value}, which is off the scale {min}-{max}"),
                    ),
                    Err(_) => self.error(
                        raw_labels.span(),
                        context,
                        format!("`scale.labels` key `{point}` is not a whole number"),
                    ),
                }
            }
        }
        Scale::Numeric {
            min: min as i32,
            max: max as i32,
            labels,
        }
    }
}
