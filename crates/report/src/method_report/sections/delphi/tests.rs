use super::*;
use crate::numbers;

#[test]
fn stopping_sentences() {
    assert_eq!(
        stopping_text(
            true,
            &StoppingEvidence::Stability {
                stable: 17,
                items: 20,
                share: 0.85,
                required: 0.8,
                max_change: 0.15
            }
        ),
        "met: 17 of 20 items stable, changing by less than 15 points (85% ≥ 80%)"
    );
    assert_eq!(
        stopping_text(
            false,
            &StoppingEvidence::Consensus {
                reached: 3,
                items: 5,
                share: 0.6,
                required: 0.75
            }
        ),
        "not met: 3 of 5 items reached consensus (60% < 75%)"
    );
    assert_eq!(
        stopping_text(
            false,
            &StoppingEvidence::Rounds {
                round: 1,
                rounds: 2
            }
        ),
        "not met: this is rating round 1 of the 2 defined"
    );
    assert_eq!(numbers::change_in_points(-0.1666), "−17");
    assert_eq!(numbers::change_in_points(0.4), "+40");
}
