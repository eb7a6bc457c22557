//! Every way a number is written: scores and figures, shares, changes, correlations and rank
//! intervals in the method report and its charts, in the terminal table, in the results CSV and
//! on the service's results page.
//!
//! Each function is named for where its text goes; each keeps the digits its place has always
//! had. None writes a negative zero: a value that rounds to zero in the digits shown is written
//! without a sign (`0`, `0.000`), never `-0`.

/// The text of a number with the sign dropped when every digit shown is zero: `-0`, `-0.00`,
/// `−0.000` and `-0%` become `0`, `0.00`, `0.000` and `0%`.
fn without_negative_zero(text: String) -> String {
    let unsigned = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('−'))
        .filter(|rest| rest.starts_with('0') && rest.chars().all(|c| matches!(c, '0' | '.' | '%')));
    match unsigned {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// A score or other figure for a reader of the method report and its charts: no more digits
/// than it is worth (none from 100, one from 10, two from 1, three below), with a true minus
/// sign as in print: `1234`, `12.3`, `1.23`, `0.123`, `−0.5` → `−0.500`.
pub fn score_for_reading(value: f64) -> String {
    let magnitude = value.abs();
    let text = if magnitude >= 100.0 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else if magnitude >= 1.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    };
    without_negative_zero(text).replace('-', "−")
}

/// A score in a report table: as [`score_for_reading`], or `—` when there is none.
pub fn score_or_dash(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), score_for_reading)
}

/// A figure in a report table that is NaN when undefined (a median of no ratings, a mean change
/// of nobody): as [`score_for_reading`], or `—` for NaN.
pub fn figure_or_dash(value: f64) -> String {
    if value.is_nan() {
        "—".to_string()
    } else {
        score_for_reading(value)
    }
}

/// A number in the results CSV: the shortest text that reads back as the same `f64`, or an
/// empty cell when there is none.
pub fn number_for_csv(value: Option<f64>) -> String {
    value
        .map(|value| without_negative_zero(format!("{value}")))
        .unwrap_or_default()
}

/// A score in the terminal table: at most three decimals with trailing zeros dropped
/// (`0.5`, `12`), scientific notation from a million (`1.235e6`), `-` when there is none.
pub fn score_for_terminal(value: Option<f64>) -> String {
    match value {
        None => "-".to_string(),
        Some(value) if value.abs() >= 1e6 => format!("{value:.3e}"),
        Some(value) => {
            let text = format!("{value:.3}");
            without_negative_zero(text.trim_end_matches('0').trim_end_matches('.').to_string())
        }
    }
}

/// A score on the service's results page: a whole number when it is one (within 10⁻⁹),
/// otherwise two decimals: `3`, `2.50`, `-0.25`.
pub fn score_for_results_page(value: f64) -> String {
    let text = if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    };
    without_negative_zero(text)
}

/// A share in [0, 1] as a whole percentage in the report's text: `42%`, but `<1%` for a share
/// above 0 that rounds to 0 and `>99%` for one below 1 that rounds to 100.
pub fn share_in_words(share: f64) -> String {
    let rounded = (share * 100.0).round();
    if rounded >= 100.0 && share < 1.0 {
        ">99%".to_string()
    } else if rounded <= 0.0 && share > 0.0 {
        "<1%".to_string()
    } else {
        without_negative_zero(format!("{rounded:.0}%"))
    }
}

/// A share in [0, 1] as a whole percentage on a chart (axis ticks, segments): `42%`.
pub fn share_for_chart(share: f64) -> String {
    without_negative_zero(format!("{:.0}%", share * 100.0))
}

/// A change of share in percentage points, signed, with a true minus sign: `+5`, `−3`, `0`;
/// `—` for NaN.
pub fn change_in_points(change: f64) -> String {
    if change.is_nan() {
        return "—".to_string();
    }
    let points = (change * 100.0).round();
    if points > 0.0 {
        format!("+{points:.0}")
    } else if points < 0.0 {
        format!("−{:.0}", -points)
    } else {
        "0".to_string()
    }
}

/// A correlation with two decimals and a true minus sign: `0.83`, `−0.12`; `undefined` when
/// there is none.
pub fn correlation_for_reading(value: Option<f64>) -> String {
    value.map_or_else(
        || "undefined".to_string(),
        |value| without_negative_zero(format!("{value:.2}")).replace('-', "−"),
    )
}

/// A rank interval: `3` when both ends agree, else `2–5`.
pub fn rank_interval(low: usize, high: usize) -> String {
    if low == high {
        low.to_string()
    } else {
        format!("{low}–{high}")
    }
}

/// A place in words: `1st`, `2nd`, `3rd`, `4th`, `11th`, `12th`, `13th`, `21st`, `112th`.
pub fn ordinal(place: usize) -> String {
    let suffix = match (place % 10, place % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{place}{suffix}")
}

/// A rank interval in places, for pages read by people: `3rd` when both ends agree, else
/// `1st–2nd`.
pub fn rank_interval_in_places(low: usize, high: usize) -> String {
    if low == high {
        ordinal(low)
    } else {
        format!("{}–{}", ordinal(low), ordinal(high))
    }
}

/// A p-value as the report and the terminal table write it: `p < 0.001`, else three decimals
/// (`p = 0.042`).
pub fn p_value(value: f64) -> String {
    if value < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {value:.3}")
    }
}

#[cfg(test)]
mod tests;

/// A count for a sentence, its thousands separated by commas: `1000` → `1,000`.
pub fn count_for_reading(count: u64) -> String {
    let digits = count.to_string();
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}
