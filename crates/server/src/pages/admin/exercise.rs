//! One exercise: its rounds with their dates, opening and closing them (each after a page
//! that says what it will do), when they open and close by themselves, participation and
//! invites. Every role reads the page; only leads and owners see and may use its actions.
//! After an action the page says what was done, in a sentence rebuilt from what is stored.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use rank::disclosure::POOLED_GROUPS_LABEL;
use serde::Deserialize;
use store::{Admin, Role, RoundState, RoundStatus, StoredExercise};

use super::dashboard::{RoundRow, round_rows};
use super::{AdminPageResult, AdminRejection, SignedIn, admin_layout, check_form};
use crate::AppState;
use crate::access::Permission;
use crate::error::AppError;
use crate::handlers::exercises::stored_exercise;
use crate::pages::{FieldError, Fields, FormToken, Layout, PageResult, field, render, see_other};
use crate::participation::RoundCounts;
use crate::schedule::{form_value, in_words, parse_form_time};

// ---------------------------------------------------------------------------------------------
// One exercise.

struct ParticipationRow {
    group: String,
    counts: Vec<String>,
}

/// A round on the page: its row, its dates in words, and its schedule form.
struct AdminRound {
    row: RoundRow,
    /// "Opens on …", "Closes on …", "Closed on …": what is set, in words (UTC).
    dates: Vec<String>,
    /// The schedule form's values (`YYYY-MM-DDTHH:MM`, UTC), as stored or as typed.
    opens_value: String,
    closes_value: String,
    opens_error: Option<String>,
    closes_error: Option<String>,
}

impl AdminRound {
    fn has_error(&self) -> bool {
        self.opens_error.is_some() || self.closes_error.is_some()
    }
}

#[derive(Template)]
#[template(path = "admin/exercise.html")]
struct ExerciseAdminPage {
    layout: Layout,
    notice: Option<String>,
    id: String,
    title: String,
    version: i64,
    invite_only: bool,
    /// The caller's role in words, with its article ("a research lead").
    role: String,
    /// Leads and owners: the actions that change the exercise.
    can_run: bool,
    /// Owners: who has which role.
    can_manage: bool,
    /// Whoever may download raw responses.
    can_download: bool,
    rounds: Vec<AdminRound>,
    /// Whether a round takes suggestions, so that there is an audit trail to download.
    has_suggestions: bool,
    round_titles: Vec<String>,
    participation: Vec<ParticipationRow>,
    other_groups: Option<Vec<String>>,
    other_label: String,
    totals: Vec<u64>,
    dropped: Vec<String>,
    invites: Vec<String>,
    invite_error: Option<String>,
    errors: Vec<FieldError>,
    threshold: u32,
}

/// A count in the participation table: the number, or "–" for a group not shown on its own.
fn cell(count: Option<u64>) -> String {
    count.map_or_else(|| NOT_SHOWN.to_string(), |count| count.to_string())
}

/// "Other groups" from "other groups".
fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// What a cell of a group not shown on its own holds.
const NOT_SHOWN: &str = "–";

/// The participation table's rows through the disclosure rule: one per group (its count per
/// round, or "–" where it is not shown on its own), the "other groups" row when any round has
/// one, and the totals.
fn participation_rows(
    exercise: &survey::Exercise,
    shown: &[RoundCounts],
) -> (Vec<ParticipationRow>, Option<Vec<String>>, Vec<u64>) {
    let rows = exercise
        .groups
        .iter()
        .enumerate()
        .map(|(group, label)| ParticipationRow {
            group: label.label.clone(),
            counts: shown
                .iter()
                .map(|round| cell(round.respondents.groups[group].count()))
                .collect(),
        })
        .collect();
    let other_groups = shown
        .iter()
        .any(|round| round.respondents.other_groups.is_some())
        .then(|| {
            shown
                .iter()
                .map(|round| cell(round.respondents.other_groups))
                .collect()
        });
    let totals = shown.iter().map(|round| round.respondents.total).collect();
    (rows, other_groups, totals)
}

