use survey::Exercise;
use survey::responses::{Against, Responses, read_responses};

use super::*;
use crate::ranking::{RankingError, RankingRequest};

/// Three groups (one of a single person, under the disclosure threshold of 2), five items, and
/// three rounds: suggest, rate (1–5, mean, equal groups), rank (top 3 of four items, JLA points
/// by position).
const EXERCISE: &str = r#"
id = "small"
title = "A small exercise"
description = """
Three groups rate and rank five topics.

Made up for the tests."""
disclosure_threshold = 2

[[groups]]
id = "young-people"
label = "Young people"
description = "Young people in care."

[[groups]]
id = "carers"
label = "Carers"

[[groups]]
id = "workers"
label = "Social workers"

[[items]]
id = "housing"
title = "Housing"
theme = "Leaving care"

[[items]]
id = "mental-health"
title = "Mental health"
description = "Support for mental health."

[[items]]
id = "school"
title = "School"

[[items]]
id = "contact"
title = "Contact with family"

[[items]]
id = "advocacy"
title = "Advocacy"

[[rounds]]
id = "suggest"
kind = "suggest"
title = "Your questions"
question = "What should research answer?"
max_suggestions = 2

[[rounds]]
id = "rate"
kind = "rate"
title = "Rate the topics"
question = "How important is each topic?"
scale = { min = 1, max = 5, labels = { 1 = "Not important", 5 = "Very important" } }
allow_dont_know = true
method = "mean"
weighting = "equal-groups"

[[rounds]]
id = "rank"
kind = "rank"
title = "Rank the shortlist"
question = "Choose and order your top three."
top_k = 3
method = "points"
weighting = "jla-positions"
items = ["housing", "mental-health", "school", "contact"]
"#;

const SUGGESTIONS: &str = "respondent,group,text
y1,young-people,More help finding a home
y1,young-people,Support for mental health
y2,young-people,Schools
c1,carers,Contact with birth family
w1,workers,Advocacy
";

/// y4 gives every item 3 (straight-lining); y2 does not know about advocacy.
const RATINGS: &str = "respondent,group,item,rating
y1,young-people,housing,5
y1,young-people,mental-health,4
y1,young-people,school,3
y1,young-people,contact,2
y1,young-people,advocacy,1
y2,young-people,housing,5
y2,young-people,mental-health,5
y2,young-people,school,4
y2,young-people,contact,2
y2,young-people,advocacy,
y3,young-people,housing,4
y3,young-people,mental-health,5
y3,young-people,school,2
y3,young-people,contact,3
y3,young-people,advocacy,2
y4,young-people,housing,3
y4,young-people,mental-health,3
y4,young-people,school,3
y4,young-people,contact,3
y4,young-people,advocacy,3
c1,carers,housing,3
c1,carers,mental-health,4
c1,carers,school,5
c1,carers,contact,5
c1,carers,advocacy,2
c2,carers,housing,2
c2,carers,mental-health,4
c2,carers,school,5
c2,carers,contact,4
c2,carers,advocacy,1
w1,workers,housing,4
w1,workers,mental-health,2
w1,workers,school,1
w1,workers,contact,5
w1,workers,advocacy,3
";

/// y4 does not rank (drops out); c3 ranks without having rated (new); y3 ranks two items.
const RANKINGS: &str = "respondent,group,item,rank
y1,young-people,housing,1
y1,young-people,mental-health,2
y1,young-people,school,3
y2,young-people,mental-health,1
y2,young-people,housing,2
y2,young-people,contact,3
y3,young-people,housing,1
y3,young-people,mental-health,2
c1,carers,school,1
c1,carers,contact,2
c1,carers,mental-health,3
c2,carers,contact,1
c2,carers,school,2
c2,carers,housing,3
c3,carers,school,1
c3,carers,mental-health,2
c3,carers,contact,3
w1,workers,contact,1
w1,workers,housing,2
w1,workers,school,3
";

const SCRIPT: &str = "<script>alert(1)</script>";
const IMAGE: &str = "\"><img src=x onerror=alert(1)>";
const FORMULA: &str = "=HYPERLINK(\"http://x\",\"y\")";

fn exercise(source: &str) -> Exercise {
    Exercise::parse(source, "exercise.toml").expect("the test exercise is valid")
}

