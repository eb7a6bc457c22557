use super::*;

fn context(pairwise: bool) -> MethodContext {
    MethodContext {
        item_count: 10,
        longest_ballot: 0,
        scale: None,
        agree_from: None,
        criteria: Vec::new(),
        pairwise,
    }
}

#[test]
fn majority_methods_on_pairwise_choices_say_what_n_counts() {
    for method in [Method::Copeland, Method::Schulze, Method::Kemeny] {
        let choices = explain_method(method, &context(true));
        assert!(
            choices
                .text
                .contains("\"can't decide\" counted for neither"),
            "{method}: {}",
            choices.text
        );
        assert!(!choices.text.contains("did not rank"), "{method}");
        assert!(
            choices
                .formula
                .starts_with("N[a][b]  = Σ w_r · (the number of times person r chose a over b)"),
            "{method}: {}",
            choices.formula
        );
        // Rankings keep their own wording.
        let rankings = explain_method(method, &context(false));
        assert!(!rankings.text.contains("can't decide"), "{method}");
        assert_ne!(rankings, choices);
    }
}
