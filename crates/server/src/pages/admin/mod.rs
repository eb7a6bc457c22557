//! The research lead's pages: sign-in, exercises and rounds with their state, opening and
//! closing rounds, participation by group and round, invites, the definition (with errors at
//! their line), exports and results by group.

use store::Admin;

use super::{FormToken, Layout};

fn admin_layout(title: &str, token: &FormToken, admin: &Admin, has_errors: bool) -> Layout {
    Layout {
        title: title.to_string(),
        csrf: token.token.clone(),
        admin: Some(admin.email.clone()),
        has_errors,
    }
}

mod access;
pub(crate) mod curation;

mod dashboard;
mod definition;
mod exercise;
mod join;
pub(crate) mod method_report;
mod people;
mod results;
mod session;

pub(crate) use access::{AdminPageResult, AdminRejection, SignedIn, check_form, signed_in};
pub use dashboard::dashboard;
pub use definition::{definition, definition_post, new_exercise, new_exercise_post};
pub use exercise::{
    close_round, close_round_confirm, exercise, invites, open_round, open_round_confirm,
    schedule_round,
};
pub use join::{join, join_post};
pub use method_report::report;
pub use people::{people, people_post};
pub use results::{responses_csv, results};
pub use session::{sign_in, sign_in_post, sign_out};

/// One option of a select on the admin pages.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}
