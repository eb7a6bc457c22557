//! `test-support`: fixtures shared by the tests of the `prioritise` crates, so that the small
//! exercise many tests start from is written once.
//!
//! [`TINY_EXERCISE`] is that exercise as TOML: two groups, three items, a suggest round and a
//! rank round. A test that needs a variant builds it from the same parts with
//! [`ExerciseToml`], changing only what the test is about:
//!
//! ```
//! use test_support::ExerciseToml;
//!
//! let toml = ExerciseToml::tiny()
//!     .id("crash")
//!     .set("disclosure_threshold", "1")
//!     .items(&[("a", "A"), ("b", "B")])
//!     .build();
//! assert!(toml.contains("id = \"crash\"\ntitle = \"Tiny\"\ndisclosure_threshold = 1\n"));
//! ```
//!
//! The TOML is written `key = "value"`, one key a line and a blank line before each table, so
//! that tests may still edit it with `str::replace`.
#![deny(missing_docs)]

/// The small exercise most tests start from (id `tiny`): groups `carers` and `young-people`,
/// items `a`, `b` and `c` (titled `Item A`, ...), a suggest round `ideas` and the rank round
/// [`TOP2_ROUND`]. Equal to `ExerciseToml::tiny().build()`.
pub const TINY_EXERCISE: &str = r#"
id = "tiny"
title = "Tiny"

[[groups]]
id = "carers"
label = "Carers"

[[groups]]
id = "young-people"
label = "Young people"

[[items]]
id = "a"
title = "Item A"

[[items]]
id = "b"
title = "Item B"

[[items]]
id = "c"
title = "Item C"

[[rounds]]
id = "ideas"
kind = "suggest"

[[rounds]]
id = "top2"
kind = "rank"
top_k = 2
"#;

/// The suggest round of [`TINY_EXERCISE`].
pub const IDEAS_ROUND: &str = r#"[[rounds]]
id = "ideas"
kind = "suggest"
"#;

/// The rank round of [`TINY_EXERCISE`]: `top2`, each respondent ranking their top two.
pub const TOP2_ROUND: &str = r#"[[rounds]]
id = "top2"
kind = "rank"
top_k = 2
"#;

/// An exercise definition under construction, starting from [`TINY_EXERCISE`]'s parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseToml {
    /// The top-level keys in order, each with its value written as TOML.
    keys: Vec<(String, String)>,
    /// Each group's id and label.
    groups: Vec<(String, String)>,
    /// Each item's id and title.
    items: Vec<(String, String)>,
    /// Further keys of items, as (item id, key, value written as TOML), in the order set.
    item_keys: Vec<(String, String, String)>,
    /// The rounds, as `[[rounds]]` tables separated by blank lines.
    rounds: String,
}