/// Drop-out: of those who answered the previous round, how many did not answer this one
/// (totals only).
fn dropped_out(shown: &[RoundCounts]) -> Vec<String> {
    shown
        .iter()
        .enumerate()
        .map(|(index, round)| {
            let Some(continued) = &round.continued else {
                return NOT_SHOWN.to_string();
            };
            let before = shown[index - 1].respondents.total;
            let left = before.saturating_sub(continued.total);
            if before == 0 {
                NOT_SHOWN.to_string()
            } else {
                format!(
                    "{left} of {before} ({:.0}%)",
                    100.0 * left as f64 / before as f64
                )
            }
        })
        .collect()
}

/// What the page shows besides the stored state: invite codes just made, errors of a form and
/// what it held, and a notice of what was just done.
#[derive(Default)]
struct Extras {
    invites: Vec<String>,
    errors: Vec<FieldError>,
    /// The schedule form as typed: (round, opens, closes).
    typed: Option<(String, String, String)>,
    notice: Option<String>,
}

/// Whether the caller may do what `need` names: a refusal is `false`, other failures are errors.
async fn allowed(
    state: &AppState,
    admin: &Admin,
    id: &str,
    need: Permission,
) -> Result<bool, AppError> {
    match state.authorize(admin, id, need).await {
        Ok(_) => Ok(true),
        Err(AppError::Forbidden(_)) => Ok(false),
        Err(error) => Err(error),
    }
}

/// A round's dates in words: the opening time while it is a draft, the closing time until it
/// closes, and when it closed.
fn round_dates(status: &RoundStatus) -> Vec<String> {
    let mut dates = Vec::new();
    if let (RoundState::Draft, Some(at)) = (status.state, status.opens_at) {
        dates.push(format!("Opens on {}", in_words(at)));
    }
    match (status.state, status.closes_at, status.closed_at) {
        (RoundState::Closed, _, Some(at)) => dates.push(format!("Closed on {}", in_words(at))),
        (RoundState::Closed, _, None) => {}
        (_, Some(at), _) => dates.push(format!("Closes on {}", in_words(at))),
        _ => {}
    }
    dates
}

fn error_for(errors: &[FieldError], anchor: &str) -> Option<String> {
    errors
        .iter()
        .find(|error| error.anchor == anchor)
        .map(|error| error.message.clone())
}

async fn exercise_admin_page(
    state: &AppState,
    token: &FormToken,
    admin: &Admin,
    id: &str,
    extras: Extras,
) -> Result<ExerciseAdminPage, AppError> {
    let role = state.authorize(admin, id, Permission::Read).await?;
    let can_download = allowed(state, admin, id, Permission::Download).await?;
    let stored = stored_exercise(state, id).await?;
    let lookup = id.to_string();
    let (counts, continuation) = state
        .blocking(move |store| Ok((store.participation(&lookup)?, store.continuation(&lookup)?)))
        .await?;
    let exercise = &stored.exercise;
    let shown = crate::participation::participation(exercise, &counts, &continuation);
    let (participation, other_groups, totals) = participation_rows(exercise, &shown);
    let dropped = dropped_out(&shown);
    let Extras {
        invites,
        errors,
        typed,
        notice,
    } = extras;
    let rounds: Vec<AdminRound> = round_rows(state, &stored)
        .await?
        .into_iter()
        .zip(&stored.rounds)
        .map(|(row, status)| {
            let (opens_value, closes_value) = match &typed {
                Some((round, opens, closes)) if *round == row.id => (opens.clone(), closes.clone()),
                _ => (
                    status.opens_at.map(form_value).unwrap_or_default(),
                    status.closes_at.map(form_value).unwrap_or_default(),
                ),
            };
            AdminRound {
                dates: round_dates(status),
                opens_value,
                closes_value,
                opens_error: error_for(&errors, &format!("opens-{}", row.id)),
                closes_error: error_for(&errors, &format!("closes-{}", row.id)),
                row,
            }
        })
        .collect();
    Ok(ExerciseAdminPage {
        layout: admin_layout(&exercise.title, token, admin, !errors.is_empty()),
        notice,
        id: id.to_string(),
        title: exercise.title.clone(),
        version: stored.version,
        invite_only: exercise.invite_only,
        role: match role {
            Role::Lead => format!("a {}", role.label()),
            Role::Advisory | Role::Owner => format!("an {}", role.label()),
        },
        can_run: role >= Role::Lead,
        can_manage: role == Role::Owner,
        can_download,
        has_suggestions: rounds.iter().any(|round| round.row.suggest),
        rounds,
        round_titles: exercise
            .rounds
            .iter()
            .map(|round| round.title.clone())
            .collect(),
        participation,
        other_groups,
        other_label: capitalised(POOLED_GROUPS_LABEL),
        totals,
        dropped,
        threshold: exercise.disclosure_threshold,
        invites,
        invite_error: error_for(&errors, "count"),
        errors,
    })
}

