//! The methods and weightings in plain English, written from the settings actually used, each
//! with its formula as METHODS.md states it.

use rank::{Method, RatingScale, ScaleBands, Weighting};

/// What the descriptions need to know about a round's data.
#[derive(Debug, Clone)]
pub(crate) struct MethodContext {
    /// m: the number of items ranked or rated.
    pub item_count: usize,
    /// The longest ranking given: the k of JLA points.
    pub longest_ballot: usize,
    /// The rating scale, for rating data.
    pub scale: Option<(i32, i32)>,
    /// The lowest rating counted by top-box and group-informed consensus.
    pub agree_from: Option<i32>,
    /// CHNRI criteria: label and weight.
    pub criteria: Vec<(String, f64)>,
    /// Whether the answers are pairwise choices rather than rankings (the margins N[a][b] of
    /// Copeland, Schulze and Kemeny then count choices).
    pub pairwise: bool,
}

/// A method or weighting explained: a sentence for readers and the formula.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Explained {
    pub text: String,
    pub formula: String,
}

/// "first", "second", ... "tenth", then "11th".
pub(crate) fn ordinal(number: usize) -> String {
    const WORDS: [&str; 10] = [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth",
    ];
    match number {
        1..=10 => WORDS[number - 1].to_string(),
        _ => {
            let suffix = match (number % 10, number % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{number}{suffix}")
        }
    }
}

/// The bottom and top thirds of a scale `min..=max`, as `rank` defines them (1–3 and 7–9 on
/// 1–9): the bottom and top of [`ScaleBands`]. A definition's scale always fits `rank`'s
/// (`survey` keeps it within -1000..=1000 and not empty); any other is read as 1–9.
pub(crate) fn scale_bands(min: i32, max: i32) -> ((i32, i32), (i32, i32)) {
    let scale = i16::try_from(min)
        .ok()
        .zip(i16::try_from(max).ok())
        .and_then(|(min, max)| RatingScale::new(min, max).ok())
        .unwrap_or_else(RatingScale::one_to_nine);
    let bands = ScaleBands::of(scale);
    let wide = |(lowest, highest): (i16, i16)| (i32::from(lowest), i32::from(highest));
    (wide(bands.bottom), wide(bands.top))
}

/// A band of the scale: `7–9`, or `5` when it is one point.
pub(crate) fn band_text(range: (i32, i32)) -> String {
    if range.0 == range.1 {
        range.0.to_string()
    } else {
        format!("{}–{}", range.0, range.1)
    }
}

/// "10 points to their first choice, 9 to their second ... and 1 to their tenth".
fn points_phrase(k: usize) -> String {
    match k {
        0 | 1 => "1 point to their first choice".to_string(),
        2 => "2 points to their first choice and 1 to their second".to_string(),
        3 => "3 points to their first choice, 2 to their second and 1 to their third".to_string(),
        _ => format!(
            "{k} points to their first choice, {} to their second, {} to their third, and so on \
             down to 1 point for their {} choice",
            k - 1,
            k - 2,
            ordinal(k)
        ),
    }
}

/// The method explained for this round's data.
pub(crate) fn explain_method(method: Method, context: &MethodContext) -> Explained {
    let (text, formula) = match method {
        Method::Borda | Method::Points | Method::Dowdall | Method::Count => {
            explain_positional(method, context)
        }
        Method::Copeland | Method::Schulze | Method::Kemeny => {
            explain_pairwise_majority(method, context.pairwise)
        }
        Method::PlackettLuce | Method::BradleyTerry | Method::WinRate => {
            explain_choice_model(method)
        }
        Method::Mean | Method::Median | Method::RandUcla => explain_rating_summary(method),
        Method::TopBox => explain_top_box(context),
        Method::Delphi => explain_delphi(context),
        Method::Chnri => explain_chnri(context),
    };
    Explained { text, formula }
}

/// The text and formula of the methods that give points by place in a ranking: Borda, JLA
/// points, Dowdall and count.
fn explain_positional(method: Method, context: &MethodContext) -> (String, String) {
    let m = context.item_count;
    match method {
        Method::Borda => (
            format!(
                "Borda count (averaged): with m = {m} items, an item in place p of a person's \
             ranking scored m − p points ({} for first place, 0 for last). Tied items shared \
             the mean of their places' points, and the items a person did not rank shared \
             the mean of the places left, (m − k − 1)/2 for a ranking of k items.",
                m.saturating_sub(1)
            ),
            "points_r(i) = m − p_r(i)            (tied items: the mean over their places)\n\
         points_r(i) = (m − k_r − 1) / 2     (i not ranked by r, who ranked k_r items)\n\
         score(i)    = Σ_r w_r · points_r(i)"
                .to_string(),
        ),
        Method::Points => {
            let k = context.longest_ballot.max(1);
            (
                format!(
                    "James Lind Alliance points: each person's ranking gave {}; items they did \
                 not rank got no points, and tied items shared the mean of their places' \
                 points.",
                    points_phrase(k)
                ),
                format!(
                    "points_r(i) = k + 1 − p_r(i)   for a place p_r(i) in the top k = {k}; 0 if \
                 not ranked\nscore(i)    = Σ_r w_r · points_r(i)"
                ),
            )
        }
        Method::Dowdall => (
            "Dowdall scores: place p of a person's ranking scored 1/p points (1 for first, 1/2 \
         for second, 1/3 for third, and so on); unranked items scored 0, and tied items \
         shared the mean of their places' points."
                .to_string(),
            "points_r(i) = 1 / p_r(i)   (0 if not ranked)\nscore(i)    = Σ_r w_r · points_r(i)"
                .to_string(),
        ),
        Method::Count => (
            "Count (JLA \"choose k\"): each item scored 1 for every person who ranked or picked \
         it, whatever its place."
                .to_string(),
            "score(i) = Σ_r w_r · [r ranked or picked i]".to_string(),
        ),
        _ => unreachable!("explain_positional is called for positional methods only"),
    }
}

/// The text and formula of the methods built on pairwise majorities: Copeland, Schulze and
/// Kemeny–Young, on rankings or on pairwise choices (METHODS.md defines N\[a\]\[b\] for both).
fn explain_pairwise_majority(method: Method, pairwise: bool) -> (String, String) {
    if pairwise {
        return explain_majority_of_choices(method);
    }
    match method {
        Method::Copeland => (
            "Copeland: every pair of items was compared. Item a beat item b when more \
         (weighted) people put a above b than b above a, a ranked item counting as above \
         every item the person did not rank. Each item scored its wins plus half its ties."
                .to_string(),
            "N[a][b]  = Σ w_r over people r who put a strictly above b\n\
         score(a) = #{b : N[a][b] > N[b][a]} + ½ · #{b ≠ a : N[a][b] = N[b][a]}"
                .to_string(),
        ),
        Method::Schulze => (
            "Schulze (winning votes): from the pairwise tallies N[a][b], a beat b with strength \
         N[a][b] when N[a][b] > N[b][a]. The strength of a path is its weakest link, and \
         p[a][b] is the strongest path from a to b. Item a is above b when p[a][b] > \
         p[b][a]; items are ranked by how many others they are above."
                .to_string(),
            "d[a][b] = N[a][b] if N[a][b] > N[b][a], else 0\n\
         p[a][b] = max over paths a = x0, x1, ..., xn = b of min_j d[x(j−1)][x(j)]\n\
         a above b  ⇔  p[a][b] > p[b][a]"
                .to_string(),
        ),
        Method::Kemeny => (
            "Kemeny–Young: the order of all the items that disagrees with as few of the \
         people's pairwise preferences as possible. It is solved exactly for up to 20 \
         items; beyond that a stated heuristic reports its objective and a lower bound."
                .to_string(),
            "order* = argmin over orders of Σ_{a above b in the order} N[b][a]".to_string(),
        ),
        _ => unreachable!("explain_pairwise_majority is called for pairwise-majority methods only"),
    }
}

/// Copeland, Schulze and Kemeny–Young on pairwise choices: the same methods on the margins
/// N\[a\]\[b\] counted from the choices (METHODS.md, "Pairwise majority methods").
fn explain_majority_of_choices(method: Method) -> (String, String) {
    const TALLY: &str = "N[a][b]  = Σ w_r · (the number of times person r chose a over b)";
    let tally_text = "N[a][b] is the (weighted) number of times a was chosen over b: a person \
                      shown the pair twice counted twice, and \"can't decide\" counted for \
                      neither.";
    match method {
        Method::Copeland => (
            format!(
                "Copeland: every pair of items was compared. {tally_text} Item a beat item b \
                 when N[a][b] > N[b][a]. Each item scored its wins plus half its ties."
            ),
            format!(
                "{TALLY}\nscore(a) = #{{b : N[a][b] > N[b][a]}} + ½ · #{{b ≠ a : N[a][b] = \
                 N[b][a]}}"
            ),
        ),
        Method::Schulze => (
            format!(
                "Schulze (winning votes): {tally_text} Item a beat b with strength N[a][b] when \
                 N[a][b] > N[b][a]. The strength of a path is its weakest link, and p[a][b] is \
                 the strongest path from a to b. Item a is above b when p[a][b] > p[b][a]; \
                 items are ranked by how many others they are above."
            ),
            format!(
                "{TALLY}\nd[a][b] = N[a][b] if N[a][b] > N[b][a], else 0\n\
                 p[a][b] = max over paths a = x0, x1, ..., xn = b of min_j d[x(j−1)][x(j)]\n\
                 a above b  ⇔  p[a][b] > p[b][a]"
            ),
        ),
        Method::Kemeny => (
            format!(
                "Kemeny–Young: the order of all the items that disagrees with as few of the \
                 people's pairwise choices as possible. {tally_text} It is solved exactly for \
                 up to 20 items; beyond that a stated heuristic reports its objective and a \
                 lower bound."
            ),
            format!("{TALLY}\norder* = argmin over orders of Σ_{{a above b in the order}} N[b][a]"),
        ),
        _ => {
            unreachable!("explain_majority_of_choices is called for pairwise-majority methods only")
        }
    }
}

/// The text and formula of the methods that model choices: Plackett–Luce, Bradley–Terry and
/// win rate.
fn explain_choice_model(method: Method) -> (String, String) {
    match method {
        Method::PlackettLuce => (
            "Plackett–Luce: each ranking is read as successive choices, each among the items \
         not yet chosen (items the person did not rank included). Each item's strength γ \
         is the maximum-likelihood estimate (MM algorithm, Hunter 2004); scores are \
         log-strengths centred at 0."
                .to_string(),
            "P(ranking r) = Π_{j=1..k_r} γ_{i_j} / Σ_{l not chosen before j} γ_l\n\
         score(i)     = log γ_i − mean_l log γ_l"
                .to_string(),
        ),
        Method::BradleyTerry => (
            "Bradley–Terry: each pairwise choice is a contest between two items; each item's \
         strength γ is the maximum-likelihood estimate (MM algorithm, Hunter 2004); scores \
         are log-strengths centred at 0."
                .to_string(),
            "P(a chosen over b) = γ_a / (γ_a + γ_b)\nscore(i) = log γ_i − mean_l log γ_l"
                .to_string(),
        ),
        Method::WinRate => (
            "Win rate (All Our Ideas): the share of an item's pairwise contests that it won, \
         with one win and one loss added so that items seen rarely are not extreme."
                .to_string(),
            "score(i) = 100 · (wins + 1) / (wins + losses + 2)".to_string(),
        ),
        _ => unreachable!("explain_choice_model is called for choice models only"),
    }
}

/// The text and formula of the ratings' summaries: mean, median and RAND/UCLA.
fn explain_rating_summary(method: Method) -> (String, String) {
    match method {
        Method::Mean => (
            "Mean rating: the (weighted) mean of the ratings the item was given; \"don't know\" \
         and unanswered items are left out, not counted as low ratings."
                .to_string(),
            "score(i) = Σ_r w_r · x_r(i) / Σ_r w_r   over the people r who rated i".to_string(),
        ),
        Method::Median => (
            "Median rating: the (weighted) median of the ratings the item was given, the \
         smallest rating whose cumulative weight reaches half; \"don't know\" and \
         unanswered items are left out."
                .to_string(),
            "score(i) = min { x : Σ_{r: x_r(i) ≤ x} w_r ≥ ½ · Σ_r w_r }   over the people r who \
         rated i"
                .to_string(),
        ),
        Method::RandUcla => (
            "RAND/UCLA appropriateness: an item with median rating 7–9 is appropriate, 1–3 \
         inappropriate and 4–6 uncertain, and the panel disagrees about it when the \
         interpercentile range exceeds the range adjusted for symmetry (percentiles by \
         linear interpolation). Every rating counts once; the score is the median."
                .to_string(),
            "IPR = P70 − P30;  IPRCP = (P30 + P70) / 2;  AI = |5 − IPRCP|\n\
         IPRAS = 2.35 + 1.5 · AI;  disagreement ⇔ IPR > IPRAS"
                .to_string(),
        ),
        _ => unreachable!("explain_rating_summary is called for rating summaries only"),
    }
}

/// The text and formula of top-box: the share of ratings in the top third of the scale.
fn explain_top_box(context: &MethodContext) -> (String, String) {
    let threshold = context.agree_from.map_or_else(
        || "the lowest rating of the top third of the scale".to_string(),
        |value| value.to_string(),
    );
    let top = context
        .scale
        .map(|(min, max)| {
            format!(
                " ({} on a {min}–{max} scale)",
                band_text(scale_bands(min, max).1)
            )
        })
        .unwrap_or_default();
    (
        format!(
            "Top-box: the (weighted) share of the item's ratings at or above \
             {threshold}, the top third of the scale{top}; \"don't know\" and \
             unanswered items are left out."
        ),
        format!(
            "score(i) = Σ_r w_r · [x_r(i) ≥ {threshold}] / Σ_r w_r   over the people r \
             who rated i"
        ),
    )
}

/// The text and formula of the Delphi classification (consensus in, out or none).
fn explain_delphi(context: &MethodContext) -> (String, String) {
    let (bottom, top) = context
        .scale
        .map(|(min, max)| scale_bands(min, max))
        .map_or_else(
            || ("the bottom third".to_string(), "the top third".to_string()),
            |(bottom, top)| (band_text(bottom), band_text(top)),
        );
    (
        format!(
            "Delphi classification (COMET Handbook; GRADE): an item reached consensus \
             in when at least 70% of those who rated it gave {top} and fewer than 15% \
             gave {bottom}; consensus out when at least 70% gave {bottom} and fewer \
             than 15% gave {top}; otherwise no consensus. Its score is the share \
             rating it {top}."
        ),
        format!(
            "in  : share(x ∈ {top}) ≥ 0.70 and share(x ∈ {bottom}) < 0.15\n\
             out : share(x ∈ {bottom}) ≥ 0.70 and share(x ∈ {top}) < 0.15\n\
             score(i) = share of the ratings of i in {top}"
        ),
    )
}

/// The text and formula of the CHNRI research priority score, with the criteria's weights.
fn explain_chnri(context: &MethodContext) -> (String, String) {
    let criteria = if context.criteria.is_empty() {
        String::new()
    } else {
        format!(
            " The criteria, with their weights: {}.",
            context
                .criteria
                .iter()
                .map(|(label, weight)| format!("{label} ({weight})"))
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    (
        format!(
            "CHNRI research priority score (Rudan et al. 2008): each criterion's answers \
             score yes = 1, undecided = 0.5 and no = 0, blanks ignored; a criterion's \
             score is 100 times its points over its answers, and the item's score is \
             the weighted mean of its criterion scores.{criteria}"
        ),
        "criterion_c(i) = 100 · Σ points / answers   (yes 1, undecided 0.5, no 0)\n\
         score(i)       = Σ_c v_c · criterion_c(i) / Σ_c v_c"
            .to_string(),
    )
}

/// The weighting explained; `group_weights` are the stated weights of `custom`, by group label.
pub(crate) fn explain_weighting(
    weighting: Weighting,
    method: Method,
    context: &MethodContext,
    group_weights: &[(String, f64)],
) -> Explained {
    let m = context.item_count;
    let positional = matches!(
        method,
        Method::Borda | Method::Points | Method::Dowdall | Method::Count
    );
    let (text, formula) = match weighting {
        Weighting::Pooled => (
            "Pooled: every person counted once, so a larger stakeholder group carried more \
             weight than a smaller one."
                .to_string(),
            "w_r = 1 for every person r".to_string(),
        ),
        Weighting::EqualGroups => (
            "Equal groups: each person in a group of n people counted 1/n, so each stakeholder \
             group counted equally whatever its size."
                .to_string(),
            if positional {
                "w_r = 1 / n_g for person r in group g of n_g people, so\n\
                 score(i) = Σ_g w_g · mean_{r∈g} points_r(i)   with w_g = 1 for every group"
                    .to_string()
            } else {
                "w_r = 1 / n_g for person r in group g of n_g people".to_string()
            },
        ),
        Weighting::JlaPositions => (
            format!(
                "James Lind Alliance positions: the {method} scores were worked out within each \
                 stakeholder group on its own; each group's ranking then gave {m} points to its \
                 first item, {} to its second, and so on down to 1 for its last (tied items \
                 sharing the mean), and these position points were added up across the groups, \
                 so each group counts equally whatever its size.",
                m.saturating_sub(1)
            ),
            format!(
                "rank_g(i) = the rank of item i by {method} within group g alone\n\
                 score(i)  = Σ_g (m + 1 − rank_g(i))   with m = {m}; tied items share the mean"
            ),
        ),
        Weighting::Custom => (
            format!(
                "Custom weights: each person in a group counted the weight stated for that \
                 group ({}).",
                group_weights
                    .iter()
                    .map(|(group, weight)| format!("{group}: {weight}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            "w_r = w_g for person r in group g".to_string(),
        ),
    };
    Explained { text, formula }
}

/// Kendall's W, τ-b and the bootstrap, as METHODS.md defines them.
pub(crate) const KENDALL_W_FORMULA: &str = "R_i = Σ_j rank_j(i)   (mid-ranks; unranked items tied at the bottom)\n\
S   = Σ_i (R_i − mean R)²\n\
W   = 12 S / (k² (m³ − m) − k Σ_j T_j),   T_j = Σ (t³ − t) over rater j's ties\n\
χ²  = k (m − 1) W  with m − 1 degrees of freedom";

/// Kendall's τ-b between two rankings.
pub(crate) const TAU_B_FORMULA: &str = "τ_b = (C − D) / √((C + D + T_x) (C + D + T_y))   C, D: concordant and discordant pairs; \
T_x, T_y: pairs tied in one ranking only";

/// The bootstrap.
pub(crate) const BOOTSTRAP_FORMULA: &str = "for b = 1..B: draw n_g people with replacement within each group g; rerun the method\n\
rank interval(i) = [2.5th, 97.5th percentile of rank_b(i)]\n\
p_top(i)         = #{b : rank_b(i) ≤ k} / B";

#[cfg(test)]
mod tests;
