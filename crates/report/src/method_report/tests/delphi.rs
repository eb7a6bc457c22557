//! A Delphi exercise with a re-rating round, drop-out and a curation: the Delphi, "those who
//! left" and audit-trail parts of the report, and hostile text in each.

use survey::curation::read_curation;

use super::*;

const PANEL_EXERCISE: &str = r#"
id = "panel"
title = "A panel"
description = "Made up for the tests."
disclosure_threshold = 2

[delphi]
stop = "consensus"
stop_share = 0.6

[[groups]]
id = "g1"
label = "Group one"

[[groups]]
id = "g2"
label = "Group two"

[[items]]
id = "a"
title = "A topic"

[[items]]
id = "b"
title = "B topic"

[[items]]
id = "c"
title = "C topic"

[[items]]
id = "d"
title = "D topic"
evidence = "Jones 2021, a systematic review"
answered = true

[[rounds]]
id = "suggest"
kind = "suggest"
title = "Your questions"

[[rounds]]
id = "rate1"
kind = "rate"
title = "Rate"
scale = { min = 1, max = 9 }
method = "mean"

[[rounds]]
id = "rerate"
kind = "rate"
title = "Rate again"
scale = { min = 1, max = 9 }
method = "mean"
feedback_from = "rate1"
feedback_by = "group"

[[rounds]]
id = "rank"
kind = "rank"
title = "Rank"
top_k = 3
method = "borda"
items = ["a", "b", "c"]
"#;

const PANEL_SUGGESTIONS: &str = "respondent,group,text
s1,g1,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"
s1,g1,<script>alert(1)</script> help with a
s2,g1,b please
s3,g2,not in scope
";

const PANEL_CURATION: &str = "suggestion,respondent,group,text,status,item,cluster,similarity,note
s1:1,s1,g1,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",assigned,a,,,
s1:2,s1,g1,<script>alert(1)</script> help with a,assigned,a,,,
s2:1,s2,g1,b please,assigned,b,,,
s3:1,s3,g2,not in scope,out-of-scope,,,,<img src=x onerror=alert(1)> policy
";

/// x1 and x2 leave after the first rating round; they rated C high and A low.
const FIRST_RATINGS: &str = "respondent,group,item,rating
p1,g1,a,9
p1,g1,b,5
p1,g1,c,2
p2,g1,a,8
p2,g1,b,6
p2,g1,c,3
p3,g1,a,7
p3,g1,b,4
p3,g1,c,1
q1,g2,a,9
q1,g2,b,7
q1,g2,c,2
q2,g2,a,6
q2,g2,b,5
q2,g2,c,3
q3,g2,a,8
q3,g2,b,3
q3,g2,c,2
x1,g2,a,2
x1,g2,b,9
x1,g2,c,8
x2,g2,a,3
x2,g2,b,8
x2,g2,c,9
";

/// Six paired ratings of eighteen change, each by one point.
const SECOND_RATINGS: &str = "respondent,group,item,rating
p1,g1,a,9
p1,g1,b,5
p1,g1,c,2
p2,g1,a,8
p2,g1,b,5
p2,g1,c,2
p3,g1,a,8
p3,g1,b,4
p3,g1,c,1
q1,g2,a,9
q1,g2,b,6
q1,g2,c,2
q2,g2,a,7
q2,g2,b,5
q2,g2,c,3
q3,g2,a,8
q3,g2,b,4
q3,g2,c,2
";

const PANEL_RANKINGS: &str = "respondent,group,item,rank
p1,g1,a,1
p1,g1,b,2
p1,g1,c,3
p2,g1,a,1
p2,g1,b,2
p2,g1,c,3
q1,g2,a,1
q1,g2,b,2
q1,g2,c,3
";

