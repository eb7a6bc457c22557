//! Delphi feedback in re-rating rounds, in words: the introduction and the text beside each item.

use survey::Exercise;
use survey::definition::FeedbackBy;

use super::round_form::{FeedbackIntro, FeedbackRow, ItemFeedbackHtml};
use crate::feedback::{Feedback, ItemFeedback, OwnRating, RoundFeedback, Withheld};
use crate::pages::forms::point_label;

// ---------------------------------------------------------------------------------------------
// Delphi feedback in re-rating rounds: words for what `feedback` computes.

/// "1 person", "12 people".
fn people(count: u64) -> String {
    if count == 1 {
        "1 person".to_string()
    } else {
        format!("{count} people")
    }
}

/// `count` as a whole percentage of `total`, rounded half up: "58%".
fn percent(count: u64, total: u64) -> String {
    if total == 0 {
        return "0%".to_string();
    }
    format!("{}%", (count * 200 + total) / (total * 2))
}

/// A median as people write it: "7", "6.5".
fn median_text(median: f64) -> String {
    if median.fract() == 0.0 {
        format!("{median:.0}")
    } else {
        format!("{median:.1}")
    }
}

/// "gave 5" or "gave 4 to 6".
fn band_text((low, high): (i32, i32)) -> String {
    if low == high {
        format!("gave {low}")
    } else {
        format!("gave {low} to {high}")
    }
}

/// The explanation at the top of a re-rating round, shown or withheld.
pub(super) fn intro(exercise: &Exercise, feedback: &Feedback) -> FeedbackIntro {
    match feedback {
        Feedback::Shown(shown) => feedback_intro(exercise, shown),
        Feedback::Withheld {
            from_title,
            from_number,
            reason,
        } => withheld_intro(from_title, *from_number, *reason),
    }
}

/// The explanation at the top of a re-rating round: what is shown, whose ratings, and whether
/// the earlier round is still open.
fn feedback_intro(exercise: &Exercise, feedback: &RoundFeedback) -> FeedbackIntro {
    let round = feedback.from_number;
    let group = exercise
        .group(&feedback.group)
        .map_or(feedback.group.clone(), |group| group.label.clone());
    let mut paragraphs = vec![format!(
        "Beside each topic you can see how you and others rated it in round {round} (“{}”). You can keep your rating or change it.",
        feedback.from_title
    )];
    paragraphs.push(match feedback.shown {
        FeedbackBy::Group => format!(
            "The ratings shown are those of your group, {group}: {} answered round {round}.",
            people(feedback.respondents)
        ),
        FeedbackBy::Overall
            if feedback.fell_back()
                && feedback.group_respondents < u64::from(feedback.disclosure_threshold) =>
        {
            format!(
                "Fewer than {} people in your group, {group}, answered round {round}, so to keep their answers anonymous you see everyone’s ratings instead: {} answered round {round}.",
                feedback.disclosure_threshold,
                people(feedback.respondents)
            )
        }
        FeedbackBy::Overall if feedback.fell_back() => format!(
            "To keep the answers of a smaller group anonymous, your group, {group}, is not shown on its own, so you see everyone’s ratings instead: {} answered round {round}.",
            people(feedback.respondents)
        ),
        FeedbackBy::Overall => format!(
            "The ratings shown are everyone’s: {} answered round {round}.",
            people(feedback.respondents)
        ),
    });
    if !feedback.own_submitted {
        paragraphs.push(format!(
            "You did not submit answers in round {round}, so there is no rating of yours to show."
        ));
    }
    FeedbackIntro { paragraphs }
}

/// The explanation at the top of a re-rating round whose feedback is withheld: why no one's
/// ratings are shown.
pub(super) fn withheld_intro(
    from_title: &str,
    from_number: usize,
    reason: Withheld,
) -> FeedbackIntro {
    let round = from_number;
    let paragraph = match reason {
        Withheld::SourceNotClosed(_) => format!(
            "How people rated these topics in round {round} (“{from_title}”) will be shown here once round {round} has closed. Until then, rate each topic as you see it now."
        ),
        Withheld::TooFewAnswers { threshold } => format!(
            "Fewer than {threshold} people answered round {round} (“{from_title}”), so to keep their answers anonymous, how people rated these topics there is not shown."
        ),
        Withheld::RoundNotOpen(_) => {
            "This round is not open, so how people rated these topics earlier is not shown."
                .to_string()
        }
    };
    FeedbackIntro {
        paragraphs: vec![paragraph],
    }
}

/// The feedback beside one item: the own earlier rating, a one-sentence summary by bands with
/// the median, and a table of every point of the scale.
pub(super) fn item_feedback_html(
    feedback: &RoundFeedback,
    item: &ItemFeedback,
) -> ItemFeedbackHtml {
    let own = match item.own {
        OwnRating::Score(score) => Some(point_label(&feedback.labels, score)),
        OwnRating::DontKnow => Some("Don't know".to_string()),
        OwnRating::NotRated => None,
    };
    let whose = match feedback.shown {
        FeedbackBy::Group => " in your group",
        FeedbackBy::Overall => "",
    };
    let dont_know = match item.dont_know {
        0 => String::new(),
        1 => " 1 person said they don't know.".to_string(),
        count => format!(" {count} people said they don't know."),
    };
    let summary = if item.rated == 0 {
        format!("No one{whose} gave this a rating last time.{dont_know}")
    } else {
        let [bottom, middle, top] = feedback.bands();
        let mut parts: Vec<String> = Vec::new();
        for band in [top, middle, bottom] {
            if band.0 > band.1 {
                continue;
            }
            let count = feedback.band_count(item, band);
            parts.push(format!(
                "{count} ({}) {}",
                percent(count, item.rated),
                band_text(band)
            ));
        }
        let last = parts.pop().unwrap_or_default();
        let listed = if parts.is_empty() {
            last
        } else {
            format!("{} and {last}", parts.join(", "))
        };
        format!(
            "Last time, {}{whose} rated this: {listed}. The middle rating (median) was {}.{dont_know}",
            people(item.rated),
            item.median.map(median_text).unwrap_or_default(),
        )
    };
    // Highest point first, as the summary puts the top band first.
    let rows = item
        .counts
        .iter()
        .enumerate()
        .rev()
        .map(|(offset, &count)| FeedbackRow {
            label: point_label(&feedback.labels, feedback.min + offset as i32),
            count,
            share: percent(count, item.rated),
        })
        .collect();
    let caption = match feedback.shown {
        FeedbackBy::Group => format!("Ratings in round {} (your group)", feedback.from_number),
        FeedbackBy::Overall => format!("Ratings in round {} (everyone)", feedback.from_number),
    };
    let mut footnote = match item.median {
        Some(median) => format!(
            "{} gave a rating; the median was {}.",
            people(item.rated),
            median_text(median)
        ),
        None => "No one gave a rating.".to_string(),
    };
    footnote.push_str(&match item.dont_know {
        0 => " No one said they don't know.".to_string(),
        count => format!(
            " {} said they don't know (not counted in the shares).",
            people(count)
        ),
    });
    ItemFeedbackHtml {
        id: format!("feedback-{}", item.item),
        own,
        summary,
        caption,
        rows,
        footnote,
    }
}