impl ExerciseToml {
    /// The parts of [`TINY_EXERCISE`].
    pub fn tiny() -> ExerciseToml {
        let pairs = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(first, second)| (first.to_string(), second.to_string()))
                .collect()
        };
        ExerciseToml {
            keys: pairs(&[("id", "\"tiny\""), ("title", "\"Tiny\"")]),
            groups: pairs(&[("carers", "Carers"), ("young-people", "Young people")]),
            items: pairs(&[("a", "Item A"), ("b", "Item B"), ("c", "Item C")]),
            item_keys: Vec::new(),
            rounds: format!("{IDEAS_ROUND}\n{TOP2_ROUND}"),
        }
    }

    /// Sets the top-level `key` to `value`, written as TOML (`"text"`, `1`, `true`): in its
    /// place when the key is there, else after the other keys.
    pub fn set(mut self, key: &str, value: &str) -> ExerciseToml {
        match self.keys.iter_mut().find(|(known, _)| known == key) {
            Some((_, old)) => *old = value.to_string(),
            None => self.keys.push((key.to_string(), value.to_string())),
        }
        self
    }

    /// Sets the exercise id.
    pub fn id(self, id: &str) -> ExerciseToml {
        self.set("id", &quoted(id))
    }

    /// Sets the exercise title.
    pub fn title(self, title: &str) -> ExerciseToml {
        self.set("title", &quoted(title))
    }

    /// Replaces the groups with these (id, label) pairs.
    pub fn groups(mut self, groups: &[(&str, &str)]) -> ExerciseToml {
        self.groups = groups
            .iter()
            .map(|(id, label)| (id.to_string(), label.to_string()))
            .collect();
        self
    }

    /// Replaces the items with these (id, title) pairs; none for an exercise whose items come
    /// from suggestions.
    pub fn items(mut self, items: &[(&str, &str)]) -> ExerciseToml {
        self.items = items
            .iter()
            .map(|(id, title)| (id.to_string(), title.to_string()))
            .collect();
        self
    }

    /// Adds an item after the others.
    pub fn item(mut self, id: &str, title: &str) -> ExerciseToml {
        self.items.push((id.to_string(), title.to_string()));
        self
    }

    /// Changes the title of the item `id`.
    ///
    /// # Panics
    ///
    /// When there is no item `id`: the test is wrong.
    pub fn item_title(mut self, id: &str, title: &str) -> ExerciseToml {
        let item = self
            .items
            .iter_mut()
            .find(|(known, _)| known == id)
            .unwrap_or_else(|| panic!("no item `{id}` to retitle"));
        item.1 = title.to_string();
        self
    }

    /// Sets `key` of the item `item` to `value`, written as TOML (`"Smith 2020"`), after its
    /// title: for the keys an item may have besides its id and title, such as `evidence`.
    /// Keys of an id that is not among the items when the TOML is built are left out.
    pub fn item_set(mut self, item: &str, key: &str, value: &str) -> ExerciseToml {
        match self
            .item_keys
            .iter_mut()
            .find(|(known_item, known_key, _)| known_item == item && known_key == key)
        {
            Some((_, _, old)) => *old = value.to_string(),
            None => self
                .item_keys
                .push((item.to_string(), key.to_string(), value.to_string())),
        }
        self
    }

    /// Replaces the rounds with `rounds`: `[[rounds]]` tables in TOML, separated by blank
    /// lines.
    pub fn rounds(mut self, rounds: &str) -> ExerciseToml {
        self.rounds = rounds.trim_start_matches('\n').to_string();
        self
    }

    /// The definition as TOML, laid out as [`TINY_EXERCISE`] is.
    pub fn build(&self) -> String {
        let mut toml = String::from("\n");
        for (key, value) in &self.keys {
            toml.push_str(&format!("{key} = {value}\n"));
        }
        for (id, label) in &self.groups {
            toml.push_str(&format!(
                "\n[[groups]]\nid = {}\nlabel = {}\n",
                quoted(id),
                quoted(label)
            ));
        }
        for (id, title) in &self.items {
            toml.push_str(&format!(
                "\n[[items]]\nid = {}\ntitle = {}\n",
                quoted(id),
                quoted(title)
            ));
            for (_, key, value) in self.item_keys.iter().filter(|(item, _, _)| item == id) {
                toml.push_str(&format!("{key} = {value}\n"));
            }
        }
        if !self.rounds.is_empty() {
            toml.push('\n');
            toml.push_str(&self.rounds);
        }
        toml
    }
}

/// `text` as a TOML basic string: in double quotes, with backslashes and quotes escaped.
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tiny_parts_make_the_tiny_exercise() {
        assert_eq!(ExerciseToml::tiny().build(), TINY_EXERCISE);
    }

    #[test]
    fn a_key_is_replaced_in_place_or_added_after_the_others() {
        let toml = ExerciseToml::tiny()
            .title("Tiny, again")
            .set("invite_only", "true")
            .build();
        assert!(
            toml.starts_with("\nid = \"tiny\"\ntitle = \"Tiny, again\"\ninvite_only = true\n\n")
        );
    }

    #[test]
    fn an_items_keys_follow_its_title() {
        let toml = ExerciseToml::tiny()
            .item_set("b", "evidence", "\"Smith 2020\"")
            .item_set("b", "evidence", "\"Jones 2021\"")
            .item_set("gone", "evidence", "\"nowhere\"")
            .build();
        assert!(
            toml.contains(
                "\n[[items]]\nid = \"b\"\ntitle = \"Item B\"\nevidence = \"Jones 2021\"\n\n[[items]]\nid = \"c\""
            ),
            "{toml}"
        );
        assert!(
            !toml.contains("Smith") && !toml.contains("nowhere"),
            "{toml}"
        );
    }

    #[test]
    fn an_item_is_added_after_the_others() {
        let toml = ExerciseToml::tiny().item("d", "Item D").build();
        assert_eq!(
            toml,
            TINY_EXERCISE.replace(
                "[[rounds]]\nid = \"ideas\"",
                "[[items]]\nid = \"d\"\ntitle = \"Item D\"\n\n[[rounds]]\nid = \"ideas\""
            )
        );
    }

    #[test]
    fn an_item_is_retitled_in_place() {
        assert_eq!(
            ExerciseToml::tiny()
                .item_title("b", "Item B, reworded")
                .build(),
            TINY_EXERCISE.replace("title = \"Item B\"", "title = \"Item B, reworded\"")
        );
    }

    #[test]
    fn titles_are_escaped() {
        assert_eq!(quoted(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
    }
}
