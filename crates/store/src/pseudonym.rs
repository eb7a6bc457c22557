//! Respondents' pseudonyms: the id that exports, the curation API and logs carry instead of
//! the respondent id, which is a capability (whoever holds it can change that person's answer
//! in an open round).
//!
//! A pseudonym is `r-` and the first 80 bits (20 hex digits) of HMAC-SHA256 of the respondent
//! id under a random key kept in the database (made when the database is first opened). The
//! same respondent has the same pseudonym in every export of the database, so files can be
//! joined; without the key, a pseudonym says nothing about the id.

use hmac::{Hmac, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::Sha256;

/// What every pseudonym starts with.
pub const PSEUDONYM_PREFIX: &str = "r-";
/// The bytes of the HMAC kept (80 bits).
const KEPT_BYTES: usize = 10;

/// The keyed hash that turns respondent ids into pseudonyms. Cheap to clone.
#[derive(Clone)]
pub struct Pseudonyms {
    key: [u8; 32],
}

impl std::fmt::Debug for Pseudonyms {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Pseudonyms { key: .. }")
    }
}

impl Pseudonyms {
    /// Pseudonyms under `key`.
    pub fn new(key: [u8; 32]) -> Pseudonyms {
        Pseudonyms { key }
    }

    /// The pseudonym of `respondent`: `r-` and 20 hex digits.
    pub fn of(&self, respondent: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        mac.update(b"prioritise respondent\0");
        mac.update(respondent.as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut text = String::with_capacity(PSEUDONYM_PREFIX.len() + 2 * KEPT_BYTES);
        text.push_str(PSEUDONYM_PREFIX);
        for byte in &digest[..KEPT_BYTES] {
            text.push_str(&format!("{byte:02x}"));
        }
        text
    }

    /// The seed of the orders `respondent` is shown in `round` of `exercise` (see
    /// `survey::order`): HMAC-SHA256 under the database's key of the three ids, so that the
    /// same person sees the same order on every visit and device, different people see
    /// different orders, and no one can work out another's order without the key.
    pub fn order_seed(&self, exercise: &str, round: &str, respondent: &str) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        mac.update(b"prioritise order\0");
        for part in [exercise, round, respondent] {
            mac.update(part.as_bytes());
            mac.update(b"\0");
        }
        mac.finalize().into_bytes().into()
    }

    /// A suggestion id `RESPONDENT:N` with the respondent replaced by its pseudonym; an id
    /// that already starts with a pseudonym is returned as it is.
    pub fn suggestion(&self, id: &str) -> String {
        match id.rsplit_once(':') {
            Some((respondent, number)) if !respondent.starts_with(PSEUDONYM_PREFIX) => {
                format!("{}:{number}", self.of(respondent))
            }
            _ => id.to_string(),
        }
    }
}

/// The database's pseudonym key, made (from the operating system's generator) the first time.
pub(crate) fn load_or_create_key(connection: &Connection) -> rusqlite::Result<[u8; 32]> {
    let mut fresh = [0u8; 32];
    getrandom::fill(&mut fresh).expect("the operating system's random generator works");
    connection.execute(
        "INSERT OR IGNORE INTO pseudonym_key (id, key) VALUES (1, ?1)",
        params![fresh.as_slice()],
    )?;
    let key: Vec<u8> =
        connection.query_row("SELECT key FROM pseudonym_key WHERE id = 1", [], |row| {
            row.get(0)
        })?;
    // The table's CHECK keeps the key at 32 bytes.
    key.try_into().map_err(|_| {
        rusqlite::Error::InvalidColumnType(0, "key".to_string(), rusqlite::types::Type::Blob)
    })
}

/// Rewrites curation decisions recorded before pseudonyms (`RESPONDENT:N`) to the pseudonymous
/// ids the curation view now uses, so that no decision keeps a respondent id.
pub(crate) fn pseudonymise_curation(
    connection: &Connection,
    pseudonyms: &Pseudonyms,
) -> rusqlite::Result<()> {
    let legacy: Vec<(i64, String)> = {
        let mut statement = connection.prepare(
            "SELECT rowid, suggestion_id FROM curation WHERE suggestion_id NOT LIKE 'r-%'",
        )?;
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    for (rowid, id) in legacy {
        let renamed = pseudonyms.suggestion(&id);
        let taken: Option<i64> = connection
            .query_row(
                "SELECT 1 FROM curation c JOIN curation old ON old.rowid = ?1
                 WHERE c.exercise_id = old.exercise_id AND c.round_id = old.round_id
                   AND c.suggestion_id = ?2",
                params![rowid, renamed],
                |row| row.get(0),
            )
            .optional()?;
        if taken.is_some() {
            connection.execute("DELETE FROM curation WHERE rowid = ?1", params![rowid])?;
        } else {
            connection.execute(
                "UPDATE curation SET suggestion_id = ?2 WHERE rowid = ?1",
                params![rowid, renamed],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_keyed_stable_and_not_the_id() {
        let one = Pseudonyms::new([1; 32]);
        let other = Pseudonyms::new([2; 32]);
        let id = "0123456789abcdefghjkmnpqrs";
        let pseudonym = one.of(id);
        assert_eq!(pseudonym, one.of(id));
        assert_eq!(pseudonym.len(), 22);
        assert!(pseudonym.starts_with("r-"));
        assert!(!pseudonym.contains(id));
        assert_ne!(pseudonym, other.of(id));
        assert_ne!(pseudonym, one.of("0123456789abcdefghjkmnpqrt"));
        assert_eq!(one.suggestion(&format!("{id}:2")), format!("{pseudonym}:2"));
        assert_eq!(
            one.suggestion(&format!("{pseudonym}:2")),
            format!("{pseudonym}:2")
        );
    }
}
