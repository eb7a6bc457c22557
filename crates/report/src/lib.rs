//! `report`: renders what `rank` computes for a `survey` exercise: results as JSON (the
//! `rank --format json` object of DESIGN.md), CSV and text tables, charts, and the method
//! report (HTML and Markdown).
//!
//! Nothing here computes a statistic; it only arranges and labels what [`rank::analysis`]
//! returns.
#![deny(missing_docs)]

pub mod audit;
pub mod charts;
pub mod disclosure;
pub mod findings;
pub mod method_report;
pub mod numbers;
pub mod plain;
pub mod ranking;
pub mod results;
pub mod table;

pub use audit::{AuditRow, AuditStatus, AuditTrail, audit_trail, write_audit_csv};
pub use charts::{
    Chart, ChartError, GroupAgreementMatrix, GroupRankHeatmap, MethodSensitivityChart,
    ParticipationChart, RatingDistributionChart, RenderedChart, RoundMovementChart,
    TopPrioritiesChart,
};
pub use method_report::{
    ChartFile, MethodReport, ReportError, ReportInput, RoundData, SourceFile, escape_html,
    escape_markdown, method_report, method_report_with_curation, rank_round,
};
pub use ranking::{Ranked, RankingError, RankingRequest, rank_responses};
pub use results::{
    Context, InputSummary, ResultsDocument, Settings, results_csv, results_document,
};
pub use table::results_table;
