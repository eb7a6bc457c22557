use survey::Exercise;
use survey::curation::read_curation;
use survey::responses::{Against, read_responses};

use super::*;
use crate::ranking::{RankingRequest, rank_responses};

/// Three groups; with a disclosure threshold of 2, group c (one person) is too small to name.
const EXERCISE: &str = r#"
id = "trail"
title = "A trail"
description = "Made up for the tests."
disclosure_threshold = 2

[[groups]]
id = "a"
label = "Group A"

[[groups]]
id = "b"
label = "Group B"

[[groups]]
id = "c"
label = "Group C"

[[items]]
id = "housing"
title = "Housing"

[[items]]
id = "mental-health"
title = "Mental health"

[[items]]
id = "school"
title = "School"

[[items]]
id = "contact"
title = "Contact with family"

[[items]]
id = "advocacy"
title = "Advocacy"
evidence = "Smith 2020 (systematic review)"
answered = true

[[rounds]]
id = "suggest"
kind = "suggest"
title = "Your questions"

[[rounds]]
id = "rate"
kind = "rate"
title = "Rate"
scale = { min = 1, max = 9 }
method = "mean"

[[rounds]]
id = "rank"
kind = "rank"
title = "Rank"
top_k = 3
method = "borda"
items = ["housing", "mental-health", "school"]
"#;

/// a: a1, a2 (2 people); b: b1, b2, b3 (3); c: c1 (1). A formula, markup and a line break in
/// the texts.
const CURATION: &str = "suggestion,respondent,group,text,status,item,cluster,similarity,note
a1:1,a1,a,=1+1,assigned,housing,1,0.9,
a2:1,a2,a,Help with housing,assigned,housing,1,0.8,
b1:1,b1,b,\"<script>alert(1)</script> housing
please\",assigned,housing,1,0.7,
b2:1,b2,b,Mental health support,assigned,mental-health,2,0.9,
b3:1,b3,b,Not a question,out-of-scope,,,,not a research question
c1:1,c1,c,School exclusions,assigned,school,,,
c1:2,c1,c,More funding,out-of-scope,,,,a policy ask
b3:2,b3,b,Something else,unassigned,,,,
";

const RATINGS: &str = "respondent,group,item,rating
r1,b,housing,9
r1,b,mental-health,7
r1,b,school,5
r1,b,contact,3
r2,b,housing,8
r2,b,mental-health,8
r2,b,school,4
r2,b,contact,2
";

const RANKINGS: &str = "respondent,group,item,rank
r1,b,housing,1
r1,b,mental-health,2
r1,b,school,3
r2,b,housing,1
r2,b,school,2
r2,b,mental-health,3
r3,b,mental-health,1
r3,b,housing,2
r3,b,school,3
";

fn results(exercise: &Exercise, round: &str, text: &str) -> ResultsDocument {
    let round = exercise.round(round).unwrap();
    let responses = read_responses(
        text.as_bytes(),
        "responses.csv",
        Some(Against { exercise, round }),
    )
    .unwrap()
    .responses;
    let request = RankingRequest {
        top_k: 2,
        ..RankingRequest::default()
    };
    rank_responses(&responses, Some(exercise), Some(round), &request, None)
        .unwrap()
        .document
}

fn trail() -> AuditTrail {
    trail_of(EXERCISE)
}

fn trail_of(source: &str) -> AuditTrail {
    let exercise = Exercise::parse(source, "exercise.toml").unwrap();
    let curation = read_curation(CURATION.as_bytes(), "curation.csv", Some(&exercise)).unwrap();
    let rated = results(&exercise, "rate", RATINGS);
    let ranked = results(&exercise, "rank", RANKINGS);
    // Given out of order: the trail follows the exercise.
    audit_trail(
        &exercise,
        &curation,
        &[
            (exercise.round("rank").unwrap(), &ranked),
            (exercise.round("rate").unwrap(), &rated),
        ],
    )
}

#[test]
fn small_groups_are_pooled_with_the_next_smallest() {
    let trail = trail();
    // c alone would be identifiable from the total, so a (2 people, the smallest other) joins.
    assert_eq!(trail.pooled_groups, vec!["a".to_string(), "c".to_string()]);
    let housing = &trail.rows[0];
    assert_eq!(housing.item, "housing");
    assert_eq!(housing.submissions, 3);
    assert_eq!(groups_text(&housing.groups), "b 1; other groups 2");
    assert_eq!(groups_text(&trail.rows[2].groups), "other groups 1");
    assert_eq!(trail.out_of_scope.total, 2);
    assert_eq!(
        groups_text(&trail.out_of_scope.groups),
        "b 1; other groups 1"
    );
    assert_eq!(
        trail.out_of_scope.reasons,
        vec![
            Reason {
                reason: "a policy ask".to_string(),
                count: 1
            },
            Reason {
                reason: "not a research question".to_string(),
                count: 1
            }
        ]
    );
    assert_eq!((trail.suggestions, trail.not_assigned), (8, 1));
}

