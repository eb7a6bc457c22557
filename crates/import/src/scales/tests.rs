use super::{ScaleRead, point_of, scale_of, unknown_label_message};

/// Reads `labels` as one question's and checks the scale's name (after `a` or `an`) and each
/// label's point.
fn check(labels: &[&str], name: &str, expected: &[i32]) {
    let read = scale_of(labels.iter().copied());
    let ScaleRead::Words { scale, .. } = &read else {
        panic!("{labels:?} read as {read:?}");
    };
    assert!(
        scale.title().starts_with(&format!("a {name} scale"))
            || scale.title().starts_with(&format!("an {name} scale")),
        "{labels:?}: {}",
        scale.title()
    );
    let points: Vec<i32> = labels
        .iter()
        .map(|label| scale.point(label).unwrap())
        .collect();
    assert_eq!(points, expected, "{labels:?}");
}

#[test]
fn the_star_wars_favourability_scale_reads_5_to_1() {
    check(
        &[
            "Very favorably",
            "Somewhat favorably",
            "Neither favorably nor unfavorably (neutral)",
            "Somewhat unfavorably",
            "Very unfavorably",
        ],
        "favourability",
        &[5, 4, 3, 2, 1],
    );
    check(
        &["Very favourable", "Neither favourable nor unfavourable"],
        "favourability",
        &[5, 3],
    );
}

#[test]
fn agreement_has_five_points_or_seven_when_agree_and_somewhat_agree_are_both_used() {
    check(
        &[
            "Strongly disagree",
            "Disagree",
            "Neither agree nor disagree",
            "Agree",
            "Strongly agree",
        ],
        "agreement",
        &[1, 2, 3, 4, 5],
    );
    check(
        &["Somewhat agree", "Neutral", "Somewhat disagree"],
        "agreement",
        &[4, 3, 2],
    );
    check(
        &[
            "Strongly disagree",
            "Disagree",
            "Somewhat disagree",
            "Neither agree nor disagree",
            "Somewhat agree",
            "Agree",
            "Strongly agree",
        ],
        "seven-point agreement",
        &[1, 2, 3, 4, 5, 6, 7],
    );
}

#[test]
fn satisfaction_likelihood_frequency_and_quality_are_known() {
    check(
        &[
            "Very dissatisfied",
            "Dissatisfied",
            "Neither satisfied nor dissatisfied",
            "Satisfied",
            "Very satisfied",
        ],
        "satisfaction",
        &[1, 2, 3, 4, 5],
    );
    check(
        &["Very unlikely", "Somewhat likely", "Very likely"],
        "likelihood",
        &[1, 4, 5],
    );
    check(
        &["Not at all likely", "Somewhat likely", "Extremely likely"],
        "likelihood (not at all to extremely)",
        &[1, 3, 5],
    );
    check(
        &["Never", "Rarely", "Sometimes", "Often", "Always"],
        "frequency",
        &[1, 2, 3, 4, 5],
    );
    check(&["Very often", "seldom"], "frequency", &[5, 2]);
    check(
        &["Very poor", "Poor", "Fair", "Good", "Very good"],
        "quality",
        &[1, 2, 3, 4, 5],
    );
    check(&["Excellent", "Fair"], "quality", &[5, 3]);
    // `Very good` and `Excellent` together are two points: the scale running to excellent.
    check(
        &["Poor", "Fair", "Good", "Very good", "Excellent"],
        "quality (poor to excellent)",
        &[1, 2, 3, 4, 5],
    );
}

#[test]
fn importance_keeps_its_five_labels_and_very_is_top_only_beside_important() {
    check(
        &[
            "Not at all important",
            "Slightly important",
            "Moderately important",
            "Very important",
            "Extremely important",
        ],
        "importance",
        &[1, 2, 3, 4, 5],
    );
    check(
        &["Important", "Very important"],
        "importance (not at all to very)",
        &[4, 5],
    );
    assert_eq!(point_of("Very important"), Some(4));
}

#[test]
fn the_general_rule_reads_very_x_to_very_un_x() {
    check(
        &[
            "Very helpful",
            "Somewhat helpful",
            "Neither helpful nor unhelpful",
            "Somewhat unhelpful",
            "Very unhelpful",
        ],
        "`very helpful` to `very unhelpful`",
        &[5, 4, 3, 2, 1],
    );
    // The negative end alone is still the negative end, with `dis` as with `un`.
    check(
        &["Very unclear", "Somewhat unclear"],
        "`very clear` to `very unclear`",
        &[1, 2],
    );
    check(
        &["Very honest", "Very dishonest"],
        "`very honest` to `very dishonest`",
        &[5, 1],
    );
    assert_eq!(point_of("Somewhat useful"), Some(4));
    // Labels of the general rule that do not follow its form are not guessed.
    assert_eq!(point_of("Quite useful"), None);
}

#[test]
fn labels_on_no_known_scale_or_on_two_scales_are_unknown() {
    assert_eq!(scale_of(Vec::<&str>::new()), ScaleRead::Numbers);
    assert_eq!(
        scale_of(["Strongly agree", "Meh", "Brilliant"]),
        ScaleRead::Unknown(vec!["Brilliant".to_string(), "Meh".to_string()])
    );
    // Each is on a scale, but no one scale holds both.
    assert_eq!(
        scale_of(["Strongly agree", "Very satisfied"]),
        ScaleRead::Unknown(vec![
            "Strongly agree".to_string(),
            "Very satisfied".to_string()
        ])
    );
    // Two labels of one point (`Always` and `Very often`) are two points of a scale not known.
    assert!(matches!(
        scale_of(["Always", "Very often", "Never"]),
        ScaleRead::Unknown(_)
    ));
    let message = unknown_label_message("Meh", None);
    assert!(
        message.starts_with("`Meh` is on no rating scale that is known"),
        "{message}"
    );
    assert!(
        message.contains("(`1 - Meh`)") && message.contains("[scale]"),
        "{message}"
    );
}

#[test]
fn a_note_lists_the_labels_read_highest_first() {
    let read = scale_of(["Somewhat favorably", "Very unfavorably", "Very favorably"]);
    assert_eq!(
        read.note("Q").unwrap(),
        "read the labels of `Q` on a favourability scale of 1 to 5: `Very favorably` = 5, `Somewhat favorably` = 4, `Very unfavorably` = 1; if the question's scale is another, number the labels in the survey tool or give each a number under [scale] in a --mapping file"
    );
}

#[test]
fn a_note_names_the_scale_with_its_article() {
    let title = |labels: &[&str]| match scale_of(labels.iter().copied()) {
        ScaleRead::Words { scale, .. } => scale.title(),
        other => panic!("{labels:?} read as {other:?}"),
    };
    assert_eq!(
        title(&["Strongly disagree", "Agree", "Strongly agree"]),
        "an agreement scale of 1 to 5"
    );
    assert_eq!(
        title(&["Very favorably", "Very unfavorably"]),
        "a favourability scale of 1 to 5"
    );
}
