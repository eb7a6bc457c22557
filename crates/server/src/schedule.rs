//! Rounds that open and close by themselves: [`tick`] applies the schedule as of the state's
//! clock (the background task in [`crate::serve`] calls it every [`INTERVAL`], tests call it
//! with a manual clock), and the times as people read and type them (UTC).

use std::time::Duration;

use store::RoundState;

use crate::AppState;
use crate::error::AppError;

/// How often the service looks for rounds due to open or close.
pub const INTERVAL: Duration = Duration::from_secs(5);

/// Opens the draft rounds whose opening time has come and closes the open rounds whose closing
/// time has come, as of `state.clock`; returns what changed (exercise, round, new state).
///
/// # Errors
/// Store errors.
pub async fn tick(state: &AppState) -> Result<Vec<(String, String, RoundState)>, AppError> {
    let now = state.clock.now();
    let changes = state
        .blocking(move |store| store.apply_schedule(now))
        .await?;
    for (exercise, round, new_state) in &changes {
        tracing::info!(%exercise, %round, state = %new_state, "scheduled change of a round");
    }
    Ok(changes)
}

/// Calls [`tick`] every [`INTERVAL`] until the task is dropped or aborted; a failure is logged
/// and tried again at the next tick.
pub(crate) async fn run(state: AppState) {
    let mut interval = tokio::time::interval(INTERVAL);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(error) = tick(&state).await {
            tracing::error!(%error, "the schedule of rounds could not be applied");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Times as text. Every time is UTC: the pages say so.

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date and time of day, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date and time of a Unix time (Howard Hinnant's `civil_from_days`).
fn civil(seconds: i64) -> Civil {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    Civil {
        year: year_of_era + era * 400 + i64::from(month <= 2),
        month,
        day,
        hour: of_day / 3600,
        minute: of_day % 3600 / 60,
        second: of_day % 60,
    }
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `digits` ASCII digits at the start of `text`, and the rest.
fn number(text: &str, digits: usize) -> Option<(i64, &str)> {
    let head = text.get(..digits)?;
    if !head.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &text[digits..]))
}

fn expect<'a>(text: &'a str, separators: &[char]) -> Option<&'a str> {
    let mut chars = text.chars();
    let first = chars.next()?;
    separators.contains(&first).then_some(chars.as_str())
}

/// `YYYY-MM-DD`, a `T` (or `t`, or a space when `space` is allowed) and `HH:MM`, then the rest.
fn date_and_minute(text: &str, space: bool) -> Option<(Civil, &str)> {
    let (year, rest) = number(text, 4)?;
    let (month, rest) = number(expect(rest, &['-'])?, 2)?;
    let (day, rest) = number(expect(rest, &['-'])?, 2)?;
    let separators: &[char] = if space { &['T', 't', ' '] } else { &['T', 't'] };
    let (hour, rest) = number(expect(rest, separators)?, 2)?;
    let (minute, rest) = number(expect(rest, &[':'])?, 2)?;
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60;
    valid.then_some((
        Civil {
            year,
            month,
            day,
            hour,
            minute,
            second: 0,
        },
        rest,
    ))
}

fn seconds_of(civil: Civil) -> i64 {
    days_from_civil(civil.year, civil.month, civil.day) * 86_400
        + civil.hour * 3600
        + civil.minute * 60
        + civil.second
}

/// An RFC 3339 date-time (`2027-01-10T09:00:00Z`, `2027-01-10T10:00:00+01:00`, with optional
/// fractions of a second, which are dropped) as Unix seconds; `None` when it is not one.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let (mut civil, rest) = date_and_minute(text, false)?;
    let (second, mut rest) = number(expect(rest, &[':'])?, 2)?;
    if second > 60 {
        return None;
    }
    // A leap second is read as the last second of its minute.
    civil.second = second.min(59);
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.chars().next()? {
                '+' => 1,
                '-' => -1,
                _ => return None,
            };
            let (hours, tail) = number(&rest[1..], 2)?;
            let (minutes, tail) = number(expect(tail, &[':'])?, 2)?;
            if !tail.is_empty() || hours > 23 || minutes > 59 {
                return None;
            }
            sign * (hours * 3600 + minutes * 60)
        }
    };
    Some(seconds_of(civil) - offset)
}

