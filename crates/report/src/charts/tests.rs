use std::collections::BTreeSet;
use std::io::Cursor;

use plotters::prelude::{BitMapBackend, IntoDrawingArea};
use rank::analysis::{AnalysisOptions, analyse};
use rank::rating::DelphiClass;
use rank::{GroupWeighting, Method, Params, RankingProfileBuilder};
use survey::responses::ItemInfo;

use super::canvas::{self, Align, Axis, BODY_EM, Canvas, Output, SMALL_EM};
use super::*;
use crate::results::{Context, InputSummary, ResultsDocument, Settings, results_document};

const SCRIPT: &str = "<script>alert(1)</script>";
const IMAGE: &str = "\"><img src=x onerror=alert(1)>";

/// Realistic items of a children's social care exercise.
const ITEMS: [&str; 12] = [
    "Support for young people leaving care",
    "Reducing placement moves for children in care",
    "Mental health support for children in care",
    "Keeping brothers and sisters together",
    "Support for kinship carers",
    "Early help for families under stress",
    "Recruiting and keeping social workers",
    "Listening to children's views in decisions about their care",
    "Education of children in care",
    "Preventing child sexual exploitation",
    "Safely reducing the number of children entering care",
    "Support for parents who misuse drugs or alcohol",
];

const GROUPS: [&str; 4] = [
    "Young people with care experience",
    "Parents and carers",
    "Practitioners",
    "Researchers",
];

fn label(index: usize) -> String {
    ITEMS[index % ITEMS.len()].to_string()
}

fn top_priorities(labels: &[String]) -> TopPrioritiesChart {
    let bars = labels
        .iter()
        .enumerate()
        .map(|(index, label)| {
            let score = 812.0 - 41.5 * index as f64 - (index * index) as f64 * 1.5;
            PriorityBar {
                label: label.clone(),
                rank: index + 1,
                score: Some(score),
                score_interval: Some((score - 38.0 - index as f64 * 2.0, score + 35.0)),
                rank_interval: Some((index.saturating_sub(1) + 1, (index + 3).min(labels.len()))),
            }
        })
        .collect();
    TopPrioritiesChart {
        title: format!("Top {} priorities", labels.len()),
        subtitle: "Method: borda; weighting: equal-groups; 250 respondents. Whiskers: 95% \
                   bootstrap interval of the score."
            .to_string(),
        score_label: "borda score (higher is better)".to_string(),
        bars,
        note: "Rank interval: the 2.5th to 97.5th percentile of the item's rank over 1000 \
               bootstrap resamples of the respondents (seed 42)."
            .to_string(),
    }
}

fn heatmap(labels: &[String], groups: &[String]) -> GroupRankHeatmap {
    let rows = labels
        .iter()
        .enumerate()
        .map(|(index, label)| HeatmapRow {
            label: label.clone(),
            overall_rank: Some(index + 1),
            ranks: (0..groups.len())
                .map(|group| {
                    if group == 3 && index == 5 {
                        None
                    } else {
                        Some((index + group * (index % 3) + group) % labels.len() + 1)
                    }
                })
                .collect(),
        })
        .collect();
    GroupRankHeatmap {
        title: format!("Rank of the top {} items in each group", labels.len()),
        subtitle: "Method: borda. Each cell is the item's rank in that group's own ranking; 1 \
                   is the highest priority, and darker cells rank higher."
            .to_string(),
        groups: groups.to_vec(),
        rows,
        item_count: labels.len(),
        note: "Not shown on their own (fewer than 5 respondents): commissioners.".to_string(),
    }
}

fn agreement(groups: &[String]) -> GroupAgreementMatrix {
    let count = groups.len();
    let tau = (0..count)
        .map(|first| {
            (0..count)
                .map(|second| match (first.min(second), first.max(second)) {
                    (a, b) if a == b => None,
                    (0, 1) => Some(0.62),
                    (0, 2) => Some(0.41),
                    (0, 3) => Some(-0.12),
                    (1, 2) => Some(0.55),
                    (1, 3) => None,
                    _ => Some(0.08),
                })
                .collect()
        })
        .collect();
    GroupAgreementMatrix {
        title: "Agreement between groups (Kendall's τ-b)".to_string(),
        subtitle: "Method: borda. Each cell compares two groups' rankings of every item: 1 \
                   means the same order, 0 no relation, −1 the reverse order."
            .to_string(),
        groups: groups.to_vec(),
        tau,
        note: String::new(),
    }
}

