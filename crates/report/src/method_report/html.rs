//! The report as one self-contained HTML file: inline CSS, inline SVG charts, no script and
//! nothing loaded from anywhere else.
//!
//! The output is also well-formed XML (every element closed, only the five XML entities), so
//! that tests can check its structure with an XML parser, and it reads the same in any browser.

use std::fmt::Write as _;

use super::ChartFile;
use super::document::{Align, Block, Document, Inline, Runs, Table};
use crate::charts::RenderedChart;

/// Escapes text for HTML element content and for attribute values in double or single quotes:
/// `&`, `<`, `>`, `"` and `'` become entities, so that text from a person can only ever be
/// text.
pub fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in HTML or XML.
            character if character.is_control() && character != '\n' && character != '\t' => {
                escaped.push('\u{FFFD}');
            }
            character => escaped.push(character),
        }
    }
    escaped
}

const STYLE: &str = r#"
:root { color-scheme: light; }
body { margin: 0; background: #ffffff; color: #1a1a1a; font: 1rem/1.55 "DejaVu Sans", Verdana, "Segoe UI", Arial, sans-serif; }
main { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.5rem; margin: 2.75rem 0 0.75rem; padding-top: 0.75rem; border-top: 3px solid #1a1a1a; }
h3 { font-size: 1.2rem; margin: 2rem 0 0.5rem; }
h4 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
p, ul { max-width: 46rem; }
li { margin: 0.2rem 0; }
a { color: #1d4f91; }
a:focus { outline: 3px solid #ffbf47; outline-offset: 1px; }
code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
code { background: #f1f1f1; padding: 0 0.2em; border-radius: 2px; }
pre { background: #f4f4f4; border-left: 4px solid #6f6f6f; padding: 0.75rem 1rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
.notice { border: 4px solid #1a1a1a; background: #fff7bf; padding: 0.75rem 1rem; max-width: 46rem; font-size: 1.05rem; }
nav ol { columns: 2; max-width: 46rem; }
.table-wrap { overflow-x: auto; margin: 1rem 0 1.5rem; }
.table-wrap:focus { outline: 3px solid #ffbf47; }
table { border-collapse: collapse; font-size: 0.92rem; }
caption { text-align: left; font-weight: bold; padding: 0 0 0.4rem; }
th, td { border: 1px solid #b1b4b6; padding: 0.3rem 0.55rem; vertical-align: top; }
thead th { background: #e8e8e8; text-align: left; }
tbody th { font-weight: normal; text-align: left; }
.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 1.25rem 0 1.75rem; }
figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #d8d8d8; }
figcaption { font-weight: bold; margin-top: 0.4rem; }
details { margin-top: 0.3rem; max-width: 46rem; }
summary { cursor: pointer; color: #1d4f91; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav, details { display: none; }
  h2 { break-before: page; }
  h1 + .notice + p + nav + h2, h1 + p + nav + h2 { break-before: auto; }
  h2, h3, h4 { break-after: avoid; }
  figure, pre, tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Renders the document as an HTML page with its charts inline.
pub(crate) fn render(document: &Document, charts: &[ChartFile]) -> String {
    let mut out = String::with_capacity(256 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    let _ = writeln!(out, "<title>{}</title>", escape_html(&document.title));
    out.push_str("<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    for block in &document.blocks {
        render_block(&mut out, block, document, charts);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn render_runs(out: &mut String, runs: &Runs) {
    for run in &runs.0 {
        match run {
            Inline::Text(text) => out.push_str(&escape_html(text)),
            Inline::Strong(text) => {
                let _ = write!(out, "<strong>{}</strong>", escape_html(text));
            }
            Inline::Code(text) => {
                let _ = write!(out, "<code>{}</code>", escape_html(text));
            }
        }
    }
}

fn render_block(out: &mut String, block: &Block, document: &Document, charts: &[ChartFile]) {
    match block {
        Block::Heading {
            level,
            anchor,
            text,
        } => {
            let _ = writeln!(
                out,
                "<h{level} id=\"{}\">{}</h{level}>",
                escape_html(anchor),
                escape_html(text)
            );
        }
        Block::Paragraph(runs) => {
            out.push_str("<p>");
            render_runs(out, runs);
            out.push_str("</p>\n");
        }
        Block::Notice(runs) => {
            out.push_str("<p class=\"notice\">");
            render_runs(out, runs);
            out.push_str("</p>\n");
        }
        Block::List(entries) => {
            out.push_str("<ul>\n");
            for entry in entries {
                out.push_str("<li>");
                render_runs(out, entry);
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        Block::Table(table) => render_table(out, table),
        Block::Figure(figure) => {
            let Some(chart) = charts.get(figure.chart).map(|file| &file.chart) else {
                return;
            };
            let _ = writeln!(out, "<figure id=\"figure-{}\">", figure.number);
            out.push_str(&inline_svg(chart));
            let _ = writeln!(
                out,
                "<figcaption>Figure {}: {}</figcaption>",
                figure.number,
                escape_html(&chart.title)
            );
            let _ = writeln!(
                out,
                "<details><summary>Text description of figure {}</summary><p>{}</p></details>",
                figure.number,
                escape_html(&chart.alt_text)
            );
            out.push_str("</figure>\n");
        }
        Block::Code(text) => {
            let _ = writeln!(out, "<pre><code>{}</code></pre>", escape_html(text));
        }
        Block::Contents => {
            out.push_str("<nav aria-labelledby=\"contents-heading\">\n");
            out.push_str("<p id=\"contents-heading\"><strong>Contents</strong></p>\n<ol>\n");
            for (anchor, text) in document.sections() {
                let _ = writeln!(
                    out,
                    "<li><a href=\"#{}\">{}</a></li>",
                    escape_html(anchor),
                    escape_html(text)
                );
            }
            out.push_str("</ol>\n</nav>\n");
        }
    }
}

fn render_table(out: &mut String, table: &Table) {
    let _ = writeln!(
        out,
        "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
        escape_html(&table.caption)
    );
    out.push_str("<table>\n");
    let _ = writeln!(out, "<caption>{}</caption>", escape_html(&table.caption));
    out.push_str("<thead><tr>");
    for (name, align) in &table.columns {
        let class = match align {
            Align::Right => " class=\"number\"",
            Align::Left => "",
        };
        let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", escape_html(name));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (column, cell) in row.iter().enumerate() {
            let class = match table.columns.get(column).map(|(_, align)| *align) {
                Some(Align::Right) => " class=\"number\"",
                _ => "",
            };
            if table.row_header == Some(column) {
                let _ = write!(out, "<th scope=\"row\"{class}>{}</th>", escape_html(cell));
            } else {
                let _ = write!(out, "<td{class}>{}</td>", escape_html(cell));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// The chart's SVG with `role="img"` and its alt text as `aria-label` on the root element, so
/// that a screen reader announces the description rather than every label inside.
fn inline_svg(chart: &RenderedChart) -> String {
    crate::charts::svg_for_html(&chart.svg, &format!("{}. {}", chart.title, chart.alt_text))
}
