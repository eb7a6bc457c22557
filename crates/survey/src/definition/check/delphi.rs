//! The checks of the `[delphi]` table: consensus thresholds and the stopping rule.

use rank::rating::DelphiThresholds;
use rank::stability::{DEFAULT_MAX_CHANGE, StoppingRule};
use toml::Spanned;

use super::Checker;
use crate::definition::Delphi;
use crate::definition::raw::RawDelphi;

impl Checker<'_> {
    /// A share in (0, 1] (or [0, 1) for `dissent`-like thresholds when `allow_zero`).
    fn share(&mut self, value: &Spanned<f64>, field: &str, allow_zero: bool) -> f64 {
        let number = *value.get_ref();
        let fits =
            number.is_finite() && number <= 1.0 && (number > 0.0 || (allow_zero && number == 0.0));
        if !fits {
            let range = if allow_zero {
                "between 0 and 1"
            } else {
                "more than 0 and at most 1"
            };
            self.error(
                value.span(),
                Some("[delphi]"),
                format!("`{field}` is {number} but must be a share {range} (0.7 is 70%)"),
            );
        }
        number
    }

    /// Checks the `[delphi]` table: thresholds and the stopping rule.
    pub(super) fn delphi(&mut self, raw: &RawDelphi) -> Delphi {
        let defaults = DelphiThresholds::default();
        let agreement = raw.agreement.as_ref().map_or(defaults.agreement, |value| {
            self.share(value, "agreement", false)
        });
        let dissent = raw
            .dissent
            .as_ref()
            .map_or(defaults.dissent, |value| self.share(value, "dissent", true));
        let stop_share = raw
            .stop_share
            .as_ref()
            .map(|value| self.share(value, "stop_share", false));
        let stable_change = raw
            .stable_change
            .as_ref()
            .map(|value| self.share(value, "stable_change", false));
        let stop = raw.stop.as_ref().map(|value| value.get_ref().as_str());
        let stopping = match stop {
            None | Some("rounds") => {
                for (field, given) in [
                    ("stop_share", raw.stop_share.as_ref()),
                    ("stable_change", raw.stable_change.as_ref()),
                ] {
                    if let Some(given) = given {
                        self.error(
                            given.span(),
                            Some("[delphi]"),
                            format!(
                                "`{field}` applies only with `stop = \"consensus\"` or `stop = \"stability\"`"
                            ),
                        );
                    }
                }
                StoppingRule::Rounds
            }
            Some("consensus") => {
                if let Some(given) = &raw.stable_change {
                    self.error(
                        given.span(),
                        Some("[delphi]"),
                        "`stable_change` applies only with `stop = \"stability\"`".to_string(),
                    );
                }
                StoppingRule::Consensus {
                    share: stop_share.unwrap_or(1.0),
                }
            }
            Some("stability") => StoppingRule::Stability {
                max_change: stable_change.unwrap_or(DEFAULT_MAX_CHANGE),
                share: stop_share.unwrap_or(1.0),
            },
            Some(other) => {
                let span = raw.stop.as_ref().map(|value| value.span()).unwrap_or(0..0);
                self.error(
                    span,
                    Some("[delphi]"),
                    format!("`stop` is `{other}` but must be one of: rounds, consensus, stability"),
                );
                StoppingRule::Rounds
            }
        };
        Delphi {
            thresholds: DelphiThresholds {
                agreement,
                dissent,
                within_every_group: raw
                    .within_every_group
                    .unwrap_or(defaults.within_every_group),
                // Set from the disclosure threshold when the round is analysed.
                pool_groups_below: defaults.pool_groups_below,
            },
            stopping,
        }
    }
}
