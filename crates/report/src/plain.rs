//! Methods and weightings named in plain English, for pages read by advisory groups and the
//! public ("JLA points, each group counted equally"), never by their ids. One place, so that
//! the results view, the published page and the easy-read summary say the same.

use rank::{Method, Weighting};

/// A method in a few plain words: "JLA points", "average rating".
pub fn method_in_words(method: Method) -> &'static str {
    match method {
        Method::Borda => "Borda count (points for every place)",
        Method::Points => "JLA points",
        Method::Dowdall => "Dowdall points (1, 1/2, 1/3, …)",
        Method::Count => "how many people chose each topic",
        Method::Copeland => "head-to-head wins (Copeland)",
        Method::Schulze => "strongest chains of head-to-head wins (Schulze)",
        Method::Kemeny => "the order closest to everyone's (Kemeny)",
        Method::PlackettLuce => {
            "a model of how likely each topic is to be placed first (Plackett–Luce)"
        }
        Method::BradleyTerry => "a model of which topic wins a pair (Bradley–Terry)",
        Method::WinRate => "share of pairs won",
        Method::Mean => "average rating",
        Method::Median => "middle rating (median)",
        Method::TopBox => "share of people who rated it highly",
        Method::Delphi => "Delphi agreement",
        Method::RandUcla => "RAND/UCLA appropriateness",
        Method::Chnri => "CHNRI priority score",
    }
}

/// A weighting of groups in a few plain words: "each group counted equally".
pub fn weighting_in_words(weighting: Weighting) -> &'static str {
    match weighting {
        Weighting::Pooled => "every person counted equally",
        Weighting::EqualGroups => "each group counted equally",
        Weighting::JlaPositions => "each group's own order, combined with equal say",
        Weighting::Custom => "groups weighted as the exercise states",
    }
}

/// A method and weighting together: "JLA points, each group counted equally".
pub fn method_and_weighting(method: Method, weighting: Weighting) -> String {
    format!(
        "{}, {}",
        method_in_words(method),
        weighting_in_words(weighting)
    )
}

/// A method and weighting given by their ids (as in a results document): in plain words when
/// both are known, else the ids as given.
pub fn named_in_words(method: &str, weighting: &str) -> String {
    match (method.parse::<Method>(), weighting.parse::<Weighting>()) {
        (Ok(method), Ok(weighting)) => method_and_weighting(method, weighting),
        _ => format!("{method}, weighting {weighting}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_the_issue_asks() {
        assert_eq!(
            method_and_weighting(Method::Points, Weighting::EqualGroups),
            "JLA points, each group counted equally"
        );
        assert_eq!(
            named_in_words("mean", "pooled"),
            "average rating, every person counted equally"
        );
        assert_eq!(
            named_in_words("nonsense", "pooled"),
            "nonsense, weighting pooled"
        );
        for method in Method::ALL {
            assert_ne!(
                method_in_words(*method),
                method.as_str(),
                "{method} has no plain name"
            );
        }
    }
}