/// A time typed in a form, in UTC: `YYYY-MM-DDTHH:MM` as a `datetime-local` field sends it,
/// or with a space instead of the `T`, optionally with seconds; `None` when it is not one.
pub fn parse_form_time(text: &str) -> Option<i64> {
    let (mut civil, rest) = date_and_minute(text.trim(), true)?;
    match rest {
        "" => {}
        _ => {
            let (second, tail) = number(expect(rest, &[':'])?, 2)?;
            if !tail.is_empty() || second > 59 {
                return None;
            }
            civil.second = second;
        }
    }
    Some(seconds_of(civil))
}

/// A Unix time as RFC 3339 in UTC: `2027-01-10T09:00:00Z`.
pub fn rfc3339(seconds: i64) -> String {
    let Civil {
        year,
        month,
        day,
        hour,
        minute,
        second,
    } = civil(seconds);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// A Unix time as a `datetime-local` field's value (UTC, to the minute): `2027-01-10T09:00`.
pub fn form_value(seconds: i64) -> String {
    rfc3339(seconds)[..16].to_string()
}

/// The date of a Unix time in words, UTC: `7 December 2026`.
pub fn date_in_words(seconds: i64) -> String {
    let Civil {
        year, month, day, ..
    } = civil(seconds);
    format!("{day} {} {year}", MONTHS[(month - 1) as usize])
}

/// A Unix time in words, UTC: `10 January 2027 at 09:00 UTC`.
pub fn in_words(seconds: i64) -> String {
    let Civil {
        year,
        month,
        day,
        hour,
        minute,
        ..
    } = civil(seconds);
    format!(
        "{day} {} {year} at {hour:02}:{minute:02} UTC",
        MONTHS[(month - 1) as usize]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2027-01-10T09:00:00Z.
    const TEN_JANUARY: i64 = 1_799_571_600;

    #[test]
    fn times_read_and_write_as_rfc3339_and_in_words() {
        for (text, expected) in [
            ("1970-01-01T00:00:00Z", Some(0)),
            ("2027-01-10T09:00:00Z", Some(TEN_JANUARY)),
            ("2027-01-10t09:00:00z", Some(TEN_JANUARY)),
            ("2027-01-10T10:00:00+01:00", Some(TEN_JANUARY)),
            ("2027-01-10T04:30:00-04:30", Some(TEN_JANUARY)),
            ("2027-01-10T09:00:00.999Z", Some(TEN_JANUARY)),
            ("2000-02-29T00:00:00Z", Some(951_782_400)),
            ("2001-02-29T00:00:00Z", None),
            ("2027-13-10T09:00:00Z", None),
            ("2027-01-10T24:00:00Z", None),
            ("2027-01-10T09:00Z", None),
            ("2027-01-10T09:00:00", None),
            ("2027-01-10 09:00:00Z", None),
            ("2027-01-10T09:00:00.Z", None),
            ("next tuesday", None),
            ("", None),
        ] {
            assert_eq!(parse_rfc3339(text), expected, "{text}");
        }
        assert_eq!(rfc3339(TEN_JANUARY), "2027-01-10T09:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(in_words(TEN_JANUARY), "10 January 2027 at 09:00 UTC");
        assert_eq!(
            in_words(TEN_JANUARY + 9 * 3600 + 5 * 60),
            "10 January 2027 at 18:05 UTC"
        );
        assert_eq!(form_value(TEN_JANUARY + 59), "2027-01-10T09:00");
        for seconds in [0, 951_782_400, TEN_JANUARY, 4_102_444_799] {
            assert_eq!(parse_rfc3339(&rfc3339(seconds)), Some(seconds));
        }
    }

    #[test]
    fn form_times_are_utc_with_or_without_the_t() {
        assert_eq!(parse_form_time("2027-01-10T09:00"), Some(TEN_JANUARY));
        assert_eq!(parse_form_time(" 2027-01-10 09:00 "), Some(TEN_JANUARY));
        assert_eq!(
            parse_form_time("2027-01-10T09:00:30"),
            Some(TEN_JANUARY + 30)
        );
        assert_eq!(parse_form_time("2027-01-10"), None);
        assert_eq!(parse_form_time("10/01/2027 09:00"), None);
        assert_eq!(parse_form_time("2027-01-10T09:00Z"), None);
    }
}
