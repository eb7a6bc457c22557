//! Simulated suggestions: short texts about the items a group cares about, with
//! near-duplicates and some outside the item list.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::population::GroupView;
use crate::definition::Exercise;

/// Phrasings of a suggestion about a topic.
const TEMPLATES: [&str; 12] = [
    "How can we improve {topic}?",
    "What works to support {topic}?",
    "More research is needed on {topic}",
    "What is the impact of {topic} on children and families?",
    "Which approaches to {topic} make the biggest difference?",
    "Why do outcomes for {topic} vary so much between areas?",
    "{Topic}: what does good practice look like?",
    "How do we know if {topic} is getting better?",
    "What do young people say about {topic}?",
    "Is there evidence on {topic} that practitioners can use?",
    "Research on {topic} please",
    "{Topic} - what helps?",
];

/// Suggestions outside any exercise's item list.
const OFF_TOPIC: [&str; 8] = [
    "Better pay for foster carers",
    "Less paperwork so social workers can spend time with families",
    "Why is it so hard to get a consistent social worker?",
    "Support for siblings to stay together",
    "Access to therapy while waiting for CAMHS",
    "How can councils share data safely?",
    "What happens to young people after they leave care at 18?",
    "More youth clubs and things to do",
];

/// The text with its first letter in upper case.
fn capitalise(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}

/// The text with its first letter in lower case, unless it starts an acronym.
fn lower_first(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        // Keep acronyms such as "CAMHS" as they are.
        Some(first) if !characters.clone().next().is_some_and(char::is_uppercase) => {
            first.to_lowercase().chain(characters).collect()
        }
        _ => text.to_string(),
    }
}

/// Changes a suggestion slightly, the way people write the same thing differently.
fn perturb(text: &str, rng: &mut impl Rng) -> String {
    match rng.random_range(0..4) {
        0 => text.to_lowercase(),
        1 => text.trim_end_matches(['?', '.']).to_string(),
        2 => {
            let mut characters: Vec<char> = text.chars().collect();
            if characters.len() > 4 {
                let at = rng.random_range(1..characters.len() - 2);
                if characters[at].is_alphabetic() && characters[at + 1].is_alphabetic() {
                    characters.swap(at, at + 1);
                }
            }
            characters.into_iter().collect()
        }
        _ => format!("{} ", text.trim_end()).trim_end().to_string() + "!",
    }
}

/// The text cut to at most `max_characters`, trimmed.
fn truncate_to(text: &str, max_characters: usize) -> String {
    text.chars()
        .take(max_characters)
        .collect::<String>()
        .trim()
        .to_string()
}

/// One respondent's suggestions, with the item each was written about (`None`: outside the
/// item list). Shared by [`simulate_round`](super::simulate_round) and
/// [`simulate_suggestions`](super::simulate_suggestions) so that both give the
/// same texts.
pub(super) fn suggestions_of(
    exercise: &Exercise,
    view: &GroupView,
    max_suggestions: u32,
    max_length: u32,
    rng: &mut ChaCha8Rng,
) -> Vec<(String, Option<usize>)> {
    let count = if max_suggestions > 1 && rng.random_bool(0.5) {
        rng.random_range(1..=max_suggestions)
    } else {
        1
    };
    // Groups suggest what they care about: a softmax over their utilities.
    let weights: Vec<f64> = view
        .utilities
        .iter()
        .map(|utility| (1.5 * utility).exp())
        .collect();
    let total: f64 = weights.iter().sum();
    let mut suggestions = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let (text, topic) = if exercise.items.is_empty() || rng.random_bool(0.08) {
            (
                OFF_TOPIC[rng.random_range(0..OFF_TOPIC.len())].to_string(),
                None,
            )
        } else {
            let mut target = rng.random::<f64>() * total;
            let mut chosen = weights.len() - 1;
            for (index, weight) in weights.iter().enumerate() {
                if target < *weight {
                    chosen = index;
                    break;
                }
                target -= weight;
            }
            let topic = lower_first(&exercise.items[chosen].title);
            let template = TEMPLATES[rng.random_range(0..TEMPLATES.len())];
            let text = template
                .replace("{topic}", &topic)
                .replace("{Topic}", &capitalise(&topic));
            let text = if rng.random_bool(0.3) {
                perturb(&text, rng)
            } else {
                text
            };
            (text, Some(chosen))
        };
        let text = truncate_to(&text, max_length as usize);
        if !text.is_empty() {
            suggestions.push((text, topic));
        }
    }
    suggestions
}