fn panel_report() -> MethodReport {
    let exercise = exercise(PANEL_EXERCISE);
    let suggestions = read(&exercise, "suggest", PANEL_SUGGESTIONS);
    let first = read(&exercise, "rate1", FIRST_RATINGS);
    let second = read(&exercise, "rerate", SECOND_RATINGS);
    let rankings = read(&exercise, "rank", PANEL_RANKINGS);
    let curation =
        read_curation(PANEL_CURATION.as_bytes(), "curation.csv", Some(&exercise)).unwrap();
    let request = RankingRequest {
        top_k: 2,
        seed: 3,
        ..RankingRequest::default()
    };
    let ranked = |id: &str, responses: &Responses| {
        rank_round(
            responses,
            &exercise,
            exercise.round(id).unwrap(),
            &request,
            None,
        )
        .unwrap()
        .document
    };
    let data = |id: &str, responses, results| RoundData {
        round: exercise.round(id).unwrap(),
        source: source(&format!("{id}.csv"), id),
        responses,
        results,
        notes: Vec::new(),
    };
    let input = ReportInput {
        exercise: &exercise,
        exercise_source: source("exercise.toml", PANEL_EXERCISE),
        rounds: vec![
            data("suggest", &suggestions, None),
            data("rate1", &first, Some(ranked("rate1", &first))),
            data("rerate", &second, Some(ranked("rerate", &second))),
            data("rank", &rankings, Some(ranked("rank", &rankings))),
        ],
        command: "prioritise report".to_string(),
        program: "prioritise test".to_string(),
        simulated: false,
    };
    method_report_with_curation(&input, Some(&curation)).unwrap()
}

#[test]
fn delphi_consensus_stability_and_the_stopping_rule() {
    let report = panel_report();
    let markdown = &report.markdown;
    assert!(markdown.contains("## Delphi consensus, stability and stopping"));
    // Round 2: A is rated 7-9 by 5 of 8 (62.5%) and 1-3 by 2 (25%), median (7 + 8) / 2, so
    // no consensus; nor for B or C.
    assert!(
        markdown.contains(
            "Of the 3 items, 0 reached consensus in, 0 consensus out, and 3 no consensus."
        )
    );
    assert!(
        markdown.contains("| A topic | 8 | 63% | 25% | 7.50 | no\u{a0}consensus |"),
        "{markdown}"
    );
    assert!(
        markdown
            .contains("**Stopping rule:** not met: 0 of 3 items reached consensus (0% \\< 60%).")
    );
    // Round 3: A is in (6 of 6 rate it 7-9) and C out (6 of 6 rate it 1-3): 2 of 3 ≥ 60%.
    assert!(
        markdown.contains("**Stopping rule:** met: 2 of 3 items reached consensus (67% ≥ 60%).")
    );
    assert!(markdown.contains("how their own stakeholder group had rated it"));
    // Stability: A 62.5% → 100%, B 37.5% → 0%, C 25% → 0%: none within 15 points.
    assert!(
        markdown.contains("Compared with round 2: 0 of the 3 items in both rounds were stable")
    );
    assert!(markdown.contains("| A topic | 63% | 100% | \\+38 | no | no\u{a0}consensus → consensus\u{a0}in | 7.50 → 8.00 | 2 of 6 | 0.333 |"), "{markdown}");
    // Shares (5/8, 3/8, 2/8) then (1, 0, 0): A above B above C, then B and C tied:
    // τ-b = 2 / √(3 · 2).
    assert!(markdown.contains("is 0.82 (1: the same order)"));
    assert!(markdown.contains("Of the 6 people who answered both rounds, 33% of their paired ratings changed, by 0.333 points on average."));
}

#[test]
fn those_who_left_are_compared_with_those_who_stayed() {
    let report = panel_report();
    let markdown = &report.markdown;
    assert!(
        markdown.contains("### Those who left after round 2"),
        "{markdown}"
    );
    // Stayers' means: A 47/6, B 5, C 13/6; leavers': A 2.5, B 8.5, C 8.5. τ-b = −2/√6.
    assert!(markdown.contains("2 people of the 8 who answered round 2 did not answer round 3"));
    assert!(markdown.contains("Kendall's τ-b between them is −0.82"));
    assert!(markdown.contains("exact, over all 28 ways of choosing who left"));
    assert!(
        markdown.contains("| A topic | 7.83 | 2.50 | 5.33 | 1 | 3 |"),
        "{markdown}"
    );
    // Round 3 → 4: three people stayed, three left (p3, q2, q3).
    assert!(markdown.contains("### Those who left after round 3"));
}

