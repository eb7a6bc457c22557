//! Mapping files: which questions hold the group and the answers, and which id each label
//! gets, for exports where inference is not enough.

use std::collections::BTreeMap;

use crate::ImportError;

/// A mapping file (TOML). Every key is optional:
///
/// ```toml
/// group_question = "Which group best describes you?"
/// question = "Please rank these topics"
///
/// [items]
/// "Early help" = "early-help"
///
/// [groups]
/// "Parents and carers" = "parents"
///
/// [scale]
/// "Very useful" = 5
/// "Quite useful" = 4
/// ```
///
/// `group_question` and `question` are text contained in the questions' headers (ignoring
/// case); labels under `items` and `groups` match the export's labels ignoring case and
/// surrounding spaces, and their ids must be slugs. `[scale]` gives the point of each rating
/// label in words (the same matching); when present it replaces the scales recognised in words
/// (numbers are still read as numbers), and a label not under it is an error. Labels not listed are mapped as without
/// a mapping file. `prioritise import --draft-mapping` writes the mapping an import used, to
/// edit.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Text contained in the header of the group question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_question: Option<String>,
    /// Text contained in the header of the ranking or rating question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// Item label to item id.
    #[serde(default)]
    pub items: BTreeMap<String, String>,
    /// Group answer to group id.
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
    /// Rating label in words to its point.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub scale: BTreeMap<String, i32>,
}

impl Mapping {
    /// Reads a mapping file.
    ///
    /// # Errors
    /// [`ImportError::Mapping`] for malformed TOML, an unknown key, or an id that is not a slug.
    pub fn parse(text: &str, source_name: &str) -> Result<Mapping, ImportError> {
        let error = |message: String| ImportError::Mapping {
            source_name: source_name.to_string(),
            message,
        };
        let mapping: Mapping =
            toml::from_str(text).map_err(|problem| error(problem.message().to_string()))?;
        for (table, entries) in [("items", &mapping.items), ("groups", &mapping.groups)] {
            for (label, id) in entries {
                survey::Slug::new(id)
                    .map_err(|problem| error(format!("[{table}] `{label}`: {problem}")))?;
            }
        }
        Ok(mapping)
    }

    /// The mapping as a TOML file, with a comment saying how to use it.
    pub fn to_toml(&self) -> String {
        // Strings and maps of strings always serialise.
        let body = toml::to_string(self).expect("a mapping of strings serialises");
        format!(
            "# A mapping for `prioritise import --mapping`: edit the questions (text contained in\n# their headers) and the ids (lowercase slugs) given to each label, then import again.\n{body}"
        )
    }
}
