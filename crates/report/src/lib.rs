//! `report`: renders what `rank` computes for a `survey` exercise: results as JSON (the
//! `rank --format json` object of DESIGN.md), CSV and text tables.
//!
//! Nothing here computes a statistic; it only arranges and labels what [`rank::analysis`]
//! returns.
#![deny(missing_docs)]

pub mod charts;
pub mod ranking;
pub mod results;
pub mod table;

pub use charts::{
    Chart, ChartError, GroupAgreementMatrix, GroupRankHeatmap, MethodSensitivityChart,
    ParticipationChart, RatingDistributionChart, RenderedChart, RoundMovementChart,
    TopPrioritiesChart,
};
pub use ranking::{Ranked, RankingError, RankingRequest, rank_responses};
pub use results::{
    Context, InputSummary, ResultsDocument, Settings, results_csv, results_document,
};
pub use table::results_table;
