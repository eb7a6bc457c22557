use survey::responses::RatingValue;

use crate::cells::{is_not_applicable, is_other_option, parse_rank, parse_rating};
use crate::slug_of;

fn check_rank(cell: &str, expected: Option<u32>) {
    assert_eq!(parse_rank(cell), expected, "{cell:?}");
}

fn check_rating(cell: &str, expected: Option<i32>) {
    assert_eq!(
        parse_rating(cell),
        expected.map(RatingValue::Score),
        "{cell:?}"
    );
}

#[test]
fn ranks_are_numbers_or_ordinals() {
    check_rank("1", Some(1));
    check_rank(" 2nd ", Some(2));
    check_rank("3RD", Some(3));
    check_rank("11th", Some(11));
    check_rank("Rank 4", Some(4));
    check_rank("5.0", Some(5));
    check_rank("0", None);
    check_rank("-1", None);
    check_rank("first", None);
    check_rank("1st choice", None);
    check_rank("", None);
    check_rank("99999999999", None);
}

#[test]
fn ratings_are_numbers_numbered_labels_or_importance_labels() {
    check_rating("7", Some(7));
    check_rating("4 - Very important", Some(4));
    check_rating("2: Slightly", Some(2));
    check_rating("Very important", Some(4));
    check_rating("extremely important", Some(5));
    check_rating("Not at all important", Some(1));
    check_rating("Important-ish", None);
    check_rating("12abc", None);
}

#[test]
fn not_applicable_and_other_are_recognised() {
    assert!(is_not_applicable("N/A"));
    assert!(is_not_applicable("Don\u{2019}t know"));
    assert!(!is_not_applicable("Never"));
    assert!(is_other_option("Other (please specify)"));
    assert!(is_other_option("Other"));
    assert!(!is_other_option("Otherwise engaged"));
}

#[test]
fn slugs_are_lowercase_ascii_with_single_joiners() {
    assert_eq!(slug_of("Early help"), "early-help");
    assert_eq!(
        slug_of("How can social workers' caseloads be reduced?"),
        "how-can-social-workers-caseloads-be-reduced"
    );
    assert_eq!(slug_of("  --Kinship   care!! "), "kinship-care");
    assert_eq!(slug_of("Éducation précoce"), "education-precoce");
    assert_eq!(slug_of("Ωmega"), "mega");
    assert_eq!(slug_of("???"), "item");
    let long = slug_of(&"word ".repeat(40));
    assert!(long.len() <= 64 && !long.ends_with('-'), "{long}");
    assert!(survey::Slug::new(&long).is_ok());
}