/// What was just done, named in the address of the page shown after it: only the kind of
/// action and the round's id, from which [`notice`] rebuilds the sentence out of what is
/// stored. Nothing typed by anyone is echoed.
#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    round: Option<String>,
}

/// "1 answer", "192 answers".
fn answers(count: u64) -> String {
    if count == 1 {
        "1 answer".to_string()
    } else {
        format!("{count} answers")
    }
}

/// The sentence saying what was just done, rebuilt from the stored state; `None` when the
/// query names no round, or the state no longer matches (someone changed it since).
fn notice(stored: &StoredExercise, rounds: &[RoundRow], query: &NoticeQuery) -> Option<String> {
    let round_id = query.round.as_deref()?;
    let position = stored
        .exercise
        .rounds
        .iter()
        .position(|round| round.id.as_str() == round_id)?;
    let title = &stored.exercise.rounds[position].title;
    let status = &stored.rounds[position];
    let respondents = rounds.get(position).map_or(0, |row| row.respondents);
    match (query.done.as_deref()?, status.state) {
        ("opened", RoundState::Open) => Some(match status.closes_at {
            Some(at) => format!("Round “{title}” is now open: it closes on {}", in_words(at)),
            None => format!("Round “{title}” is now open"),
        }),
        ("closed", RoundState::Closed) => Some(format!(
            "Round “{title}” is now closed: {}",
            answers(respondents)
        )),
        ("scheduled", _) => Some(match (status.opens_at, status.closes_at) {
            (Some(opens), Some(closes)) => format!(
                "Round “{title}” will open on {} and close on {}",
                in_words(opens),
                in_words(closes)
            ),
            (Some(opens), None) => format!("Round “{title}” will open on {}", in_words(opens)),
            (None, Some(closes)) => {
                format!("Round “{title}” will close on {}", in_words(closes))
            }
            (None, None) => format!("Round “{title}” has no opening or closing date now"),
        }),
        _ => None,
    }
}

/// `GET /admin/e/{exercise}`: every role reads it; a notice says what was just done.
pub async fn exercise(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    state.authorize(&admin, &id, Permission::Read).await?;
    let stored = stored_exercise(&state, &id).await?;
    let rows = round_rows(&state, &stored).await?;
    let extras = Extras {
        notice: notice(&stored, &rows, &query),
        ..Extras::default()
    };
    let page = exercise_admin_page(&state, &token, &admin, &id, extras).await?;
    Ok(render(&page, StatusCode::OK, &token, &state))
}

/// The page before opening or closing a round: what it will do, and the button that does it.
#[derive(Template)]
#[template(path = "admin/round_state.html")]
struct RoundStatePage {
    layout: Layout,
    id: String,
    heading: String,
    paragraphs: Vec<String>,
    /// The button's text, when the change can be made.
    button: Option<String>,
    warning: bool,
    action: String,
}

/// The stored exercise and the position of `round` in it, or 404.
async fn exercise_and_round(
    state: &AppState,
    id: &str,
    round: &str,
) -> Result<(StoredExercise, usize), AppError> {
    let stored = stored_exercise(state, id).await?;
    let position = stored
        .exercise
        .rounds
        .iter()
        .position(|candidate| candidate.id.as_str() == round)
        .ok_or_else(|| AppError::NotFound(format!("exercise `{id}` has no round `{round}`")))?;
    Ok((stored, position))
}

