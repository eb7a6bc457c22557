//! The wire form of an answer: the JSON body with one key per kind, and ratings read with
//! every key unique.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::{Answer, PairChoice, Rating, shorten};

/// The wire form: one optional field per kind, so that a body with none or several of them gets
/// a clear message rather than serde's "did not match any variant"; any other field is refused.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAnswer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ranking: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "unique_ratings"
    )]
    ratings: Option<BTreeMap<String, Option<Rating>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    picked: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    suggestions: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    choices: Option<Vec<PairChoice>>,
}

impl TryFrom<RawAnswer> for Answer {
    type Error = String;

    fn try_from(raw: RawAnswer) -> Result<Answer, String> {
        let mut found = Vec::new();
        if let Some(ranking) = raw.ranking {
            found.push(("ranking", Answer::Rank(ranking)));
        }
        if let Some(ratings) = raw.ratings {
            found.push(("ratings", Answer::Rate(ratings)));
        }
        if let Some(picked) = raw.picked {
            found.push(("picked", Answer::Pick(picked)));
        }
        if let Some(suggestions) = raw.suggestions {
            found.push(("suggestions", Answer::Suggest(suggestions)));
        }
        if let Some(choices) = raw.choices {
            found.push(("choices", Answer::Pairwise(choices)));
        }
        match found.len() {
            0 => Err(
                "an answer needs one of `ranking`, `ratings`, `picked`, `suggestions` or `choices`"
                    .to_string(),
            ),
            1 => Ok(found.pop().expect("one entry").1),
            _ => Err(format!(
                "an answer holds one of `ranking`, `ratings`, `picked`, `suggestions` or `choices`, but this one holds {}",
                found
                    .iter()
                    .map(|(name, _)| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )),
        }
    }
}

impl From<Answer> for RawAnswer {
    fn from(answer: Answer) -> RawAnswer {
        let mut raw = RawAnswer {
            ranking: None,
            ratings: None,
            picked: None,
            suggestions: None,
            choices: None,
        };
        match answer {
            Answer::Rank(ranking) => raw.ranking = Some(ranking),
            Answer::Rate(ratings) => raw.ratings = Some(ratings),
            Answer::Pick(picked) => raw.picked = Some(picked),
            Answer::Suggest(suggestions) => raw.suggestions = Some(suggestions),
            Answer::Pairwise(choices) => raw.choices = Some(choices),
        }
        raw
    }
}

/// Reads a JSON object into a map, refusing a key given twice (serde_json would silently keep
/// the last).
fn unique_map<'de, A, V>(mut access: A, what: &str) -> Result<BTreeMap<String, V>, A::Error>
where
    A: MapAccess<'de>,
    V: Deserialize<'de>,
{
    let mut map = BTreeMap::new();
    while let Some(key) = access.next_key::<String>()? {
        if map.contains_key(&key) {
            return Err(de::Error::custom(format!(
                "{what} names `{}` twice",
                shorten(&key)
            )));
        }
        let value = access.next_value()?;
        map.insert(key, value);
    }
    Ok(map)
}

/// Reads `ratings`, refusing an item named twice.
fn unique_ratings<'de, D>(
    deserializer: D,
) -> Result<Option<BTreeMap<String, Option<Rating>>>, D::Error>
where
    D: Deserializer<'de>,
{
    struct RatingsVisitor;
    impl<'de> Visitor<'de> for RatingsVisitor {
        type Value = Option<BTreeMap<String, Option<Rating>>>;
        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("an object of ratings by item id")
        }
        fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Self::Value, A::Error> {
            unique_map(access, "`ratings`").map(Some)
        }
    }
    deserializer.deserialize_map(RatingsVisitor)
}

impl Serialize for Rating {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Rating::Score(score) => serializer.serialize_i32(*score),
            Rating::Criteria(answers) => answers.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Rating {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Rating, D::Error> {
        struct RatingVisitor;
        impl<'de> Visitor<'de> for RatingVisitor {
            type Value = Rating;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(
                    "a whole number, null for don't know, or an object of criterion answers",
                )
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Rating, E> {
                i32::try_from(value)
                    .map(Rating::Score)
                    .map_err(|_| E::custom(format!("the rating {value} is far off any scale")))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Rating, E> {
                i32::try_from(value)
                    .map(Rating::Score)
                    .map_err(|_| E::custom(format!("the rating {value} is far off any scale")))
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Rating, E> {
                Err(E::custom(format!(
                    "the rating {value} is not a whole number"
                )))
            }
            fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<Rating, A::Error> {
                unique_map(access, "a rating").map(Rating::Criteria)
            }
        }
        deserializer.deserialize_any(RatingVisitor)
    }
}