#[test]
fn rows_follow_the_final_ranking_then_the_exercise() {
    let trail = trail();
    let rounds: Vec<&str> = trail.rounds.iter().map(|round| round.id.as_str()).collect();
    assert_eq!(rounds, ["rate", "rank"]);
    // Borda over three rankings: housing 2 + 2 + 1 = 5, mental health 1 + 0 + 2 = 3, school 1.
    let summary: Vec<(Option<usize>, &str, AuditStatus)> = trail
        .rows
        .iter()
        .map(|row| (row.final_rank, row.item.as_str(), row.status))
        .collect();
    assert_eq!(
        summary,
        vec![
            (Some(1), "housing", AuditStatus::TopPriority),
            (Some(2), "mental-health", AuditStatus::TopPriority),
            (Some(3), "school", AuditStatus::Shortlisted),
            (None, "contact", AuditStatus::LongList),
            (None, "advocacy", AuditStatus::AnsweredByEvidence),
        ]
    );
    // Mean ratings: housing 8.5, mental health 7.5, school 4.5, contact 2.5.
    let housing = &trail.rows[0];
    assert_eq!(
        housing.places,
        vec![
            Some(RoundPlace {
                score: Some(8.5),
                rank: 1
            }),
            Some(RoundPlace {
                score: Some(5.0),
                rank: 1
            })
        ]
    );
    assert_eq!(trail.rows[3].places[1], None);
}

#[test]
fn the_csv_keeps_every_word_and_neutralises_formulas() {
    let bytes = write_audit_csv(&trail(), Vec::new()).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let expected = "\
final_rank,item,title,status,submissions,groups,original_submissions,evidence,answered,rate_score,rate_rank,rate_included,rank_score,rank_rank,rank_included
1,housing,Housing,top priority,3,b 1; other groups 2,'=1+1 | Help with housing | <script>alert(1)</script> housing please,,no,8.5,1,yes,5,1,yes
2,mental-health,Mental health,top priority,1,b 1,Mental health support,,no,7.5,2,yes,3,2,yes
3,school,School,shortlisted,1,other groups 1,School exclusions,,no,4.5,3,yes,1,3,yes
,contact,Contact with family,long list,0,,,,no,2.5,4,yes,,,no
,advocacy,Advocacy,answered by evidence,0,,,Smith 2020 (systematic review),yes,,,no,,,no
";
    assert_eq!(text, expected);
    // A spreadsheet reading it back sees the formula as text, and the reader restores it.
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let first = reader.records().next().unwrap().unwrap();
    assert_eq!(
        survey::responses::restore_formula(&first[6]),
        "=1+1 | Help with housing | <script>alert(1)</script> housing please"
    );
}

#[test]
fn no_group_is_named_when_every_group_is_large_enough() {
    let exercise = Exercise::parse(
        &EXERCISE.replace("disclosure_threshold = 2", "disclosure_threshold = 1"),
        "exercise.toml",
    )
    .unwrap();
    let curation = read_curation(CURATION.as_bytes(), "curation.csv", Some(&exercise)).unwrap();
    let trail = audit_trail(&exercise, &curation, &[]);
    assert!(trail.pooled_groups.is_empty());
    assert!(trail.rounds.is_empty());
    let housing = trail.rows.iter().find(|row| row.item == "housing").unwrap();
    assert_eq!(groups_text(&housing.groups), "a 2; b 1");
    // Without ranked rounds nothing is a priority yet; the long list is every item with
    // suggestions or asked about, in the exercise's order.
    assert!(trail.rows.iter().all(|row| row.final_rank.is_none()));
    assert_eq!(trail.rows.len(), 5);
}

/// With a threshold of 3, a (1 person) and c (1) are small and their pool holds only 2: b (3
/// people) joins it, and no group is named. Pooling an extra group only when a single group
/// is small named b with its 3, and the total minus b gave the pool of 2.
#[test]
fn the_pool_grows_until_it_reaches_the_threshold() {
    let exercise = Exercise::parse(
        &EXERCISE.replace("disclosure_threshold = 2", "disclosure_threshold = 3"),
        "exercise.toml",
    )
    .unwrap();
    let curation = "suggestion,respondent,group,text,status,item,cluster,similarity,note
a1:1,a1,a,Housing,assigned,housing,,,
b1:1,b1,b,Housing too,assigned,housing,,,
b2:1,b2,b,Schools,assigned,school,,,
b3:1,b3,b,Homes,assigned,housing,,,
c1:1,c1,c,School exclusions,assigned,school,,,
";
    let curation = read_curation(curation.as_bytes(), "curation.csv", Some(&exercise)).unwrap();
    let trail = audit_trail(&exercise, &curation, &[]);
    assert_eq!(trail.pooled_groups, ["a", "b", "c"]);
    let housing = trail.rows.iter().find(|row| row.item == "housing").unwrap();
    assert_eq!(groups_text(&housing.groups), "other groups 3");
    let school = trail.rows.iter().find(|row| row.item == "school").unwrap();
    assert_eq!(groups_text(&school.groups), "other groups 2");
}