async fn round_state_page(
    state: &AppState,
    token: &FormToken,
    admin: &Admin,
    id: &str,
    round: &str,
    target: RoundState,
) -> PageResult {
    state.authorize(admin, id, Permission::Run).await?;
    let (stored, position) = exercise_and_round(state, id, round).await?;
    let definition = &stored.exercise.rounds[position];
    let status = &stored.rounds[position];
    let title = &definition.title;
    let respondents = round_rows(state, &stored)
        .await?
        .get(position)
        .map_or(0, |row| row.respondents);
    let people = if respondents == 1 {
        "1 person has answered".to_string()
    } else {
        format!("{respondents} people have answered")
    };
    let (heading, mut paragraphs, button) = match target {
        _ if status.state == target => (
            format!("“{title}” is already {}", target.as_str()),
            vec![format!("{people}.")],
            None,
        ),
        RoundState::Closed => (
            format!("Close “{title}”?"),
            vec![format!(
                "{people}; once closed, no one can answer it. Their answers stay as they are, and you can open it again later."
            )],
            Some("Close the round".to_string()),
        ),
        _ => {
            let mut paragraphs = vec![match status.closes_at {
                Some(at) => format!(
                    "Once open, people can answer it until it closes on {}, or until you close it.",
                    in_words(at)
                ),
                None => "Once open, people can answer it until you close it.".to_string(),
            }];
            if status.state == RoundState::Closed {
                paragraphs.push(format!(
                    "It was closed: {people}. They can change their answers again while it is open."
                ));
            }
            match definition.ready() {
                Ok(()) => (
                    format!("Open “{title}”?"),
                    paragraphs,
                    Some("Open the round".to_string()),
                ),
                Err(reason) => (format!("“{title}” cannot open yet"), vec![reason], None),
            }
        }
    };
    if let (RoundState::Closed, Some(at)) = (target, status.closes_at)
        && status.state == RoundState::Open
    {
        paragraphs.push(format!("It is set to close by itself on {}.", in_words(at)));
    }
    let action = match target {
        RoundState::Closed => "close",
        _ => "open",
    };
    let page = RoundStatePage {
        layout: admin_layout(&heading, token, admin, false),
        id: id.to_string(),
        heading,
        paragraphs,
        button,
        warning: target == RoundState::Closed,
        action: format!("/admin/e/{id}/r/{round}/{action}"),
    };
    Ok(render(&page, StatusCode::OK, token, state))
}

/// `GET /admin/e/{exercise}/r/{round}/open`: what opening the round does, and its button.
pub async fn open_round_confirm(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    round_state_page(&state, &token, &admin, &id, &round, RoundState::Open).await
}

/// `GET /admin/e/{exercise}/r/{round}/close`: "Close …? N people have answered", and its
/// button.
pub async fn close_round_confirm(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    SignedIn(admin): SignedIn,
) -> PageResult {
    round_state_page(&state, &token, &admin, &id, &round, RoundState::Closed).await
}

async fn set_round(
    state: AppState,
    token: FormToken,
    admin: Result<SignedIn, AdminRejection>,
    id: String,
    round: String,
    fields: Fields,
    target: RoundState,
) -> AdminPageResult {
    let back = format!("/admin/e/{id}");
    check_form(&state, &token, &fields, &back)?;
    let SignedIn(admin) = admin?;
    state.authorize(&admin, &id, Permission::Run).await?;
    let done = match target {
        RoundState::Closed => "closed",
        _ => "opened",
    };
    let next = format!("{back}?done={done}&round={round}");
    let now = state.clock.now();
    state
        .blocking(move |store| store.set_round_state_at(&id, &round, target, &admin.email, now))
        .await?;
    Ok(see_other(&next))
}

/// `POST /admin/e/{exercise}/r/{round}/open`.
pub async fn open_round(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    set_round(state, token, admin, id, round, fields, RoundState::Open).await
}

/// `POST /admin/e/{exercise}/r/{round}/close`.
pub async fn close_round(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    set_round(state, token, admin, id, round, fields, RoundState::Closed).await
}