fn sensitivity(labels: &[String]) -> MethodSensitivityChart {
    let methods = ["borda", "schulze", "kemeny", "plackett-luce"];
    let count = labels.len();
    let items = labels
        .iter()
        .enumerate()
        .map(|(index, label)| SensitivityItem {
            label: label.clone(),
            ranks: (0..methods.len())
                .map(|method| {
                    let shifted = match (index + method) % 4 {
                        0 => index,
                        1 => index + 1,
                        2 => index.saturating_sub(1),
                        _ => index + 2,
                    };
                    Some(shifted.min(count - 1) + 1)
                })
                .collect(),
        })
        .collect();
    MethodSensitivityChart {
        title: "How the ranking depends on the method".to_string(),
        subtitle: "Each line follows one item's rank under each method (weighting: \
                   equal-groups); the items shown are those in the top 10 under any method."
            .to_string(),
        methods: methods.iter().map(|method| method.to_string()).collect(),
        items,
        note: String::new(),
    }
}

fn participation(groups: &[String]) -> ParticipationChart {
    let rounds = vec![
        "Round 1: ranking".to_string(),
        "Round 2: rating".to_string(),
        "Round 3: final ranking".to_string(),
    ];
    let counts = [[92, 71, 60], [64, 52, 49], [58, 50, 41], [36, 31, 30]];
    ParticipationChart::new(
        rounds,
        groups
            .iter()
            .enumerate()
            .map(|(index, label)| ParticipationGroup {
                label: label.clone(),
                counts: counts[index % counts.len()].to_vec(),
            })
            .collect(),
    )
}

fn ratings(labels: &[String]) -> RatingDistributionChart {
    let items = labels
        .iter()
        .enumerate()
        .map(|(index, label)| {
            // Shift the weight from high ratings to low ones down the list.
            let counts = (0..9)
                .map(|rating| {
                    let centre = 8.0 - index as f64 * 0.6;
                    let distance = (rating as f64 - centre).abs();
                    (14.0 / (1.0 + distance * distance * 0.5)).round() as u64
                })
                .collect();
            RatingItem {
                item: format!("item-{index}"),
                label: label.clone(),
                counts,
                not_rated: (index % 3) as u64,
                consensus: Some(match index {
                    0..=2 => DelphiClass::ConsensusIn,
                    9.. => DelphiClass::ConsensusOut,
                    _ => DelphiClass::NoConsensus,
                }),
            }
        })
        .collect();
    let mut chart =
        RatingDistributionChart::new((1..=9).map(|rating| rating.to_string()).collect(), items);
    chart.note = "Consensus in: at least 70% rate 7–9 and under 15% rate 1–3; consensus out: \
                  the reverse."
        .to_string();
    chart
}

fn movement(labels: &[String]) -> RoundMovementChart {
    let count = labels.len();
    let items = labels
        .iter()
        .enumerate()
        .map(|(index, label)| MovementItem {
            label: label.clone(),
            from_rank: Some(index + 1),
            to_rank: if index == count - 1 {
                None
            } else {
                Some((index * 7 + 3) % (count - 1) + 1)
            },
        })
        .collect();
    RoundMovementChart::new("Round 1", "Round 3", items)
}

fn labels(count: usize) -> Vec<String> {
    (0..count).map(label).collect()
}

fn groups() -> Vec<String> {
    GROUPS.iter().map(|group| group.to_string()).collect()
}

/// Every chart, from realistic data, with a file name and the label that must lead its alt
/// text.
fn every_chart(labels: &[String], groups: &[String]) -> Vec<(&'static str, Box<dyn Render>)> {
    vec![
        ("top-priorities", Box::new(top_priorities(labels))),
        ("group-heatmap", Box::new(heatmap(labels, groups))),
        ("group-agreement", Box::new(agreement(groups))),
        ("method-sensitivity", Box::new(sensitivity(labels))),
        ("participation", Box::new(participation(groups))),
        ("rating-distribution", Box::new(ratings(labels))),
        ("round-movement", Box::new(movement(labels))),
    ]
}