fn read(exercise: &Exercise, round: &str, text: &str) -> Responses {
    let round = exercise.round(round).expect("the round exists");
    read_responses(
        text.as_bytes(),
        &format!("{}.csv", round.id),
        Some(Against { exercise, round }),
    )
    .expect("the test responses are valid")
    .responses
}

fn sha256(text: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn source(name: &str, text: &str) -> SourceFile {
    SourceFile {
        name: name.to_string(),
        sha256: sha256(text),
    }
}

/// The report of the small exercise: 20 bootstrap resamples with seed 7, every method compared.
fn small_report(source_text: &str, simulated: bool) -> MethodReport {
    let exercise = exercise(source_text);
    let suggestions = read(&exercise, "suggest", SUGGESTIONS);
    let ratings = read(&exercise, "rate", RATINGS);
    let rankings = read(&exercise, "rank", RANKINGS);
    let request = |text: &str| RankingRequest {
        methods: vec!["all".to_string()],
        top_k: 3,
        bootstrap: Some(20),
        seed: 7,
        sha256: sha256(text),
        ..RankingRequest::default()
    };
    let rate_round = exercise.round("rate").unwrap();
    let rank_round_ = exercise.round("rank").unwrap();
    let rated = rank_round(&ratings, &exercise, rate_round, &request(RATINGS), None).unwrap();
    let ranked = rank_round(&rankings, &exercise, rank_round_, &request(RANKINGS), None).unwrap();
    let input = ReportInput {
        exercise: &exercise,
        exercise_source: source("exercise.toml", source_text),
        rounds: vec![
            // Given out of order: the report follows the exercise.
            RoundData {
                round: rank_round_,
                source: source("rank.csv", RANKINGS),
                responses: &rankings,
                results: Some(ranked.document),
                notes: ranked.notes,
            },
            RoundData {
                round: exercise.round("suggest").unwrap(),
                source: source("suggest.csv", SUGGESTIONS),
                responses: &suggestions,
                results: None,
                notes: Vec::new(),
            },
            RoundData {
                round: rate_round,
                source: source("rate.csv", RATINGS),
                responses: &ratings,
                results: Some(rated.document),
                notes: rated.notes,
            },
        ],
        command: "prioritise report suggest.csv rate.csv rank.csv --exercise exercise.toml \
                  --out report --bootstrap 20 --seed 7 --top 3"
            .to_string(),
        program: format!("prioritise {}", env!("CARGO_PKG_VERSION")),
        simulated,
    };
    method_report(&input).unwrap()
}

/// The small exercise with a disclosure threshold of 1: every group is shown on its own.
fn every_group_shown() -> String {
    EXERCISE.replace("disclosure_threshold = 2", "disclosure_threshold = 1")
}

/// The program version changes with every release; nothing else needs redacting.
fn redact(text: &str) -> String {
    text.replace(
        &format!("prioritise {}", env!("CARGO_PKG_VERSION")),
        "prioritise [version]",
    )
}

#[test]
fn markdown_snapshot() {
    let report = small_report(EXERCISE, true);
    insta::assert_snapshot!("small.md", redact(&report.markdown));
}

#[test]
fn results_json_snapshot() {
    let report = small_report(EXERCISE, true);
    insta::assert_snapshot!("small.results.json", redact(&report.results_json));
}

#[test]
fn results_csv_snapshot() {
    let report = small_report(EXERCISE, true);
    insta::assert_snapshot!("small.results.csv", redact(&report.results_csv));
}

#[test]
fn the_report_is_deterministic() {
    let first = small_report(EXERCISE, false);
    let second = small_report(EXERCISE, false);
    assert_eq!(first.html, second.html);
    assert_eq!(first.markdown, second.markdown);
    assert_eq!(first.results_json, second.results_json);
    for (a, b) in first.charts.iter().zip(&second.charts) {
        assert_eq!(a.chart.png, b.chart.png, "{}", a.name);
    }
}

/// Participation, drop-out, suggestions, straight-lining and partial rankings, counted by hand
/// from the fixtures above.
#[test]
fn participation_and_drop_out_are_counted_from_the_respondent_ids() {
    let report = small_report(&every_group_shown(), false);
    let markdown = &report.markdown;
    // Suggest: y1, y2, c1, w1 = 4; rate: y1–y4, c1, c2, w1 = 7; rank: y1–y3, c1–c3, w1 = 7.
    assert!(
        markdown.contains("| Young people | 2 | 4 | 3 |"),
        "{markdown}"
    );
    assert!(markdown.contains("| Carers | 1 | 2 | 3 |"), "{markdown}");
    assert!(
        markdown.contains("| All groups | 4 | 7 | 7 |"),
        "{markdown}"
    );
    // Round 2 to 3: of 7 raters, 6 ranked (y4 dropped out) and c3 joined.
    assert!(
        markdown.contains(
            "Of the 7 people who answered round 2, 6 also answered round 3 (1 dropped out); 1 \
             answered round 3 without having answered round 2."
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("| Young people | 4 | 3 | 1 | 75% | 0 |"),
        "{markdown}"
    );
    // Round 1 to 2: all 4 suggesters rated, and 3 raters had not suggested.
    assert!(
        markdown.contains("Of the 4 people who answered round 1, 4 also answered round 2"),
        "{markdown}"
    );
    // Suggestions per group: young people 2 people and 3 suggestions.
    assert!(markdown.contains("| Young people | 2 | 3 |"), "{markdown}");
    // y4 rated every item 3: one straight-liner among the young people.
    assert!(
        markdown.contains("Straight-lining: 1 respondent gave"),
        "{markdown}"
    );
    assert!(markdown.contains("| Young people | 1 | 4 |"), "{markdown}");
    // y3 ranked two of the three places.
    assert!(
        markdown.contains("1 respondent ranked fewer than 3 items"),
        "{markdown}"
    );
    // With the threshold of 2, the single social worker is pooled, and in round 2 the carers
    // (the smallest group shown otherwise) join the pool so that it reaches 2.
    let markdown = small_report(EXERCISE, false).markdown;
    assert!(
        markdown.contains(
            "Small groups: Carers and Social workers are pooled as “other groups” (a group had \
             fewer than 2 respondents, and the pool must reach that many)"
        ),
        "{markdown}"
    );
}

#[test]
fn the_method_is_explained_from_the_settings() {
    let report = small_report(EXERCISE, false);
    let markdown = &report.markdown;
    assert!(
        markdown.contains(
            "each person's ranking gave 3 points to their first choice, 2 to their second and \
             1 to their third"
        ),
        "{markdown}"
    );
    assert!(markdown.contains("score(i)  = Σ_g (m + 1 − rank_g(i))   with m = 4"));
    assert!(markdown.contains("w_r = 1 / n_g for person r in group g of n_g people"));
    assert!(markdown.contains("score(i) = Σ_r w_r · x_r(i) / Σ_r w_r"));
    // The comparison: every other method that fits, rand-ucla left out under equal groups.
    assert!(markdown.contains("rand-ucla left out"), "{markdown}");
    assert!(markdown.contains("| Item | mean | median | top-box | delphi |"));
    assert!(!markdown.contains("Simulated data."));
}

#[test]
fn only_the_rounds_own_method_is_bootstrapped() {
    let exercise = exercise(EXERCISE);
    let ratings = read(&exercise, "rate", RATINGS);
    let request = RankingRequest {
        methods: vec!["median".to_string()],
        top_k: 3,
        bootstrap: Some(10),
        seed: 3,
        ..RankingRequest::default()
    };
    let ranked = rank_round(
        &ratings,
        &exercise,
        exercise.round("rate").unwrap(),
        &request,
        None,
    )
    .unwrap();
    let methods: Vec<&str> = ranked
        .document
        .results
        .iter()
        .map(|entry| entry.method.as_str())
        .collect();
    // The round's own method first, then the one asked for, then delphi for the consensus.
    assert_eq!(methods, ["mean", "median", "delphi"]);
    assert!(
        ranked.document.results[0]
            .ranking
            .iter()
            .all(|row| row.rank_interval.is_some())
    );
    assert!(
        ranked.document.results[1..]
            .iter()
            .all(|entry| entry.ranking.iter().all(|row| row.rank_interval.is_none()))
    );
    assert!(ranked.document.comparison.is_some());
    // An unknown name is the user's mistake, reported as such.
    let error = rank_round(
        &ratings,
        &exercise,
        exercise.round("rate").unwrap(),
        &RankingRequest {
            methods: vec!["bogus".to_string()],
            ..request
        },
        None,
    )
    .unwrap_err();
    assert!(
        matches!(error, RankingError::UnknownMethod { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("unknown method `bogus`"),
        "{error}"
    );
}

/// The HTML is also well-formed XML, so its structure can be checked exactly.
#[test]
fn html_is_accessible_and_self_contained() {
    let report = small_report(EXERCISE, true);
    let html = &report.html;
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    let document = roxmltree::Document::parse_with_options(
        html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .expect("the HTML is well-formed");
    let elements: Vec<roxmltree::Node<'_, '_>> = document
        .descendants()
        .filter(|node| node.is_element())
        .collect();
    let named = |name: &str| {
        elements
            .iter()
            .filter(|node| node.tag_name().name() == name)
            .count()
    };
    assert_eq!(named("h1"), 1);
    assert_eq!(named("script"), 0);
    assert_eq!(named("img"), 0);
    assert_eq!(named("link"), 0);
    assert_eq!(named("iframe"), 0);
    // Headings nest: none skips a level on the way down.
    let mut level = 0;
    for node in &elements {
        let name = node.tag_name().name();
        if let Some(digit) = name
            .strip_prefix('h')
            .and_then(|rest| rest.parse::<u8>().ok())
        {
            assert!(digit <= level + 1, "<{name}> after <h{level}>");
            level = digit;
        }
    }
    assert!(named("h2") >= 10);
    // Tables: a caption first, every header cell scoped.
    let tables: Vec<_> = elements
        .iter()
        .filter(|node| node.has_tag_name("table"))
        .collect();
    assert!(tables.len() > 20);
    for table in tables {
        let first = table.children().find(|node| node.is_element()).unwrap();
        assert!(first.has_tag_name("caption"));
        assert!(!first.text().unwrap_or_default().trim().is_empty());
        for header in table.descendants().filter(|node| node.has_tag_name("th")) {
            assert!(matches!(header.attribute("scope"), Some("col" | "row")));
        }
    }
    // Every chart is inline SVG with role="img" and a label, in a figure with a caption.
    let svgs: Vec<_> = elements
        .iter()
        .filter(|node| node.tag_name().name() == "svg")
        .collect();
    assert!(svgs.len() >= 8, "{} charts", svgs.len());
    for svg in svgs {
        assert_eq!(svg.attribute("role"), Some("img"));
        assert!(
            svg.attribute("aria-label")
                .is_some_and(|label| label.len() > 20)
        );
        let figure = svg.parent_element().unwrap();
        assert!(figure.has_tag_name("figure"));
        assert!(
            figure
                .children()
                .any(|node| node.has_tag_name("figcaption"))
        );
    }
    // Nothing is loaded from anywhere: no src attribute, links only within the page.
    for node in &elements {
        assert!(node.attribute("src").is_none());
        if let Some(target) = node.attribute("href") {
            assert!(target.starts_with('#'), "href={target}");
        }
    }
    // The simulated-data notice comes right after the title.
    let notice = elements
        .iter()
        .find(|node| node.attribute("class") == Some("notice"))
        .unwrap();
    assert!(
        notice
            .descendants()
            .filter_map(|node| node.text())
            .collect::<String>()
            .contains("Simulated data.")
    );
}

#[test]
fn every_chart_parses_and_every_file_is_listed() {
    let report = small_report(&every_group_shown(), false);
    let names: Vec<&str> = report
        .charts
        .iter()
        .map(|file| file.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "rank-top-priorities",
            "participation",
            "rate-top-priorities",
            "rate-rating-distribution",
            "rate-group-ranks",
            "rank-group-ranks",
            "rate-to-rank-movement",
            "rate-group-agreement",
            "rank-group-agreement",
            "rate-method-sensitivity",
            "rank-method-sensitivity",
        ]
    );
    for file in &report.charts {
        let svg = roxmltree::Document::parse(&file.chart.svg).expect("the SVG parses");
        assert_eq!(svg.root_element().tag_name().name(), "svg");
        // PNG signature, then the IHDR chunk with the stated size.
        let png = &file.chart.png;
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&png[12..16], b"IHDR");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
        assert_eq!((width, height), (file.chart.width, file.chart.height));
        assert!(
            report
                .markdown
                .contains(&format!("](charts/{}.png)", file.name)),
            "{} is not in the Markdown",
            file.name
        );
    }
    let files: Vec<String> = report.files().into_iter().map(|(name, _)| name).collect();
    assert_eq!(files.len(), report.charts.len() * 2 + 4);
    assert_eq!(
        &files[files.len() - 4..],
        ["results.json", "results.csv", "report.md", "report.html"]
    );
}

/// The exercise with hostile text in every place a person writes: the title, a group label,
/// item titles, a round's title and question, and a suggestion.
fn hostile_exercise() -> String {
    EXERCISE
        .replace(
            "title = \"A small exercise\"",
            &format!("title = '{SCRIPT}'"),
        )
        .replace("label = \"Carers\"", &format!("label = '{IMAGE}'"))
        .replace("label = \"Young people\"", &format!("label = '{FORMULA}'"))
        .replace("title = \"Housing\"", &format!("title = '{SCRIPT}'"))
        .replace("title = \"School\"", &format!("title = '{IMAGE}'"))
        .replace(
            "title = \"Contact with family\"",
            &format!("title = '{FORMULA}'"),
        )
        .replace(
            "title = \"Rate the topics\"",
            &format!("title = '{SCRIPT} | # *x* [a](b)'"),
        )
        .replace(
            "question = \"What should research answer?\"",
            &format!("question = '{IMAGE}'"),
        )
}

#[test]
fn text_from_people_is_only_ever_text() {
    let source_text = hostile_exercise();
    let exercise = exercise(&source_text);
    let suggestion = format!(
        "\"{}\"",
        format!("{FORMULA} {SCRIPT} {IMAGE}").replace('"', "\"\"")
    );
    let suggestions_text = format!("respondent,group,text\ny1,young-people,{suggestion}\n");
    let suggestions = read(&exercise, "suggest", &suggestions_text);
    let rankings = read(&exercise, "rank", RANKINGS);
    let round = exercise.round("rank").unwrap();
    let ranked = rank_round(
        &rankings,
        &exercise,
        round,
        &RankingRequest {
            methods: vec!["borda".to_string()],
            top_k: 3,
            bootstrap: Some(5),
            ..RankingRequest::default()
        },
        None,
    )
    .unwrap();
    let input = ReportInput {
        exercise: &exercise,
        exercise_source: source("exercise.toml", &source_text),
        rounds: vec![
            RoundData {
                round: exercise.round("suggest").unwrap(),
                source: source(&format!("{SCRIPT}.csv"), &suggestions_text),
                responses: &suggestions,
                results: None,
                notes: vec![format!("a note about {IMAGE}")],
            },
            RoundData {
                round,
                source: source("rank.csv", RANKINGS),
                responses: &rankings,
                results: Some(ranked.document),
                notes: Vec::new(),
            },
        ],
        command: "prioritise report".to_string(),
        program: "prioritise test".to_string(),
        simulated: false,
    };
    let report = method_report(&input).unwrap();

    // HTML: parses, has no element a label could have made, and shows the labels escaped.
    let html = &report.html;
    let document = roxmltree::Document::parse_with_options(
        html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .expect("the HTML is well-formed");
    for node in document.descendants().filter(|node| node.is_element()) {
        assert!(
            !matches!(node.tag_name().name(), "script" | "img"),
            "a <{}> element",
            node.tag_name().name()
        );
        assert!(node.attribute("onerror").is_none());
    }
    assert!(!html.contains("<script"));
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // Read back as text, the labels are exactly as written, in the title, a table and a list.
    let text: String = document
        .descendants()
        .filter_map(|node| node.text())
        .collect();
    assert!(text.contains(SCRIPT));
    assert!(text.contains(IMAGE));
    assert!(text.contains(FORMULA));
    assert_eq!(
        document
            .descendants()
            .find(|node| node.has_tag_name("title"))
            .and_then(|node| node.text()),
        Some(format!("{SCRIPT}: how the priorities were set").as_str())
    );

    // Markdown: no raw tag, every metacharacter escaped, no cell starting a formula.
    let markdown = &report.markdown;
    let unescaped = |needle: &str| {
        markdown
            .match_indices(needle)
            .any(|(at, _)| !markdown[..at].ends_with('\\'))
    };
    assert!(!unescaped("<script"), "{markdown}");
    assert!(!unescaped("<img"), "{markdown}");
    assert!(markdown.contains(r"\<script\>alert(1)\</script\>"));
    assert!(markdown.contains(r#""\>\<img src=x onerror=alert(1)\>"#));
    assert!(markdown.starts_with(r"# \<script\>alert(1)\</script\>: how the priorities"));
    assert!(markdown.contains(r"\| \# \*x\* \[a\](b)"));
    assert!(markdown.contains(r#"| \=HYPERLINK("http://x","y") |"#));
    assert!(!markdown.contains("| =HYPERLINK"));

    // SVG: the charts escape the labels themselves.
    let mut seen_label = false;
    for file in &report.charts {
        let svg = &file.chart.svg;
        assert!(!svg.contains("<script"), "{}", file.name);
        assert!(!svg.contains("<img"), "{}", file.name);
        roxmltree::Document::parse(svg).expect("the SVG parses");
        seen_label |= svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }
    assert!(seen_label, "no chart shows the hostile item label");

    // CSV: a label that would run as a formula is neutralised with a leading quote.
    let mut reader = csv::Reader::from_reader(report.results_csv.as_bytes());
    let mut formula_cells = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(!cell.starts_with('='), "{cell}");
            if cell == format!("'{FORMULA}") {
                formula_cells += 1;
            }
        }
    }
    assert!(formula_cells > 0, "{}", report.results_csv);
}

fn check_markdown(input: &str, expected: &str) {
    assert_eq!(escape_markdown(input), expected, "{input:?}");
}

#[test]
fn markdown_metacharacters_are_escaped() {
    check_markdown("plain text, 3 items.", "plain text, 3 items.");
    check_markdown("*bold* _it_ `code`", r"\*bold\* \_it\_ \`code\`");
    check_markdown("[a](http://x) ![i](y)", r"\[a\](http://x) !\[i\](y)");
    check_markdown("<b>&amp;</b>", r"\<b\>\&amp;\</b\>");
    check_markdown("a | b", r"a \| b");
    check_markdown("# heading", r"\# heading");
    check_markdown("> quote", r"\> quote");
    check_markdown("~~struck~~", r"\~\~struck\~\~");
    check_markdown(r"back\slash", r"back\\slash");
    check_markdown("=SUM(A1)", r"\=SUM(A1)");
    check_markdown("- item", r"\- item");
    check_markdown("+ item", r"\+ item");
    check_markdown("a - b = c", "a - b = c");
    check_markdown("1. first", r"1\. first");
    check_markdown("12) twelfth", r"12\) twelfth");
    check_markdown("0.93", "0.93");
    check_markdown("1.", r"1\.");
    check_markdown("line one\nline two\r\nthree", "line one line two three");
    check_markdown("bell\u{7}", "bell");
}

#[test]
fn html_metacharacters_are_escaped() {
    assert_eq!(
        escape_html("<a href=\"x\">Tom & Jerry's</a>"),
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
    );
    assert_eq!(escape_html("line\nbreak\ttab"), "line\nbreak\ttab");
    assert_eq!(escape_html("bell\u{7}"), "bell\u{FFFD}");
}

#[test]
fn a_round_given_twice_or_not_in_the_exercise_is_refused() {
    let exercise = exercise(EXERCISE);
    let suggestions = read(&exercise, "suggest", SUGGESTIONS);
    let round = exercise.round("suggest").unwrap();
    let data = RoundData {
        round,
        source: source("suggest.csv", SUGGESTIONS),
        responses: &suggestions,
        results: None,
        notes: Vec::new(),
    };
    let mut input = ReportInput {
        exercise: &exercise,
        exercise_source: source("exercise.toml", EXERCISE),
        rounds: vec![data.clone(), data.clone()],
        command: String::new(),
        program: String::new(),
        simulated: false,
    };
    assert!(matches!(
        method_report(&input),
        Err(ReportError::DuplicateRound(round)) if round == "suggest"
    ));
    let other = self::exercise(&EXERCISE.replace("id = \"suggest\"", "id = \"ideas\""));
    input.rounds = vec![RoundData {
        round: other.round("ideas").unwrap(),
        ..data
    }];
    assert!(matches!(
        method_report(&input),
        Err(ReportError::UnknownRound(round)) if round == "ideas"
    ));
}

mod delphi;
mod disclosure;
mod order;
