//! The results as plain text tables for a terminal, readable in 80 columns.

use crate::numbers;
use std::fmt::Write;

use crate::results::{
    AgreementEntry, ComparisonEntry, ConsensusEntry, MethodDetails, MethodEntry, RankingRow,
    ResultsDocument,
};

/// The width tables are laid out for.
pub const WIDTH: usize = 80;

/// Makes untrusted text safe to print on a terminal: control characters (which could move the
/// cursor or change colours) become `?`.
pub fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|character| {
            if character.is_control() {
                '?'
            } else {
                character
            }
        })
        .collect()
}

/// Writes a line of prose, wrapped at [`WIDTH`] columns, continuation lines indented by
/// `indent` spaces more than the first.
fn prose(output: &mut String, first_indent: usize, text: &str) {
    let first = " ".repeat(first_indent);
    let rest = " ".repeat(first_indent + 4);
    let options = textwrap::Options::new(WIDTH)
        .initial_indent(&first)
        .subsequent_indent(&rest)
        .break_words(true);
    for line in textwrap::wrap(text, options) {
        output.push_str(&line);
        output.push('\n');
    }
}

/// Shortens `text` to at most `width` characters, ending with `…` when cut.
fn fit(text: &str, width: usize) -> String {
    let text = terminal_safe(text);
    if text.chars().count() <= width {
        return text;
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn agreement_line(label: &str, entry: &AgreementEntry) -> String {
    match (&entry.undefined, entry.kendall_w) {
        (Some(reason), _) => format!("{label}: undefined ({reason})"),
        (None, Some(w)) => {
            let mut line = format!(
                "{label}: W = {w:.3}, chi-square = {:.1}, df = {}, {}, {} raters",
                entry.chi_square.unwrap_or(f64::NAN),
                entry.df.unwrap_or(0),
                numbers::p_value(entry.p_value.unwrap_or(f64::NAN)),
                entry.raters.unwrap_or(0)
            );
            if let Some(left_out) = entry.left_out.filter(|&count| count > 0) {
                let _ = write!(line, " ({left_out} left out: not every item rated)");
            }
            line
        }
        (None, None) => format!("{label}: undefined"),
    }
}

fn ranking_table(output: &mut String, rows: &[RankingRow], top_k: usize, top_k_label: usize) {
    let uncertain = rows.iter().any(|row| row.rank_interval.is_some());
    let classed = rows.iter().any(|row| row.class.is_some());
    // rank(4) + 2 + label + 2 + numbers::score_for_terminal(10) [+ 2 + interval(9) + 2 + p(9)] [+ 2 + class(13)]
    let mut label_width = WIDTH - 4 - 2 - 2 - 10;
    if uncertain {
        label_width -= 2 + 9 + 2 + 9;
    }
    if classed {
        label_width -= 2 + 13;
    }
    let _ = write!(
        output,
        "{:>4}  {:<label_width$}  {:>10}",
        "Rank", "Item", "Score"
    );
    if uncertain {
        let _ = write!(
            output,
            "  {:>9}  {:>9}",
            "Rank 95%",
            format!("P(top {top_k_label})")
        );
    }
    if classed {
        let _ = write!(output, "  {:<13}", "Class");
    }
    output.truncate(output.trim_end_matches(' ').len());
    output.push('\n');
    let shown = rows.iter().filter(|row| row.rank <= top_k);
    for row in shown {
        let _ = write!(
            output,
            "{:>4}  {:<label_width$}  {:>10}",
            row.rank,
            fit(&row.label, label_width),
            numbers::score_for_terminal(row.score)
        );
        if uncertain {
            let interval = row
                .rank_interval
                .map(|[low, high]| {
                    if low == high {
                        low.to_string()
                    } else {
                        format!("{low}-{high}")
                    }
                })
                .unwrap_or_default();
            let p_top = row.p_top.map(|p| format!("{p:.2}")).unwrap_or_default();
            let _ = write!(output, "  {interval:>9}  {p_top:>9}");
        }
        if classed {
            let _ = write!(output, "  {:<13}", row.class.as_deref().unwrap_or(""));
        }
        output.truncate(output.trim_end_matches(' ').len());
        output.push('\n');
    }
    let hidden = rows.iter().filter(|row| row.rank > top_k).count();
    if hidden > 0 {
        let _ = writeln!(
            output,
            "      ... and {hidden} more (use --top to show more, or --format json)"
        );
    }
}

/// Renders the document as text: each method's overall list (the top k), each group's top k
/// when `by_group`, agreement, the comparison of methods, and notes on exclusions and
/// suppressed groups.
pub fn results_table(document: &ResultsDocument, by_group: bool) -> String {
    let mut output = String::new();
    for entry in &document.results {
        method_section(&mut output, document, entry, by_group);
    }
    if let Some(agreement) = &document.agreement {
        agreement_section(&mut output, agreement, by_group);
    }
    if let Some(consensus) = &document.group_consensus {
        consensus_section(&mut output, document, consensus);
    }
    if let Some(comparison) = &document.comparison {
        comparison_section(&mut output, comparison);
    }
    input_notes(&mut output, document);
    output.truncate(output.trim_end().len());
    output.push('\n');
    output
}

/// Writes one method's overall list, its Kemeny objective, the groups it cannot rank alone,
/// and each group's list when `by_group`.
fn method_section(
    output: &mut String,
    document: &ResultsDocument,
    entry: &MethodEntry,
    by_group: bool,
) {
    let top_k = document.settings.top_k;
    prose(
        output,
        0,
        &format!(
            "{} ({} weighting): {} respondents, {} items",
            entry.method, entry.weighting, document.input.respondents, document.input.items
        ),
    );
    ranking_table(output, &entry.ranking, top_k, top_k);
    if let Some(MethodDetails::Kemeny(kemeny)) = &entry.details {
        // The objective is shown as the JSON writes it (`12.0`, `null` when not finite).
        let objective = serde_json::Value::from(kemeny.objective);
        let _ = writeln!(
            output,
            "      Kemeny objective {objective} ({})",
            if kemeny.exact {
                "exact optimum"
            } else {
                "heuristic; see the lower bound in --format json"
            }
        );
    }
    if let Some(first) = entry.group_failures.first() {
        let names: Vec<String> = entry
            .group_failures
            .iter()
            .map(|failure| terminal_safe(&failure.group))
            .collect();
        prose(
            output,
            6,
            &format!(
                "Note: {} cannot rank {} alone ({}): {}",
                entry.method,
                if names.len() == 1 {
                    "this group".to_string()
                } else {
                    format!("{} groups", names.len())
                },
                names.join(", "),
                first.reason
            ),
        );
    }
    if by_group {
        for group in &entry.groups {
            let _ = writeln!(
                output,
                "\n{} ({} respondents, {} alone):",
                terminal_safe(&group.group),
                group.respondents,
                entry.method
            );
            ranking_table(output, &group.ranking, top_k, top_k);
        }
    }
    output.push('\n');
}

/// Writes Kendall's W for all respondents and, when `by_group`, for each group.
fn agreement_section(output: &mut String, agreement: &AgreementEntry, by_group: bool) {
    let _ = writeln!(output, "Agreement (Kendall's W)");
    prose(output, 2, &agreement_line("all respondents", agreement));
    if by_group {
        for group in &agreement.groups {
            prose(
                output,
                2,
                &agreement_line(&terminal_safe(&group.group), &group.agreement),
            );
        }
    }
    output.push('\n');
}

/// Writes the items most agreed across groups.
fn consensus_section(output: &mut String, document: &ResultsDocument, consensus: &ConsensusEntry) {
    let top: Vec<String> = consensus
        .items
        .iter()
        .take(document.settings.top_k.min(5))
        .map(|entry| format!("{} ({:.2})", terminal_safe(&entry.item), entry.consensus))
        .collect();
    let _ = writeln!(
        output,
        "Group-informed consensus (rating {} or more agrees)",
        consensus.agree_from
    );
    prose(
        output,
        2,
        &format!("Most agreed across groups: {}", top.join(", ")),
    );
    output.push('\n');
}

/// Writes how each pair of methods compares and which items only some methods put in the top.
fn comparison_section(output: &mut String, comparison: &ComparisonEntry) {
    let _ = writeln!(output, "How the methods compare (top {})", comparison.top_k);
    for pair in &comparison.pairs {
        prose(
            output,
            2,
            &format!(
                "{} vs {}: rho = {}, tau-b = {}, {} of the top {} shared",
                pair.methods[0],
                pair.methods[1],
                pair.spearman_rho
                    .map(|value| format!("{value:.3}"))
                    .unwrap_or_else(|| "-".into()),
                pair.kendall_tau_b
                    .map(|value| format!("{value:.3}"))
                    .unwrap_or_else(|| "-".into()),
                pair.top_k_shared.len(),
                comparison.top_k
            ),
        );
    }
    if comparison.method_dependent.is_empty() {
        let _ = writeln!(
            output,
            "  The top {} is the same under every method.",
            comparison.top_k
        );
    } else {
        prose(
            output,
            2,
            &format!(
                "In the top {} under some methods but not all: {}",
                comparison.top_k,
                comparison
                    .method_dependent
                    .iter()
                    .map(|item| terminal_safe(item))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    output.push('\n');
}

/// Writes the notes on respondents left out and groups too small to show alone.
fn input_notes(output: &mut String, document: &ResultsDocument) {
    if !document.input.excluded.is_empty() {
        prose(
            output,
            0,
            &format!(
                "Note: {} respondents were left out (for example `{}`: {}).",
                document.input.excluded.len(),
                terminal_safe(&document.input.excluded[0].respondent),
                document.input.excluded[0].reason
            ),
        );
    }
    if !document.input.suppressed_groups.is_empty() {
        prose(
            output,
            0,
            &format!(
                "Note: {} count overall but are not shown alone: they are pooled as \"other \
                 groups\", because a group had fewer than {threshold} respondents and the pool \
                 must reach {threshold}.",
                document
                    .input
                    .suppressed_groups
                    .iter()
                    .map(|group| terminal_safe(group))
                    .collect::<Vec<_>>()
                    .join(", "),
                threshold = document.settings.disclosure_threshold,
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(terminal_safe("a\u{1b}[31mred\u{7}"), "a?[31mred?");
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
    }

    #[test]
    fn scores_are_short() {
        assert_eq!(numbers::score_for_terminal(Some(12.0)), "12");
        assert_eq!(numbers::score_for_terminal(Some(0.123456)), "0.123");
        assert_eq!(numbers::score_for_terminal(Some(150.5)), "150.5");
        assert_eq!(numbers::score_for_terminal(Some(-0.25)), "-0.25");
        assert_eq!(numbers::score_for_terminal(None), "-");
        assert_eq!(numbers::score_for_terminal(Some(12345678.0)), "1.235e7");
    }
}