/// `Chart` is not object safe (its drawing is generic), so the tests box this instead.
trait Render {
    fn render_chart(&self) -> Result<RenderedChart, ChartError>;
    fn chart_size(&self) -> (u32, u32);
}

impl<C: Chart> Render for C {
    fn render_chart(&self) -> Result<RenderedChart, ChartError> {
        self.render()
    }
    fn chart_size(&self) -> (u32, u32) {
        self.size()
    }
}

struct Decoded {
    width: u32,
    height: u32,
    pixels: Vec<[u8; 3]>,
}

fn decode_png(bytes: &[u8]) -> Decoded {
    let mut reader = png::Decoder::new(Cursor::new(bytes)).read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    Decoded {
        width: info.width,
        height: info.height,
        pixels: buffer[..info.buffer_size()]
            .chunks_exact(3)
            .map(|pixel| [pixel[0], pixel[1], pixel[2]])
            .collect(),
    }
}

/// The PNG decodes, has the stated size, and is not blank: several colours and dark text.
fn check_png(bytes: &[u8], (width, height): (u32, u32)) {
    let image = decode_png(bytes);
    assert_eq!((image.width, image.height), (width, height));
    let colours: BTreeSet<[u8; 3]> = image.pixels.iter().copied().collect();
    assert!(colours.len() > 8, "only {} colours", colours.len());
    let dark = image
        .pixels
        .iter()
        .filter(|pixel| pixel.iter().all(|&channel| channel < 70))
        .count();
    assert!(dark > 500, "only {dark} dark pixels");
}