#[test]
fn the_trail_from_suggestion_to_priority() {
    let report = panel_report();
    let markdown = &report.markdown;
    assert!(markdown.contains("## From suggestion to priority"));
    assert!(markdown.contains("### 1\\. A topic"), "{markdown}");
    // Group two has one person who made suggestions, so it is pooled, with Group one.
    assert!(markdown.contains("from 2 suggestions: other groups together 2."));
    let start = markdown.find("## From suggestion to priority").unwrap();
    let end = start + markdown[start..].find("\n## Agreement").unwrap();
    let section = &markdown[start..end];
    assert!(!section.contains("Group two 1"), "{section}");
    assert!(!section.contains("Group one 2"), "{section}");
    assert!(section.contains("Of the 4 suggestions, 3 were assigned to 2 items, 1 set aside"));
    assert!(section.contains("round 2 (mean): rank 1, score 6.50; round 3 (mean): rank 1, score 8.17; round 4 (borda): rank 1, score 6.00."));
    assert!(
        section.contains("| 1 | A topic | top priority | 2 | 1 | 1 | 1 |"),
        "{section}"
    );
    assert!(section.contains("| 3 | C topic | shortlisted | 0 | 3 | 3 | 3 |"));
    assert!(
        section.contains("|   | D topic | answered by evidence | 0 | — | — | — |"),
        "{section}"
    );
    assert!(section.contains("| \\<img src=x onerror=alert(1)\\> policy | 1 |"));
    assert!(markdown.contains("by the item of the long list each was assigned to"));

    let audit = report.audit_csv.as_deref().unwrap();
    let mut lines = audit.lines();
    assert_eq!(
        lines.next(),
        Some(
            "final_rank,item,title,status,submissions,groups,original_submissions,evidence,answered,\
             rate1_score,rate1_rank,rate1_included,rerate_score,rerate_rank,rerate_included,\
             rank_score,rank_rank,rank_included"
        )
    );
    // The formula that starts the cell is neutralised; the markup is kept as text.
    assert!(
        audit.contains(
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\") | <script>alert(1)</script> help with a\""
        ),
        "{audit}"
    );
    assert!(audit.contains("other groups 2"));
    assert!(!audit.contains("g2 1"));
    assert!(report.files().iter().any(|(name, _)| name == "audit.csv"));
}

#[test]
fn hostile_suggestions_are_escaped_in_every_format() {
    let report = panel_report();
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
        assert!(!matches!(node.tag_name().name(), "script" | "img"));
        assert!(node.attribute("onerror").is_none());
    }
    assert!(html.contains("“&lt;script&gt;alert(1)&lt;/script&gt; help with a”"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt; policy"));
    let markdown = &report.markdown;
    let unescaped = |needle: &str| {
        markdown
            .match_indices(needle)
            .any(|(at, _)| !markdown[..at].ends_with('\\'))
    };
    assert!(!unescaped("<script"));
    assert!(!unescaped("<img"));
    assert!(!markdown.contains("| =HYPERLINK"));
    for file in &report.charts {
        assert!(!file.chart.svg.contains("<script"), "{}", file.name);
    }
}

#[test]
fn without_a_curation_there_is_no_trail() {
    let exercise = exercise(PANEL_EXERCISE);
    let suggestions = read(&exercise, "suggest", PANEL_SUGGESTIONS);
    let input = ReportInput {
        exercise: &exercise,
        exercise_source: source("exercise.toml", PANEL_EXERCISE),
        rounds: vec![RoundData {
            round: exercise.round("suggest").unwrap(),
            source: source("suggest.csv", PANEL_SUGGESTIONS),
            responses: &suggestions,
            results: None,
            notes: Vec::new(),
        }],
        command: String::new(),
        program: String::new(),
        simulated: false,
    };
    let report = method_report(&input).unwrap();
    assert!(report.audit_csv.is_none());
    assert!(!report.markdown.contains("From suggestion to priority"));
    // The appendix does not name the small group beside its suggestion.
    assert!(
        report.markdown.contains("| Other groups | not in scope |"),
        "{}",
        report.markdown
    );
}