/// `POST /admin/e/{exercise}/r/{round}/schedule`: sets (or clears, when left empty) when the
/// round opens and closes by itself. Times are typed in UTC.
pub async fn schedule_round(
    State(state): State<AppState>,
    token: FormToken,
    Path((id, round)): Path<(String, String)>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    let back = format!("/admin/e/{id}");
    check_form(&state, &token, &fields, &back)?;
    let SignedIn(admin) = admin?;
    state.authorize(&admin, &id, Permission::Run).await?;
    exercise_and_round(&state, &id, &round).await?;
    let typed = |name: &str| field(&fields, name).unwrap_or_default().trim().to_string();
    let (opens_text, closes_text) = (typed("opens_at"), typed("closes_at"));
    let mut errors = Vec::new();
    let mut read = |text: &str, anchor: String, what: &str| {
        if text.is_empty() {
            return None;
        }
        let parsed = parse_form_time(text);
        if parsed.is_none() {
            errors.push(FieldError {
                anchor,
                message: format!(
                    "Enter the {what} time as a date and a time of day in UTC, like 2027-01-10 09:00"
                ),
            });
        }
        parsed
    };
    let opens_at = read(&opens_text, format!("opens-{round}"), "opening");
    let closes_at = read(&closes_text, format!("closes-{round}"), "closing");
    if let (Some(opens), Some(closes)) = (opens_at, closes_at)
        && closes <= opens
    {
        errors.push(FieldError {
            anchor: format!("closes-{round}"),
            message: "The closing time must be after the opening time".to_string(),
        });
    }
    if !errors.is_empty() {
        let extras = Extras {
            errors,
            typed: Some((round.clone(), opens_text, closes_text)),
            ..Extras::default()
        };
        let page = exercise_admin_page(&state, &token, &admin, &id, extras).await?;
        return Ok(render(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            &state,
        ));
    }
    let next = format!("{back}?done=scheduled&round={round}");
    state
        .blocking(move |store| {
            store.set_round_schedule(&id, &round, opens_at, closes_at, &admin.email)
        })
        .await?;
    Ok(see_other(&next))
}

/// `POST /admin/e/{exercise}/invites`: shows the new invite codes once.
pub async fn invites(
    State(state): State<AppState>,
    token: FormToken,
    Path(id): Path<String>,
    admin: Result<SignedIn, AdminRejection>,
    Form(fields): Form<Fields>,
) -> AdminPageResult {
    check_form(&state, &token, &fields, &format!("/admin/e/{id}"))?;
    let SignedIn(admin) = admin?;
    state.authorize(&admin, &id, Permission::Run).await?;
    let text = field(&fields, "count")
        .unwrap_or_default()
        .trim()
        .to_string();
    let count = text
        .parse::<u32>()
        .ok()
        .filter(|count| (1..=store::MAX_INVITES_PER_CALL).contains(count));
    let Some(count) = count else {
        let errors = vec![FieldError {
            anchor: "count".to_string(),
            message: format!(
                "Enter a number of invites from 1 to {}",
                store::MAX_INVITES_PER_CALL
            ),
        }];
        let extras = Extras {
            errors,
            ..Extras::default()
        };
        let page = exercise_admin_page(&state, &token, &admin, &id, extras).await?;
        return Ok(render(
            &page,
            StatusCode::UNPROCESSABLE_ENTITY,
            &token,
            &state,
        ));
    };
    let (exercise, actor) = (id.clone(), admin.email.clone());
    let created = state
        .blocking(move |store| store.create_invites(&exercise, count, &actor))
        .await?;
    // The codes are shown on this answer, never again, so there is no redirect: the notice
    // comes with them.
    let notice = Some(if created.len() == 1 {
        "1 invite code made: copy it now, it is shown only once".to_string()
    } else {
        format!(
            "{} invite codes made: copy them now, they are shown only once",
            created.len()
        )
    });
    let extras = Extras {
        invites: created,
        notice,
        ..Extras::default()
    };
    let page = exercise_admin_page(&state, &token, &admin, &id, extras).await?;
    Ok(render(&page, StatusCode::OK, &token, &state))
}