/// The SVG parses as XML, has the stated size, and returns its text.
fn check_svg(svg: &str, (width, height): (u32, u32)) -> String {
    let document = roxmltree::Document::parse(svg).unwrap();
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some(width.to_string().as_str()));
    assert_eq!(root.attribute("height"), Some(height.to_string().as_str()));
    for node in root.descendants().filter(|node| node.has_tag_name("text")) {
        let size = node.attribute("font-size").unwrap();
        assert!(size.len() <= 4, "font-size=\"{size}\"");
    }
    root.descendants()
        .filter(|node| node.has_tag_name("text"))
        .filter_map(|node| node.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_chart_renders_a_valid_png_and_svg_of_its_stated_size() {
    let labels = labels(10);
    let groups = groups();
    let preview = std::env::var_os("CHART_PREVIEW_DIR").map(std::path::PathBuf::from);
    for (name, chart) in every_chart(&labels, &groups) {
        let rendered = chart.render_chart().unwrap();
        assert_eq!((rendered.width, rendered.height), chart.chart_size());
        assert!(rendered.width >= CHART_WIDTH, "{name}");
        check_png(&rendered.png, (rendered.width, rendered.height));
        let text = check_svg(&rendered.svg, (rendered.width, rendered.height));
        assert!(text.contains(&rendered.title), "{name}: title not drawn");
        assert!(!rendered.alt_text.is_empty());
        // Set CHART_PREVIEW_DIR to look at the charts.
        if let Some(directory) = &preview {
            std::fs::create_dir_all(directory).unwrap();
            std::fs::write(directory.join(format!("{name}.png")), &rendered.png).unwrap();
            std::fs::write(directory.join(format!("{name}.svg")), &rendered.svg).unwrap();
            std::fs::write(directory.join(format!("{name}.txt")), &rendered.alt_text).unwrap();
        }
    }
}

#[test]
fn alt_text_names_the_chart_and_its_top_item() {
    let labels = labels(10);
    let groups = groups();
    let top = &labels[0];
    for (name, alt_text) in [
        ("top", top_priorities(&labels).alt_text()),
        ("heatmap", heatmap(&labels, &groups).alt_text()),
        ("sensitivity", sensitivity(&labels).alt_text()),
        ("ratings", ratings(&labels).alt_text()),
    ] {
        assert!(alt_text.contains(top.as_str()), "{name}: {alt_text}");
    }
    let top_priorities = top_priorities(&labels).alt_text();
    assert!(
        top_priorities.starts_with(&format!(
            "Bar chart of the top 10 priorities by borda score (higher is better): 1. {top} \
             (score 812, score interval 774 to 847, rank interval 1–3)"
        )),
        "{top_priorities}"
    );
    // The movement chart lists items by their later rank: the new top item first.
    let movement = movement(&labels);
    let new_top = movement
        .items
        .iter()
        .find(|item| item.to_rank == Some(1))
        .unwrap();
    let alt_text = movement.alt_text();
    assert!(
        alt_text.starts_with(&format!(
            "Slope chart of the rank of 10 items in Round 1 and in Round 3. {}:",
            new_top.label
        )),
        "{alt_text}"
    );
    assert!(alt_text.contains("not in Round 3"));
    let agreement = agreement(&groups).alt_text();
    assert!(agreement.contains(&format!("{} and {}: 0.62", groups[0], groups[1])));
    assert!(agreement.contains("undefined"));
    assert!(agreement.contains(&format!(
        "Most alike: {} and {} (0.62)",
        groups[0], groups[1]
    )));
    let participation = participation(&groups).alt_text();
    assert!(
        participation.contains(&format!(
            "{}: Round 1: ranking 92, Round 2: rating 71 (−21, −23%)",
            groups[0]
        )),
        "{participation}"
    );
    assert!(participation.contains("All groups: Round 1: ranking 250"));
}

#[test]
fn hostile_labels_appear_only_as_escaped_text() {
    let labels: Vec<String> = [SCRIPT, IMAGE, "Fish & chips", "It's \"quoted\""]
        .iter()
        .map(|label| label.to_string())
        .collect();
    let groups: Vec<String> = vec![SCRIPT.to_string(), IMAGE.to_string()];
    for (name, chart) in every_chart(&labels, &groups) {
        let rendered = chart.render_chart().unwrap();
        let svg = &rendered.svg;
        assert!(!svg.contains("<script"), "{name}: raw <script> in the SVG");
        assert!(!svg.contains("<img"), "{name}: raw <img> in the SVG");
        assert!(
            !svg.contains("\"><"),
            "{name}: a quote breaks out of an attribute"
        );
        let text = check_svg(svg, (rendered.width, rendered.height));
        if name == "group-agreement" || name == "participation" {
            // These show groups, not items: the group labels must be there as text.
            assert!(text.contains("&lt;") || text.contains('<'), "{name}");
            assert!(svg.contains("&lt;script&gt;"), "{name}");
        } else {
            // Parsed back, the labels read as written (the longer one may be cut to fit).
            assert!(text.contains(SCRIPT), "{name}: {text}");
            assert!(text.contains("\"><img src=x onerror="), "{name}: {text}");
            assert!(
                svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{name}"
            );
            assert!(svg.contains("&quot;&gt;&lt;img src=x onerror="), "{name}");
            assert!(svg.contains("Fish &amp; chips"), "{name}");
            // Alt text is plain text, in full: the HTML report escapes it as an attribute.
            assert!(rendered.alt_text.contains(SCRIPT), "{name}");
            assert!(rendered.alt_text.contains(IMAGE), "{name}");
        }
        check_png(&rendered.png, (rendered.width, rendered.height));
    }
}

#[test]
fn control_characters_and_direction_overrides_are_removed() {
    assert_eq!(clean_label("a\u{7}b\u{202E}c\u{FFFF}\n\n  d\t"), "abc d");
    assert_eq!(
        clean_label("  leading and trailing  "),
        "leading and trailing"
    );
    let mut chart = top_priorities(&labels(2));
    chart.bars[0].label = "Bell\u{7}\u{0}ed\u{202E}".to_string();
    let rendered = chart.render().unwrap();
    let text = check_svg(&rendered.svg, (rendered.width, rendered.height));
    assert!(text.contains("Belled"));
    assert!(rendered.alt_text.contains("1. Belled ("));
}

#[test]
fn long_labels_are_wrapped_or_cut_to_fit() {
    let long = "A very long item label that goes on and on about the support given to families \
                and children across several services and agencies"
        .to_string();
    let lines = canvas::wrap(&long, BODY_EM, 300.0, 2);
    assert_eq!(lines.len(), 2);
    assert!(lines[1].ends_with('…'));
    for line in &lines {
        assert!(canvas::text_width(line, BODY_EM) <= 300.0, "{line}");
    }
    let cut = canvas::fit(&long, BODY_EM, 120.0);
    assert!(cut.ends_with('…') && canvas::text_width(&cut, BODY_EM) <= 120.0);
    assert_eq!(canvas::fit("Short", BODY_EM, 120.0), "Short");
    assert_eq!(canvas::wrap("", BODY_EM, 120.0, 2), vec![String::new()]);
    // Ids wrap after their hyphens when they do not fit.
    assert_eq!(
        canvas::wrap("young-people-with-care-experience", SMALL_EM, 120.0, 3),
        ["young-people-", "with-care-", "experience"]
    );
    assert_eq!(canvas::wrap("short-id", SMALL_EM, 120.0, 3), ["short-id"]);
    // The chart still renders and the full label stays in the alt text.
    let mut chart = top_priorities(&labels(3));
    chart.bars[1].label = long.clone();
    let rendered = chart.render().unwrap();
    check_png(&rendered.png, (rendered.width, rendered.height));
    assert!(rendered.alt_text.contains(&long));
}

#[test]
fn height_grows_with_the_number_of_items() {
    let few = top_priorities(&labels(5)).size();
    let many = top_priorities(&labels(12)).size();
    assert_eq!(few.0, CHART_WIDTH);
    assert!(many.1 > few.1);
    let few = movement(&labels(5)).size();
    let many = movement(&labels(12)).size();
    assert!(many.1 > few.1);
}

#[test]
fn many_groups_widen_the_heatmap() {
    let groups: Vec<String> = (0..16).map(|group| format!("Group {group}")).collect();
    let chart = heatmap(&labels(6), &groups);
    let (width, height) = chart.size();
    assert!(width > CHART_WIDTH);
    let rendered = chart.render().unwrap();
    check_png(&rendered.png, (width, height));
}

#[test]
fn empty_charts_render_and_say_so() {
    let charts: Vec<(&str, Box<dyn Render>)> = vec![
        ("top", Box::new(top_priorities(&[]))),
        ("heatmap", Box::new(heatmap(&[], &[]))),
        ("agreement", Box::new(agreement(&[]))),
        ("participation", Box::new(participation(&[]))),
        ("ratings", Box::new(ratings(&[]))),
        ("movement", Box::new(movement(&[]))),
    ];
    for (name, chart) in charts {
        let rendered = chart.render_chart().unwrap();
        let text = check_svg(&rendered.svg, (rendered.width, rendered.height));
        assert!(
            text.contains("No ") || text.contains("nothing to compare"),
            "{name}: {text}"
        );
        assert!(
            rendered.alt_text.contains("no ") || rendered.alt_text.contains("nothing"),
            "{name}"
        );
        decode_png(&rendered.png);
    }
}

#[test]
fn rendering_is_deterministic() {
    let chart = heatmap(&labels(8), &groups());
    let first = chart.render().unwrap();
    let second = chart.render().unwrap();
    assert_eq!(first.png, second.png);
    assert_eq!(first.svg, second.svg);
}

#[test]
fn inconsistent_input_does_not_panic() {
    // Fewer ranks than groups, ranks beyond the item count, counts missing for some rounds.
    let mut heatmap = heatmap(&labels(3), &groups());
    heatmap.rows[0].ranks.truncate(1);
    heatmap.rows[1].ranks[0] = Some(99);
    heatmap.item_count = 0;
    heatmap.render().unwrap();
    let mut participation = participation(&groups());
    participation.groups[0].counts.truncate(1);
    participation.render().unwrap();
    let mut ratings = ratings(&labels(2));
    ratings.items[0].counts = vec![0; 9];
    ratings.items[0].not_rated = 0;
    ratings.items[1].counts.push(5);
    ratings.render().unwrap();
    let mut agreement = agreement(&groups());
    agreement.tau.truncate(1);
    agreement.tau[0][1] = Some(f64::NAN);
    agreement.render().unwrap();
    let mut top = top_priorities(&labels(3));
    top.bars[0].score = None;
    top.bars[1].score = Some(-5.0);
    top.render().unwrap();
}

/// Text sits on its baseline with capitals of the font's cap height, so SVG and PNG place it
/// alike; checked on the PNG, where the embedded font draws it.
#[test]
fn png_text_sits_on_its_baseline() {
    canvas::load_font().unwrap();
    let (width, height) = (200u32, 200u32);
    let mut pixels = vec![255u8; (width * height * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        let canvas = Canvas::new(&area, Output::Png);
        canvas
            .text("H", 100.0, 150.0, 100.0, Align::Centre, palette::INK)
            .unwrap();
        area.present().unwrap();
    }
    let inked_rows: Vec<usize> = (0..height as usize)
        .filter(|row| {
            (0..width as usize).any(|column| pixels[(row * width as usize + column) * 3] < 128)
        })
        .collect();
    let (top, bottom) = (
        inked_rows[0] as f64,
        *inked_rows.last().unwrap() as f64 + 1.0,
    );
    assert!((bottom - 150.0).abs() <= 1.5, "bottom {bottom}");
    assert!((top - (150.0 - 72.9)).abs() <= 1.5, "top {top}");
}

#[test]
fn axes_have_round_ticks_covering_the_data() {
    let axis = Axis::covering(0.0, 812.0, 6);
    assert_eq!(axis.step, 200.0);
    assert_eq!((axis.low, axis.high), (0.0, 1000.0));
    assert_eq!(axis.ticks, vec![0.0, 200.0, 400.0, 600.0, 800.0, 1000.0]);
    let axis = Axis::covering(-1.3, 2.1, 6);
    assert_eq!(axis.step, 1.0);
    assert_eq!((axis.low, axis.high), (-2.0, 3.0));
    let axis = Axis::covering(-0.42, 0.37, 6);
    assert_eq!(axis.step, 0.2);
    assert_eq!(axis.ticks.len(), 6);
    let flat = Axis::covering(3.0, 3.0, 6);
    assert!(flat.high > flat.low);
    assert_eq!(canvas::tick_label(-0.5, 0.5), "−0.5");
    assert_eq!(canvas::tick_label(200.0, 200.0), "200");
    assert_eq!(canvas::tick_label(-0.0, 0.5), "0.0");
}

#[test]
fn palettes_keep_text_readable() {
    // Dark fills take white text and light fills dark text.
    assert_eq!(palette::text_on(palette::viridis(0.0)), palette::WHITE);
    assert_eq!(palette::text_on(palette::viridis(1.0)), palette::INK);
    assert_eq!(palette::text_on(palette::diverging(0.0)), palette::INK);
    assert_eq!(palette::text_on(palette::diverging(1.0)), palette::WHITE);
    assert_eq!(palette::text_on(palette::diverging(-1.0)), palette::WHITE);
    // Viridis gets lighter all the way, so it stays in order in grey.
    let grey = |colour: palette::Colour| {
        0.2126 * f64::from(colour.0) + 0.7152 * f64::from(colour.1) + 0.0722 * f64::from(colour.2)
    };
    let steps: Vec<f64> = (0..=20)
        .map(|step| grey(palette::viridis(f64::from(step) / 20.0)))
        .collect();
    assert!(steps.windows(2).all(|pair| pair[1] > pair[0]), "{steps:?}");
}

/// 30 young people rank a > b > c > d > e; 20 carers b > a > d > c > e; 12 practitioners
/// c > a > b > e > d; 3 leaders (under the threshold) e > d > c > b > a. The leaders alone are
/// under the threshold of 5, so the practitioners join their pool: two groups are shown.
fn document(methods: Vec<Method>) -> ResultsDocument {
    let mut builder = RankingProfileBuilder::new(5, 4).unwrap();
    builder.push_order(0, 30, &[0, 1, 2, 3, 4]).unwrap();
    builder.push_order(1, 20, &[1, 0, 3, 2, 4]).unwrap();
    builder.push_order(2, 12, &[2, 0, 1, 4, 3]).unwrap();
    builder.push_order(3, 3, &[4, 3, 2, 1, 0]).unwrap();
    let profile = builder.build().into();
    let analysis = analyse(
        &profile,
        &AnalysisOptions {
            methods,
            weighting: GroupWeighting::Pooled,
            params: Params::default(),
            top_k: 3,
            bootstrap: Some((100, 11)),
            bootstrap_groups: false,
            disclosure_threshold: 5,
        },
        None,
    )
    .unwrap();
    let items: Vec<ItemInfo> = ["a", "b", "c", "d", "e"]
        .iter()
        .enumerate()
        .map(|(index, id)| ItemInfo {
            id: id.to_string(),
            label: (index != 4).then(|| label(index)),
        })
        .collect();
    let groups: Vec<String> = ["young-people", "carers", "practitioners", "leaders"]
        .iter()
        .map(|group| group.to_string())
        .collect();
    let context = Context {
        items: &items,
        groups: &groups,
        weighting: rank::Weighting::Pooled,
        top_k: 3,
        input: InputSummary {
            sha256: "0".repeat(64),
            kind: "ranking".into(),
            respondents: 65,
            items: 5,
            groups: groups.clone(),
            excluded: vec![],
            suppressed_groups: vec!["practitioners".into(), "leaders".into()],
        },
        settings: Settings {
            top_k: 3,
            bootstrap: Some(100),
            seed: Some(11),
            disclosure_threshold: 5,
            scale: None,
            program: "prioritise test".into(),
        },
    };
    results_document(&analysis, &context)
}

#[test]
fn charts_fill_from_a_results_document() {
    let document = document(vec![Method::Borda, Method::Schulze]);
    let borda = &document.results[0];

    let top = TopPrioritiesChart::from_results(&document, None, 3).unwrap();
    assert_eq!(top.bars.len(), 3);
    assert_eq!(top.bars[0].label, borda.ranking[0].label);
    assert_eq!(top.bars[0].rank, 1);
    assert!(top.bars.iter().all(|bar| bar.rank_interval.is_some()));
    assert!(top.bars.iter().all(|bar| bar.score_interval.is_some()));
    assert!(top.note.contains("100 bootstrap resamples"));
    assert!(TopPrioritiesChart::from_results(&document, Some(Method::Kemeny), 3).is_none());
    let schulze = TopPrioritiesChart::from_results(&document, Some(Method::Schulze), 10).unwrap();
    assert_eq!(schulze.bars.len(), 5);
    assert!(schulze.score_label.starts_with("schulze score"));

    let heatmap = GroupRankHeatmap::from_results(&document, None, None).unwrap();
    assert_eq!(heatmap.groups, ["young-people", "carers"]);
    assert_eq!(heatmap.rows.len(), 5);
    assert_eq!(heatmap.item_count, 5);
    // Item a: young people rank it 1, carers 2.
    let a = heatmap
        .rows
        .iter()
        .find(|row| row.label == label(0))
        .unwrap();
    assert_eq!(a.ranks, vec![Some(1), Some(2)]);
    assert!(heatmap.note.contains("leaders"));
    assert!(heatmap.note.contains("practitioners"));

    let matrix = GroupAgreementMatrix::from_results(&document, None).unwrap();
    assert_eq!(matrix.groups.len(), 2);
    for first in 0..2 {
        for second in 0..2 {
            assert_eq!(matrix.tau[first][second], matrix.tau[second][first]);
            if first != second {
                let tau = matrix.tau[first][second].unwrap();
                assert!((-1.0..=1.0).contains(&tau));
            }
        }
    }

    let sensitivity = MethodSensitivityChart::from_results(&document, 2).unwrap();
    assert_eq!(sensitivity.methods, ["borda", "schulze"]);
    assert!(sensitivity.items.len() >= 2);
    assert_eq!(sensitivity.items[0].ranks[0], Some(1));
    assert!(
        MethodSensitivityChart::from_results(&self::document(vec![Method::Borda]), 3).is_none()
    );

    for rendered in [
        top.render().unwrap(),
        heatmap.render().unwrap(),
        matrix.render().unwrap(),
        sensitivity.render().unwrap(),
    ] {
        check_png(&rendered.png, (rendered.width, rendered.height));
        check_svg(&rendered.svg, (rendered.width, rendered.height));
    }
}

#[test]
fn delphi_classes_come_from_the_document() {
    let mut chart = ratings(&labels(2));
    let mut document = document(vec![Method::Borda]);
    document.results[0].method = Method::Delphi;
    for row in &mut document.results[0].ranking {
        row.class = Some("consensus-out".to_string());
    }
    chart.items[0].item = "a".to_string();
    chart.items[1].item = "no-such-item".to_string();
    chart.mark_consensus(&document);
    assert_eq!(chart.items[0].consensus, Some(DelphiClass::ConsensusOut));
    // Left as it was when the document does not know the item.
    assert_eq!(chart.items[1].consensus, Some(DelphiClass::ConsensusIn));
}
