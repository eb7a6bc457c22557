//! Mapping the export's labels to an exercise's ids (or to slugs).

use std::collections::{BTreeMap, HashMap};

use survey::Exercise;

use crate::{ImportError, Table, slug_of};

/// Ids an exercise offers, each with the names (title, or id and label) that match it.
type Candidates = Vec<(String, Vec<String>)>;

/// Maps labels to ids: exercise titles (or group labels and ids) when an exercise is given,
/// slugs otherwise.
pub(crate) fn map_labels(
    table: &Table,
    what: &'static str,
    labels: &[String],
    known: Option<(&Exercise, Candidates)>,
    overrides: Option<&BTreeMap<String, String>>,
) -> Result<HashMap<String, String>, ImportError> {
    let mut mapping = HashMap::new();
    let mut by_id: HashMap<String, String> = HashMap::new();
    let mut unmatched = Vec::new();
    for label in labels {
        let folded = label.trim().to_lowercase();
        let overridden = overrides.and_then(|overrides| {
            overrides
                .iter()
                .find(|(key, _)| key.trim().to_lowercase() == folded)
                .map(|(_, id)| id.clone())
        });
        let id = match (&known, overridden) {
            (Some((_, candidates)), Some(id)) => {
                if candidates.iter().any(|(known_id, _)| *known_id == id) {
                    id
                } else {
                    unmatched.push(label.clone());
                    continue;
                }
            }
            (None, Some(id)) => id,
            (known, None) => match known {
                Some((_, candidates)) => {
                    let folded = label.trim().to_lowercase();
                    match candidates.iter().find(|(_, names)| {
                        names
                            .iter()
                            .any(|name| name.trim().to_lowercase() == folded)
                    }) {
                        Some((id, _)) => id.clone(),
                        None => {
                            unmatched.push(label.clone());
                            continue;
                        }
                    }
                }
                None => slug_of(label),
            },
        };
        if let Some(first) = by_id.get(&id)
            && first != label
        {
            return Err(ImportError::DuplicateId {
                source_name: table.source_name.clone(),
                what,
                first: first.clone(),
                second: label.clone(),
                id,
            });
        }
        by_id.insert(id.clone(), label.clone());
        mapping.insert(label.clone(), id);
    }
    if let Some((exercise, candidates)) = known
        && !unmatched.is_empty()
    {
        return Err(ImportError::Unmatched {
            source_name: table.source_name.clone(),
            what,
            exercise: exercise.id.to_string(),
            unmatched,
            known: candidates
                .into_iter()
                .filter_map(|(_, mut names)| names.pop())
                .collect(),
        });
    }
    Ok(mapping)
}
