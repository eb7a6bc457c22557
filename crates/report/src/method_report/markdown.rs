//! The report as Markdown (CommonMark with GitHub's pipe tables), charts linked as PNG files
//! in `charts/` with their alt text.

use std::fmt::Write as _;

use super::ChartFile;
use super::document::{Align, Block, Document, Inline, Runs, Table};

/// Escapes text so that Markdown shows it as written and never as markup: every character
/// that can start emphasis, code, a link, an image, raw HTML, an entity, a heading, a quote, a
/// table cell or strikethrough (`\` `` ` `` `*` `_` `[` `]` `<` `>` `#` `|` `~` `&`) gets a
/// backslash; so do a leading `=`, `-`, `+` (a heading underline or a list marker) and a
/// `.` or `)` that follows leading digits and comes before a space or the end (an ordered
/// list marker). Line breaks become spaces, so that text
/// cannot start a new block, and control characters are dropped.
pub fn escape_markdown(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    let mut characters = text.chars().peekable();
    let mut at_start = true;
    let mut leading_digits = false;
    while let Some(character) = characters.next() {
        match character {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' => {
                escaped.push('\\');
                escaped.push(character);
            }
            '=' | '-' | '+' if at_start => {
                escaped.push('\\');
                escaped.push(character);
            }
            '.' | ')'
                if leading_digits && characters.peek().is_none_or(|next| next.is_whitespace()) =>
            {
                escaped.push('\\');
                escaped.push(character);
            }
            '\r' | '\n' => {
                // A CRLF pair is one break.
                if character == '\r' && characters.peek() == Some(&'\n') {
                    characters.next();
                }
                escaped.push(' ');
            }
            character if character.is_control() && character != '\t' => {}
            character => escaped.push(character),
        }
        leading_digits = character.is_ascii_digit() && (at_start || leading_digits);
        at_start = false;
    }
    escaped
}

/// The anchor GitHub gives a heading: lowercase, punctuation other than `-` and `_` removed,
/// spaces as hyphens. Used only for the program's own section titles.
fn github_anchor(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|character| match character {
            ' ' => Some('-'),
            '-' | '_' => Some(character),
            character if character.is_alphanumeric() => Some(character),
            _ => None,
        })
        .collect()
}

/// A code span holding `text` literally: fenced by more backticks than any run inside.
fn code_span(text: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(text) + 1);
    let padding = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{padding}{text}{padding}{fence}")
}

fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for character in text.chars() {
        if character == '`' {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

fn render_runs(runs: &Runs) -> String {
    let mut out = String::new();
    for run in &runs.0 {
        match run {
            Inline::Text(text) => out.push_str(&escape_markdown(text)),
            Inline::Strong(text) => {
                // Emphasis must not start or end with a space, or CommonMark shows the stars:
                // the spaces go outside.
                let inner = text.trim();
                let before = &text[..text.len() - text.trim_start().len()];
                let after = &text[text.trim_end().len()..];
                if inner.is_empty() {
                    out.push_str(text);
                } else {
                    let _ = write!(out, "{before}**{}**{after}", escape_markdown(inner));
                }
            }
            Inline::Code(text) => out.push_str(&code_span(text)),
        }
    }
    out.trim_start().to_string()
}

/// Renders the document as Markdown.
pub(crate) fn render(document: &Document, charts: &[ChartFile]) -> String {
    let mut out = String::with_capacity(128 * 1024);
    for block in &document.blocks {
        render_block(&mut out, block, document, charts);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn render_block(out: &mut String, block: &Block, document: &Document, charts: &[ChartFile]) {
    match block {
        Block::Heading { level, text, .. } => {
            let _ = writeln!(
                out,
                "{} {}",
                "#".repeat(usize::from(*level)),
                escape_markdown(text.trim())
            );
        }
        Block::Paragraph(runs) => {
            let _ = writeln!(out, "{}", render_runs(runs));
        }
        Block::Notice(runs) => {
            let _ = writeln!(out, "> {}", render_runs(runs));
        }
        Block::List(entries) => {
            for entry in entries {
                let _ = writeln!(out, "- {}", render_runs(entry));
            }
        }
        Block::Table(table) => render_table(out, table),
        Block::Figure(figure) => {
            let Some(file) = charts.get(figure.chart) else {
                return;
            };
            let alt = format!("{}. {}", file.chart.title, file.chart.alt_text);
            let _ = writeln!(
                out,
                "![{}](charts/{}.png)\n",
                escape_markdown(&alt),
                file.name
            );
            let _ = writeln!(
                out,
                "*Figure {}: {}* ([SVG](charts/{}.svg))",
                figure.number,
                escape_markdown(&file.chart.title),
                file.name
            );
        }
        Block::Code(text) => {
            let fence = "`".repeat(longest_backtick_run(text).max(2) + 1);
            let _ = writeln!(out, "{fence}\n{}\n{fence}", text.trim_end());
        }
        Block::Contents => {
            out.push_str("**Contents**\n\n");
            for (number, (_, text)) in document.sections().enumerate() {
                let _ = writeln!(
                    out,
                    "{}. [{}](#{})",
                    number + 1,
                    escape_markdown(text),
                    github_anchor(text)
                );
            }
        }
    }
}

fn render_table(out: &mut String, table: &Table) {
    let _ = writeln!(out, "**{}**\n", escape_markdown(&table.caption));
    let cell = |text: &str| {
        let escaped = escape_markdown(text.trim());
        if escaped.is_empty() {
            " ".to_string()
        } else {
            escaped
        }
    };
    let header: Vec<String> = table.columns.iter().map(|(name, _)| cell(name)).collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let rule: Vec<&str> = table
        .columns
        .iter()
        .map(|(_, align)| match align {
            Align::Left => "---",
            Align::Right => "---:",
        })
        .collect();
    let _ = writeln!(out, "| {} |", rule.join(" | "));
    for row in &table.rows {
        let cells: Vec<String> = (0..table.columns.len())
            .map(|column| cell(row.get(column).map_or("", String::as_str)))
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}
