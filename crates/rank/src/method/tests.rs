use super::*;

#[test]
fn every_name_round_trips() {
    for method in Method::ALL {
        assert_eq!(method.as_str().parse::<Method>().unwrap(), *method);
    }
    for weighting in Weighting::ALL {
        assert_eq!(weighting.as_str().parse::<Weighting>().unwrap(), *weighting);
    }
}

#[test]
fn unknown_name_lists_the_accepted_ones() {
    let error = "bordа".parse::<Method>().unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("unknown method `bordа` (expected one of: borda, points"));
}

#[test]
fn methods_fit_their_data() {
    assert!(Method::Schulze.fits_kind(DataKind::Ranking));
    assert!(!Method::Mean.fits_kind(DataKind::Ranking));
    assert!(Method::Count.fits_kind(DataKind::Pick));
    assert!(Method::WinRate.fits_kind(DataKind::Pairwise));
    // METHODS.md defines the margins of pairwise ballots, so the majority methods fit them.
    for method in [Method::Copeland, Method::Schulze, Method::Kemeny] {
        assert_eq!(method.fits(), [DataKind::Ranking, DataKind::Pairwise]);
    }
    assert!(!Method::Borda.fits_kind(DataKind::Pairwise));
}
