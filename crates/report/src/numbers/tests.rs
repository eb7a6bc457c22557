use super::*;

/// One row: the value, then its text for reading, in the terminal table, in the CSV and on the
/// results page.
type Row = (f64, &'static str, &'static str, &'static str, &'static str);

fn check(row: Row) {
    let (value, reading, terminal, csv, page) = row;
    assert_eq!(score_for_reading(value), reading, "{value}: for reading");
    assert_eq!(
        score_for_terminal(Some(value)),
        terminal,
        "{value}: terminal"
    );
    assert_eq!(number_for_csv(Some(value)), csv, "{value}: CSV");
    assert_eq!(score_for_results_page(value), page, "{value}: results page");
}

#[test]
fn each_place_writes_numbers_its_own_way() {
    #[rustfmt::skip]
    let rows: [Row; 12] = [
        (0.0,          "0.000",  "0",         "0",         "0"),
        (3.0,          "3.00",   "3",         "3",         "3"),
        (2.5,          "2.50",   "2.5",       "2.5",       "2.50"),
        (0.1234,       "0.123",  "0.123",     "0.1234",    "0.12"),
        (12.345,       "12.3",   "12.345",    "12.345",    "12.35"),
        (1234.5,       "1234",   "1234.5",    "1234.5",    "1234.50"),
        (-0.25,        "−0.250", "-0.25",     "-0.25",     "-0.25"),
        (-12.0,        "−12.0",  "-12",       "-12",       "-12"),
        (2_345_678.0,  "2345678","2.346e6",   "2345678",   "2345678"),
        (1.0 + 1e-12,  "1.00",   "1",         "1.000000000001", "1"),
        // Negative zero, and negatives that round to zero, are written without a sign.
        (-0.0,         "0.000",  "0",         "0",         "0"),
        (-0.0001,      "0.000",  "0",         "-0.0001",   "0.00"),
    ];
    for row in rows {
        check(row);
    }
}

#[test]
fn missing_and_undefined_values_have_their_marks() {
    assert_eq!(score_or_dash(None), "—");
    assert_eq!(score_or_dash(Some(-0.0)), "0.000");
    assert_eq!(score_or_dash(Some(0.5)), "0.500");
    assert_eq!(figure_or_dash(f64::NAN), "—");
    assert_eq!(figure_or_dash(7.5), "7.50");
    assert_eq!(score_for_terminal(None), "-");
    assert_eq!(number_for_csv(None), "");
}

#[test]
fn shares_changes_correlations_and_intervals() {
    #[rustfmt::skip]
    let shares: [(f64, &str, &str); 6] = [
        (0.0,    "0%",   "0%"),
        (0.004,  "<1%",  "0%"),
        (0.42,   "42%",  "42%"),
        (0.996,  ">99%", "100%"),
        (1.0,    "100%", "100%"),
        (-0.0,   "0%",   "0%"),
    ];
    for (share, words, chart) in shares {
        assert_eq!(share_in_words(share), words, "{share}: in words");
        assert_eq!(share_for_chart(share), chart, "{share}: on a chart");
    }
    assert_eq!(change_in_points(0.054), "+5");
    assert_eq!(change_in_points(-0.03), "−3");
    assert_eq!(change_in_points(-0.001), "0");
    assert_eq!(change_in_points(f64::NAN), "—");
    assert_eq!(correlation_for_reading(Some(0.834)), "0.83");
    assert_eq!(correlation_for_reading(Some(-0.12)), "−0.12");
    assert_eq!(correlation_for_reading(Some(-0.001)), "0.00");
    assert_eq!(correlation_for_reading(None), "undefined");
    assert_eq!(rank_interval(3, 3), "3");
    assert_eq!(rank_interval(2, 5), "2–5");
}

#[test]
fn p_values_below_a_thousandth_are_bounded() {
    assert_eq!(p_value(0.0004), "p < 0.001");
    assert_eq!(p_value(0.001), "p = 0.001");
    assert_eq!(p_value(0.0421), "p = 0.042");
    assert_eq!(p_value(1.0), "p = 1.000");
}

#[test]
fn places_read_as_ordinals() {
    let expected = [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (111, "111th"),
        (123, "123rd"),
    ];
    for (place, text) in expected {
        assert_eq!(ordinal(place), text);
    }
    assert_eq!(rank_interval_in_places(1, 2), "1st–2nd");
    assert_eq!(rank_interval_in_places(3, 3), "3rd");
}

#[test]
fn counts_are_grouped_in_thousands() {
    assert_eq!(super::count_for_reading(0), "0");
    assert_eq!(super::count_for_reading(999), "999");
    assert_eq!(super::count_for_reading(1000), "1,000");
    assert_eq!(super::count_for_reading(1_234_567), "1,234,567");
}
