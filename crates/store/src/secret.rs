//! Random ids, tokens and codes, their hashes, and coarse times.

use sha2::{Digest, Sha256};

/// Crockford's base-32 alphabet in lowercase: no `i`, `l`, `o` or `u`, so codes read aloud or
/// copied by hand are hard to get wrong.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// `characters` random base-32 characters (5 bits each) from the operating system's generator.
pub(crate) fn random_text(characters: usize) -> String {
    let mut bytes = vec![0u8; characters];
    getrandom::fill(&mut bytes).expect("the operating system's random generator works");
    bytes
        .iter()
        .map(|byte| ALPHABET[(byte & 31) as usize] as char)
        .collect()
}

/// A respondent id: 26 characters, 130 bits.
pub(crate) fn respondent_id() -> String {
    random_text(26)
}

/// A token (invite or session): 52 characters, 260 bits.
pub(crate) fn token() -> String {
    random_text(52)
}

/// A resume code to type on another device: 16 characters (80 bits) in groups of four.
pub(crate) fn resume_code() -> String {
    let text = random_text(16);
    format!(
        "{}-{}-{}-{}",
        &text[0..4],
        &text[4..8],
        &text[8..12],
        &text[12..16]
    )
}

/// The resume code as typed, without spaces or dashes, in lowercase.
pub(crate) fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|character| !character.is_whitespace() && *character != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The SHA-256 of a secret, in hex. The secrets are long random texts, so a plain hash is
/// enough: there is nothing to guess, and the database never holds the secret itself.
pub(crate) fn hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Seconds since the Unix epoch.
pub(crate) fn now_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or(0)
}

/// Today's date (UTC) as `YYYY-MM-DD`: the only time stored with a respondent or an answer.
pub(crate) fn today() -> String {
    day_of(now_seconds())
}

/// The UTC date of a Unix time, by Howard Hinnant's `civil_from_days`.
pub(crate) fn day_of(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
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
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_civil_dates() {
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(day_of(951_782_400), "2000-02-29");
        assert_eq!(day_of(1_767_225_599), "2025-12-31");
        assert_eq!(day_of(1_767_225_600), "2026-01-01");
    }

    #[test]
    fn codes_are_random_and_normalised() {
        let code = resume_code();
        assert_eq!(code.len(), 19);
        assert_ne!(code, resume_code());
        assert_eq!(normalise_code(" AB12-cd34 "), "ab12cd34");
        assert_eq!(hash("x").len(), 64);
        assert_eq!(respondent_id().len(), 26);
    }
}
