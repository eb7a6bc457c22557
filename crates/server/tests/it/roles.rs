//! Roles: the matrix of every route of `router.rs` against every kind of caller (signed out,
//! advisory, advisory allowed to download, lead, owner, owner of another exercise only, an
//! account that owns every exercise, the admin token), a check that the matrix lists every
//! route, and the invitation, people page and audit flows.

use std::collections::BTreeSet;

use axum::Router;
use axum::http::{StatusCode, header};
use serde_json::{Value, json};
use store::Role;

use crate::pages::{Browser, Page};
use crate::{Call, EVERY_KIND, Reply, TestApp, router, test_app, test_app_with};

const E: &str = "every-kind";
/// The other exercise: "other owner" owns only this one.
const OTHER: &str = "invited";
/// An advisory member whose role the members routes change.
const TARGET: &str = "target@example.org";
const PASSWORD: &str = "a long enough passphrase";

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account, whatever its roles.
    SignedIn,
    /// A role in the exercise: any role.
    Read,
    /// Raw responses: lead or owner, or advisory when the owner allows it.
    Download,
    /// Lead or owner.
    Run,
    /// Owner.
    Manage,
    /// An account that owns every exercise (or the admin token).
    AllExercises,
}

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Persona {
    SignedOut,
    Advisory,
    /// Advisory, with downloads of raw responses allowed for the exercise.
    AdvisoryDownloads,
    Lead,
    /// Owner of the other exercise only.
    OtherOwner,
    Owner,
    AllExercises,
    Token,
}

const PERSONAS: [Persona; 8] = [
    Persona::SignedOut,
    Persona::Advisory,
    Persona::AdvisoryDownloads,
    Persona::Lead,
    Persona::OtherOwner,
    Persona::Owner,
    Persona::AllExercises,
    Persona::Token,
];

/// A request body.
#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    Text(String),
    Form(Vec<(&'static str, String)>),
}

/// One row of the matrix: a route of `router.rs` (method and template), the address to call
/// with real ids, a body it takes, and what it needs.
struct Route {
    method: &'static str,
    template: &'static str,
    path: String,
    body: Body,
    need: Need,
}

fn route(method: &'static str, template: &'static str, need: Need) -> Route {
    let path = template
        .replace("{exercise}", E)
        .replace("{respondent}", "r-nobody")
        .replace("{suggestion}", "nobody:1")
        .replace("{item}", "a")
        .replace("{number}", "1")
        .replace("{email}", TARGET)
        .replace("{token}", "no-such-link");
    let path = if template.contains("curat") {
        path.replace("{round}", "ideas")
    } else {
        path.replace("{round}", "top2")
    };
    Route {
        method,
        template,
        path,
        body: Body::None,
        need,
    }
}

impl Route {
    fn json(mut self, body: Value) -> Route {
        self.body = Body::Json(body);
        self
    }

    fn text(mut self, body: &str) -> Route {
        self.body = Body::Text(body.to_string());
        self
    }

    fn form(mut self, fields: &[(&'static str, &str)]) -> Route {
        self.body = Body::Form(
            fields
                .iter()
                .map(|(name, value)| (*name, value.to_string()))
                .collect(),
        );
        self
    }

    fn is_page(&self) -> bool {
        !self.template.starts_with("/api/")
    }
}

/// Every route of `router.rs`, with what it needs. A route added to the router must be added
/// here (`every_route_of_the_router_is_in_the_matrix` fails until it is).
fn matrix() -> Vec<Route> {
    use Need::*;
    vec![
        // The API.
        route("GET", "/api/v1/openapi.json", Public),
        route("GET", "/api/v1/exercises", Public),
        route("GET", "/api/v1/exercises/{exercise}", Public),
        route("PUT", "/api/v1/exercises/{exercise}", Run).text(&EVERY_KIND),
        route("POST", "/api/v1/exercises/{exercise}/respondents", Public)
            .json(json!({"group": "carers"})),
        route(
            "GET",
            "/api/v1/exercises/{exercise}/respondents/{respondent}",
            Public,
        ),
        route("POST", "/api/v1/exercises/{exercise}/resume", Public)
            .json(json!({"resume_code": "ABCD-EFGH"})),
        route(
            "PUT",
            "/api/v1/exercises/{exercise}/rounds/{round}/responses/{respondent}",
            Public,
        )
        .json(json!({"submit": false, "ranking": ["a", "b"]})),
        route(
            "GET",
            "/api/v1/exercises/{exercise}/rounds/{round}/responses/{respondent}",
            Public,
        ),
        route(
            "GET",
            "/api/v1/exercises/{exercise}/rounds/{round}/pair",
            Public,
        ),
        route(
            "GET",
            "/api/v1/exercises/{exercise}/rounds/{round}/feedback",
            Public,
        ),
        route(
            "POST",
            "/api/v1/exercises/{exercise}/rounds/{round}/open",
            Run,
        ),
        route(
            "POST",
            "/api/v1/exercises/{exercise}/rounds/{round}/close",
            Run,
        ),
        route(
            "PUT",
            "/api/v1/exercises/{exercise}/rounds/{round}/schedule",
            Run,
        )
        .json(json!({"opens_at": null, "closes_at": null})),
        route(
            "GET",
            "/api/v1/exercises/{exercise}/rounds/{round}/responses.csv",
            Download,
        ),
        route(
            "GET",
            "/api/v1/exercises/{exercise}/rounds/{round}/results",
            Read,
        ),
        route(
            "GET",
            "/api/v1/exercises/{exercise}/rounds/{round}/curation",
            Read,
        ),
        route(
            "GET",
            "/api/v1/exercises/{exercise}/rounds/{round}/curation.csv",
            Read,
        ),
        route(
            "POST",
            "/api/v1/exercises/{exercise}/rounds/{round}/curation/accept",
            Run,
        )
        .json(json!({"clusters": [0]})),
        route(
            "POST",
            "/api/v1/exercises/{exercise}/rounds/{round}/curation/groups/merge",
            Run,
        )
        .json(json!({"clusters": [0, 1], "proposal_version": 1})),
        route(
            "POST",
            "/api/v1/exercises/{exercise}/rounds/{round}/curation/groups/split",
            Run,
        )
        .json(json!({"suggestions": ["nobody:1"], "proposal_version": 1})),
        route(
            "POST",
            "/api/v1/exercises/{exercise}/rounds/{round}/curation/items",
            Run,
        )
        .json(json!({"title": "New"})),
        route(
            "POST",
            "/api/v1/exercises/{exercise}/rounds/{round}/curation/decisions",
            Run,
        )
        .json(json!({"suggestions": ["nobody:1"], "status": "unassigned", "proposal_version": 0})),
        route(
            "PUT",
            "/api/v1/exercises/{exercise}/rounds/{round}/curation/{suggestion}",
            Run,
        )
        .json(json!({"status": "unassigned"})),
        route(
            "PUT",
            "/api/v1/exercises/{exercise}/rounds/{round}/curation/{suggestion}/review",
            Run,
        )
        .json(json!({"review": "reviewed"})),
        route("PATCH", "/api/v1/exercises/{exercise}/items/{item}", Run)
            .json(json!({"title": "Renamed"})),
        route("GET", "/api/v1/exercises/{exercise}/audit.csv", Read),
        route(
            "GET",
            "/api/v1/exercises/{exercise}/rounds/{round}/shortlist",
            Read,
        ),
        route(
            "POST",
            "/api/v1/exercises/{exercise}/rounds/{round}/shortlist",
            Run,
        )
        .json(json!({"rule": "top", "k": 2})),
        route("POST", "/api/v1/exercises/{exercise}/invites", Run).json(json!({"count": 1})),
        route("GET", "/api/v1/exercises/{exercise}/participation", Read),
        route("GET", "/api/v1/exercises/{exercise}/members", Manage),
        route("POST", "/api/v1/exercises/{exercise}/members", Manage)
            .json(json!({"email": "new@example.org", "role": "advisory"})),
        route(
            "PUT",
            "/api/v1/exercises/{exercise}/members/{email}",
            Manage,
        )
        .json(json!({"role": "lead"})),
        route(
            "DELETE",
            "/api/v1/exercises/{exercise}/members/{email}",
            Manage,
        ),
        route("PUT", "/api/v1/exercises/{exercise}/access", Manage)
            .json(json!({"advisory_downloads": false})),
        route(
            "POST",
            "/api/v1/exercises/{exercise}/rounds/{round}/publication",
            Run,
        ),
        route("GET", "/api/v1/exercises/{exercise}/publication", Public),
        route("DELETE", "/api/v1/exercises/{exercise}/publication", Run),
        route("GET", "/api/v1/audit", AllExercises),
        route("POST", "/api/v1/sessions", Public)
            .json(json!({"email": "all@example.org", "password": PASSWORD})),
        route("DELETE", "/api/v1/sessions", SignedIn),
        // The stakeholder pages.
        route("GET", "/", Public),
        route("GET", "/e/{exercise}", Public),
        route("GET", "/e/{exercise}/start", Public),
        route("POST", "/e/{exercise}/start", Public).form(&[("group", "carers")]),
        route("GET", "/e/{exercise}/started", Public),
        route("GET", "/e/{exercise}/resume", Public),
        route("POST", "/e/{exercise}/resume", Public).form(&[("code", "ABCD-EFGH")]),
        route("GET", "/e/{exercise}/saved", Public),
        route("GET", "/e/{exercise}/r/{round}", Public),
        route("POST", "/e/{exercise}/r/{round}", Public).form(&[]),
        route("GET", "/e/{exercise}/r/{round}/check", Public),
        route("POST", "/e/{exercise}/r/{round}/check", Public).form(&[]),
        route("GET", "/e/{exercise}/r/{round}/done", Public),
        route("GET", "/e/{exercise}/results", Public),
        route("GET", "/e/{exercise}/results/easy-read", Public),
        route("GET", "/e/{exercise}/results/report", Public),
        // The admin pages.
        route("GET", "/admin", SignedIn),
        route("GET", "/admin/e/{exercise}/r/{round}/curate", Read),
        route("POST", "/admin/e/{exercise}/r/{round}/curate", Run).form(&[("cluster", "0")]),
        route("GET", "/admin/e/{exercise}/r/{round}/curate/accept", Run),
        route("POST", "/admin/e/{exercise}/r/{round}/curate/accept", Run).form(&[]),
        route(
            "GET",
            "/admin/e/{exercise}/r/{round}/curate/groups/{number}",
            Read,
        ),
        route(
            "POST",
            "/admin/e/{exercise}/r/{round}/curate/groups/{number}",
            Run,
        )
        .form(&[("action", "split"), ("proposal_version", "1")]),
        route("GET", "/admin/e/{exercise}/items/{item}", Read),
        route("POST", "/admin/e/{exercise}/items/{item}", Run).form(&[("title", "Renamed")]),
        route("GET", "/admin/e/{exercise}/r/{round}/shortlist", Read),
        route("POST", "/admin/e/{exercise}/r/{round}/shortlist", Run)
            .form(&[("rule", "top"), ("k", "2")]),
        route("GET", "/admin/sign-in", Public),
        route("POST", "/admin/sign-in", Public)
            .form(&[("email", "nobody@example.org"), ("password", "wrong")]),
        route("POST", "/admin/sign-out", Public).form(&[]),
        route("GET", "/admin/new", AllExercises),
        route("POST", "/admin/new", AllExercises).form(&[("definition", "id = \"x\"")]),
        route("GET", "/admin/e/{exercise}", Read),
        route("GET", "/admin/e/{exercise}/definition", Run),
        route("POST", "/admin/e/{exercise}/definition", Run)
            .form(&[("definition", EVERY_KIND.as_str())]),
        route("GET", "/admin/e/{exercise}/r/{round}/open", Run),
        route("POST", "/admin/e/{exercise}/r/{round}/open", Run).form(&[]),
        route("GET", "/admin/e/{exercise}/r/{round}/close", Run),
        route("POST", "/admin/e/{exercise}/r/{round}/close", Run).form(&[]),
        route("POST", "/admin/e/{exercise}/r/{round}/schedule", Run)
            .form(&[("opens_at", ""), ("closes_at", "")]),
        route("POST", "/admin/e/{exercise}/invites", Run).form(&[("count", "1")]),
        route("GET", "/admin/e/{exercise}/people", Manage),
        route("POST", "/admin/e/{exercise}/people", Manage)
            .form(&[("action", "downloads"), ("allowed", "no")]),
        route("GET", "/admin/join/{token}", Public),
        route("POST", "/admin/join/{token}", Public)
            .form(&[("password", PASSWORD), ("confirm", PASSWORD)]),
        route("GET", "/admin/e/{exercise}/publish", Run),
        route("POST", "/admin/e/{exercise}/publish", Run).form(&[("round", "top2")]),
        route("POST", "/admin/e/{exercise}/unpublish", Run).form(&[]),
        route("GET", "/admin/e/{exercise}/report", Read),
        route("GET", "/admin/e/{exercise}/r/{round}/results", Read),
        route(
            "GET",
            "/admin/e/{exercise}/r/{round}/responses.csv",
            Download,
        ),
        // Static files and health.
        route("GET", "/static/style.css", Public),
        route("GET", "/static/app.js", Public),
        route("GET", "/health", Public),
    ]
}

/// Every route of `router.rs` as (METHOD, path template): each `.route("...", ...)` with the
/// methods its handler chain names, `/api/v1` in front of the API router's.
fn routes_of_the_router() -> BTreeSet<(String, String)> {
    let source = include_str!("../../src/router.rs");
    let mut routes = BTreeSet::new();
    let mut prefix = "";
    let mut rest = source;
    loop {
        let next_route = rest.find(".route(");
        let next_api = rest.find("let api = ");
        let next_other = rest.find("let stakeholder_pages = ");
        let Some(at) = next_route else { break };
        if let Some(api) = next_api
            && api < at
        {
            prefix = "/api/v1";
        }
        if let Some(other) = next_other
            && other < at
        {
            prefix = "";
        }
        rest = &rest[at + ".route(".len()..];
        // The call's text, to its closing parenthesis.
        let mut depth = 1;
        let mut end = 0;
        for (index, character) in rest.char_indices() {
            match character {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = index;
                        break;
                    }
                }
                _ => {}
            }
        }
        let call = &rest[..end];
        let path = call
            .split('"')
            .nth(1)
            .expect("a route's path is its first string");
        let mut chain = call
            .split_once(',')
            .map_or("", |(_, chain)| chain)
            .to_string();
        // Only the handler chain's own methods, not what layers inside it call.
        if let Some(layer) = chain.find(".layer(") {
            chain.truncate(layer);
        }
        for method in ["get", "post", "put", "patch", "delete"] {
            let named = chain
                .match_indices(&format!("{method}("))
                .any(|(index, _)| {
                    index == 0
                        || !chain[..index]
                            .chars()
                            .last()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                });
            if named {
                routes.insert((method.to_uppercase(), format!("{prefix}{path}")));
            }
        }
        rest = &rest[end..];
    }
    routes
}

#[test]
fn every_route_of_the_router_is_in_the_matrix() {
    let in_router = routes_of_the_router();
    assert!(in_router.len() > 60, "the router parsed to {in_router:?}");
    let in_matrix: BTreeSet<(String, String)> = matrix()
        .iter()
        .map(|route| (route.method.to_string(), route.template.to_string()))
        .collect();
    let missing: Vec<_> = in_router.difference(&in_matrix).collect();
    assert!(
        missing.is_empty(),
        "routes of router.rs missing from the role matrix in tests/it/roles.rs (add each with what it needs): {missing:?}"
    );
    let gone: Vec<_> = in_matrix.difference(&in_router).collect();
    assert!(
        gone.is_empty(),
        "routes in the role matrix that router.rs no longer has: {gone:?}"
    );
    assert_eq!(
        in_matrix.len(),
        matrix().len(),
        "a route is twice in the matrix"
    );
}

/// A test service with an account of each kind, signed in.
struct World {
    test: TestApp,
    app: Router,
    /// Session tokens by persona (none for signed out and the token).
    sessions: Vec<(Persona, String)>,
}

/// Makes an account with a role in an exercise through an accepted invitation, as people
/// get one.
fn account_with_role(test: &TestApp, hash: &str, email: &str, exercise: &str, role: Role) -> i64 {
    let store = &test.state.store;
    let link = store
        .create_account_invite(exercise, email, role, store::INVITE_LIFETIME, "test")
        .unwrap();
    store.accept_account_invite(&link, Some(hash)).unwrap().id
}

fn world(hash: &str) -> World {
    let test = test_app();
    let store = test.state.store.clone();
    let lifetime = std::time::Duration::from_secs(3600);
    let mut sessions = Vec::new();
    for (persona, email, exercise, role) in [
        (Persona::Advisory, "advisory@example.org", E, Role::Advisory),
        (Persona::Lead, "lead@example.org", E, Role::Lead),
        (Persona::Owner, "owner@example.org", E, Role::Owner),
        (Persona::OtherOwner, "other@example.org", OTHER, Role::Owner),
    ] {
        let id = account_with_role(&test, hash, email, exercise, role);
        sessions.push((persona, store.create_session(id, lifetime).unwrap()));
    }
    // The same advisory account in a session of its own (signing out ends only that one).
    let advisory = store
        .admin_by_email("advisory@example.org")
        .unwrap()
        .unwrap()
        .id;
    sessions.insert(
        1,
        (
            Persona::AdvisoryDownloads,
            store.create_session(advisory, lifetime).unwrap(),
        ),
    );
    let all = store.add_admin("all@example.org", hash).unwrap();
    sessions.push((
        Persona::AllExercises,
        store.create_session(all, lifetime).unwrap(),
    ));
    account_with_role(&test, hash, TARGET, E, Role::Advisory);
    let app = router(&test);
    World {
        test,
        app,
        sessions,
    }
}

impl World {
    fn session(&self, persona: Persona) -> Option<&str> {
        self.sessions
            .iter()
            .find(|(who, _)| *who == persona)
            .map(|(_, token)| token.as_str())
    }

    /// A browser as `persona`, and the CSRF token of its forms.
    async fn browser(&self, persona: Persona) -> (Browser, String) {
        let mut browser = Browser::new(self.app.clone());
        let page = match self.session(persona) {
            Some(session) => {
                browser
                    .cookies
                    .insert("prioritise_session".to_string(), session.to_string());
                browser.get("/admin").await
            }
            None => browser.get("/admin/sign-in").await,
        };
        let csrf = page.csrf();
        (browser, csrf)
    }

    async fn api(&self, persona: Persona, route: &Route) -> Reply {
        let mut call = Call::new(route.method, &route.path);
        if persona == Persona::Token {
            call = call.admin();
        }
        if let Some(session) = self.session(persona) {
            call = call
                .header("cookie", &format!("prioritise_session={session}"))
                .header("x-csrf-token", &server::auth::csrf_token(session));
        }
        match &route.body {
            Body::Json(body) => call.json(body.clone()),
            Body::Text(text) => call.raw("text/plain", text.clone()),
            Body::None | Body::Form(_) => call,
        }
        .send(&self.app)
        .await
    }

    async fn page(&self, persona: Persona, route: &Route) -> Page {
        let (mut browser, csrf) = self.browser(persona).await;
        if route.method == "GET" {
            return browser.get(&route.path).await;
        }
        let mut fields: Vec<(&str, &str)> = vec![("csrf_token", csrf.as_str())];
        if let Body::Form(more) = &route.body {
            fields.extend(more.iter().map(|(name, value)| (*name, value.as_str())));
        }
        browser.post(&route.path, &fields).await
    }
}

/// What a persona should get from a route needing `need`.
#[derive(Debug, PartialEq, Eq)]
enum Expect {
    Allowed,
    SignIn,
    Refused,
}

fn expect(need: Need, persona: Persona, page: bool) -> Expect {
    use Persona::*;
    if need == Need::Public {
        return Expect::Allowed;
    }
    if persona == SignedOut || (persona == Token && page) {
        return Expect::SignIn;
    }
    let allowed = match need {
        Need::Public | Need::SignedIn => true,
        Need::Read => matches!(
            persona,
            Advisory | AdvisoryDownloads | Lead | Owner | AllExercises | Token
        ),
        Need::Download => matches!(
            persona,
            AdvisoryDownloads | Lead | Owner | AllExercises | Token
        ),
        Need::Run => matches!(persona, Lead | Owner | AllExercises | Token),
        Need::Manage => matches!(persona, Owner | AllExercises | Token),
        Need::AllExercises => matches!(persona, AllExercises | Token),
    };
    if allowed {
        Expect::Allowed
    } else {
        Expect::Refused
    }
}

#[tokio::test]
async fn every_route_answers_every_caller_as_its_role_allows() {
    let hash = server::auth::hash_password(PASSWORD).unwrap();
    let mut wrong = Vec::new();
    let mut checked = 0;
    for route in matrix() {
        // A fresh service for each route, so that what one caller changes does not decide
        // what the next one gets.
        let world = world(&hash);
        for persona in PERSONAS {
            let wanted = expect(route.need, persona, route.is_page());
            if persona == Persona::AdvisoryDownloads {
                world
                    .test
                    .state
                    .store
                    .set_advisory_downloads(E, true, "test")
                    .unwrap();
            }
            let (status, location, text) = if route.is_page() {
                let page = world.page(persona, &route).await;
                (page.status, page.location, page.html)
            } else {
                let reply = world.api(persona, &route).await;
                let location = reply
                    .headers
                    .get(header::LOCATION)
                    .map(|value| value.to_str().unwrap().to_string());
                (reply.status, location, reply.text)
            };
            if persona == Persona::AdvisoryDownloads {
                world
                    .test
                    .state
                    .store
                    .set_advisory_downloads(E, false, "test")
                    .unwrap();
            }
            let to_sign_in =
                status == StatusCode::SEE_OTHER && location.as_deref() == Some("/admin/sign-in");
            let fine = match wanted {
                Expect::Allowed => {
                    status != StatusCode::UNAUTHORIZED
                        && (status != StatusCode::FORBIDDEN || route.need == Need::Public)
                        && !(to_sign_in && route.template != "/admin/sign-out")
                }
                Expect::SignIn if route.is_page() => to_sign_in,
                Expect::SignIn => status == StatusCode::UNAUTHORIZED,
                Expect::Refused if route.is_page() => {
                    status == StatusCode::FORBIDDEN && text.contains("There is a problem")
                }
                Expect::Refused => {
                    status == StatusCode::FORBIDDEN
                        && text.contains("\"errors\"")
                        && !text.contains("CSRF")
                }
            };
            checked += 1;
            if !fine {
                let excerpt: String = text.chars().take(160).collect();
                wrong.push(format!(
                    "{} {} as {persona:?}: wanted {wanted:?} (needs {:?}), got {status} {location:?} {excerpt}",
                    route.method, route.path, route.need
                ));
            }
        }
    }
    assert!(checked >= 600, "only {checked} checks");
    assert!(
        wrong.is_empty(),
        "{} of {checked} answers are not what the roles allow:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The sign-up link's token, from the link.
fn token_of(url: &str) -> String {
    url.rsplit_once("/admin/join/").unwrap().1.to_string()
}

/// Invites `email` to `role` in `exercise` with the admin token; returns the reply.
async fn invite(app: &Router, exercise: &str, email: &str, role: &str) -> Reply {
    Call::new("POST", &format!("/api/v1/exercises/{exercise}/members"))
        .admin()
        .header("host", "survey.test:8080")
        .json(json!({ "email": email, "role": role }))
        .send(app)
        .await
}

#[tokio::test]
async fn an_invitation_link_signs_a_new_person_up_once() {
    let test = test_app();
    let app = router(&test);
    let reply = invite(&app, E, "alex@example.org", "advisory").await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["email"], "alex@example.org");
    assert_eq!(reply.body["role"], "advisory");
    let url = reply.body["sign_up_url"].as_str().unwrap();
    assert!(
        url.starts_with("http://survey.test:8080/admin/join/"),
        "{url}"
    );
    let expires = reply.body["expires_at"].as_i64().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!((expires - now - 7 * 24 * 3600).abs() < 60, "{expires}");
    let link = format!("/admin/join/{}", token_of(url));

    let mut alex = Browser::new(app.clone());
    let page = alex.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.has("Join “Every kind of round”"), "{}", page.html);
    assert!(page.has("an advisory group member"), "{}", page.html);
    assert!(page.has("alex@example.org"));
    assert!(page.has("Create a password"));

    let short = alex
        .submit(&link, &[("password", "short"), ("confirm", "short")])
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.has("<title>Error: "));
    assert!(
        short.has("<a href=\"#password\">The password must be at least 12 characters long</a>")
    );
    let empty = alex
        .submit(&link, &[("password", ""), ("confirm", "")])
        .await;
    assert!(empty.has("<a href=\"#password\">Enter a password</a>"));
    assert!(empty.has("<a href=\"#confirm\">Enter the password again</a>"));
    let differ = alex
        .submit(
            &link,
            &[
                ("password", PASSWORD),
                ("confirm", "another long passphrase"),
            ],
        )
        .await;
    assert!(differ.has("<a href=\"#confirm\">The passwords do not match</a>"));
    assert!(differ.has("aria-describedby=\"confirm-error\""));

    let done = alex
        .submit(&link, &[("password", PASSWORD), ("confirm", PASSWORD)])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    assert_eq!(
        done.location.as_deref(),
        Some(format!("/admin/e/{E}").as_str())
    );
    assert!(alex.cookies.contains_key("prioritise_session"));
    let dashboard = alex.get("/admin").await;
    assert!(dashboard.has("Every kind of round"), "{}", dashboard.html);
    assert!(dashboard.has("Your role: advisory group member."));
    assert!(!dashboard.has("Invite only"), "only exercises with a role");
    assert!(!dashboard.has("Add an exercise"));

    // Once only.
    let again = Browser::new(app.clone()).get(&link).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.has("This sign-up link does not work"));
    assert!(again.has("Ask the person who invited you for a new link"));

    // An expired link.
    let expired = test
        .state
        .store
        .create_account_invite(
            E,
            "late@example.org",
            Role::Lead,
            std::time::Duration::ZERO,
            "test",
        )
        .unwrap();
    let late = Browser::new(app.clone())
        .get(&format!("/admin/join/{expired}"))
        .await;
    assert_eq!(late.status, StatusCode::NOT_FOUND);
    assert!(late.has("This sign-up link does not work"));
    let log = test.state.store.audit_log(50).unwrap();
    assert!(log.iter().any(|entry| entry.action == "invite to role"
        && entry.actor == "token"
        && entry.detail.contains("alex@example.org")));
    assert!(
        log.iter()
            .any(|entry| entry.action == "accept invitation" && entry.actor == "alex@example.org")
    );
}

#[tokio::test]
async fn an_invitation_to_an_existing_account_asks_for_its_password() {
    let test = test_app();
    let app = router(&test);
    let hash = server::auth::hash_password(PASSWORD).unwrap();
    account_with_role(&test, &hash, "sam@example.org", OTHER, Role::Lead);
    let reply = invite(&app, E, "sam@example.org", "lead").await;
    let link = format!(
        "/admin/join/{}",
        token_of(reply.body["sign_up_url"].as_str().unwrap())
    );
    let mut sam = Browser::new(app.clone());
    let page = sam.get(&link).await;
    assert!(page.has("You already have an account with this email address"));
    assert!(!page.has("Create a password"));
    let wrong = sam
        .submit(&link, &[("password", "not the password at all")])
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.has("<a href=\"#password\">The password is not right</a>"));
    let right = sam.submit(&link, &[("password", PASSWORD)]).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.html);
    let dashboard = sam.get("/admin").await;
    assert!(dashboard.has("Every kind of round"));
    assert!(dashboard.has("Invite only"));
    let account = test
        .state
        .store
        .admin_by_email("sam@example.org")
        .unwrap()
        .unwrap();
    assert_eq!(
        test.state.store.roles_of(account.id).unwrap(),
        [(E.to_string(), Role::Lead), (OTHER.to_string(), Role::Lead)]
    );
}

#[tokio::test]
async fn sign_up_links_use_the_public_address_when_there_is_one() {
    let test = test_app_with(server::Settings {
        admin_token: Some(crate::TOKEN.to_string()),
        public_url: Some("https://survey.example.org/".to_string()),
        ..server::Settings::default()
    });
    let app = router(&test);
    let reply = invite(&app, E, "alex@example.org", "owner").await;
    assert!(
        reply.body["sign_up_url"]
            .as_str()
            .unwrap()
            .starts_with("https://survey.example.org/admin/join/"),
        "{}",
        reply.text
    );
    let bad = invite(&app, E, "alex@example.org", "boss").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["errors"][0]["field"], "role");
    let not_email = invite(&app, E, "alex", "lead").await;
    assert_eq!(not_email.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_email.body["errors"][0]["field"], "email");
}

#[tokio::test]
async fn role_changes_and_removals_are_audited() {
    let test = test_app();
    let app = router(&test);
    let hash = server::auth::hash_password(PASSWORD).unwrap();
    account_with_role(&test, &hash, TARGET, E, Role::Advisory);
    let members = Call::new("GET", &format!("/api/v1/exercises/{E}/members"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(members.status, StatusCode::OK, "{}", members.text);
    assert_eq!(
        members.body["members"],
        json!([{"email": TARGET, "role": "advisory", "all_exercises": false}])
    );
    assert_eq!(members.body["advisory_downloads"], false);
    let changed = Call::new("PUT", &format!("/api/v1/exercises/{E}/members/{TARGET}"))
        .admin()
        .json(json!({"role": "lead"}))
        .send(&app)
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.text);
    assert_eq!(changed.body["role"], "lead");
    let access = Call::new("PUT", &format!("/api/v1/exercises/{E}/access"))
        .admin()
        .json(json!({"advisory_downloads": true}))
        .send(&app)
        .await;
    assert_eq!(access.body, json!({"advisory_downloads": true}));
    assert!(test.state.store.advisory_downloads(E).unwrap());
    let removed = Call::new("DELETE", &format!("/api/v1/exercises/{E}/members/{TARGET}"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text);
    let again = Call::new("DELETE", &format!("/api/v1/exercises/{E}/members/{TARGET}"))
        .admin()
        .send(&app)
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let nobody = Call::new(
        "PUT",
        &format!("/api/v1/exercises/{E}/members/nobody@example.org"),
    )
    .admin()
    .json(json!({"role": "lead"}))
    .send(&app)
    .await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    let log = test.state.store.audit_log(50).unwrap();
    let find = |action: &str, detail: &str| {
        log.iter().any(|entry| {
            entry.actor == "token" && entry.action == action && entry.detail.contains(detail)
        })
    };
    assert!(find(
        "set role",
        &format!("exercise {E} account {TARGET} from advisory to lead")
    ));
    assert!(find(
        "remove role",
        &format!("exercise {E} account {TARGET} was lead")
    ));
    assert!(find("allow advisory downloads", E));
    let account = test.state.store.admin_by_email(TARGET).unwrap().unwrap();
    assert_eq!(test.state.store.role_in(account.id, E).unwrap(), None);
}

#[tokio::test]
async fn an_advisory_member_reads_but_cannot_change_anything() {
    let test = test_app();
    let app = router(&test);
    let hash = server::auth::hash_password(PASSWORD).unwrap();
    let id = account_with_role(&test, &hash, "alex@example.org", E, Role::Advisory);
    let session = test
        .state
        .store
        .create_session(id, std::time::Duration::from_secs(600))
        .unwrap();
    let cookie = format!("prioritise_session={session}");
    let csrf = server::auth::csrf_token(&session);
    let as_alex = |method: &str, uri: &str| {
        Call::new(method, uri)
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
    };
    let read = as_alex("GET", &format!("/api/v1/exercises/{E}/participation"))
        .send(&app)
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    let put = as_alex("PUT", &format!("/api/v1/exercises/{E}"))
        .raw("text/plain", EVERY_KIND.clone())
        .send(&app)
        .await;
    assert_eq!(put.status, StatusCode::FORBIDDEN);
    assert!(
        put.detail().contains(
            "as an advisory group member you can read exercise `every-kind` but not change it"
        ),
        "{}",
        put.text
    );
    let new = as_alex("PUT", "/api/v1/exercises/brand-new")
        .raw("text/plain", EVERY_KIND.replace("every-kind", "brand-new"))
        .send(&app)
        .await;
    assert_eq!(new.status, StatusCode::FORBIDDEN);
    assert!(new.detail().contains("owns every exercise"));
    let csv = as_alex(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses.csv"),
    )
    .send(&app)
    .await;
    assert_eq!(csv.status, StatusCode::FORBIDDEN);
    assert!(
        csv.detail()
            .contains("has not allowed advisory members to download")
    );
    test.state
        .store
        .set_advisory_downloads(E, true, "test")
        .unwrap();
    let csv = as_alex(
        "GET",
        &format!("/api/v1/exercises/{E}/rounds/top2/responses.csv"),
    )
    .send(&app)
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    let other = as_alex("GET", &format!("/api/v1/exercises/{OTHER}/participation"))
        .send(&app)
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert!(
        other
            .detail()
            .contains("you have no role in exercise `invited`")
    );

    // The pages: a refusal is the error page with the reason.
    let mut browser = Browser::new(app.clone());
    browser
        .cookies
        .insert("prioritise_session".to_string(), session.clone());
    let definition = browser.get(&format!("/admin/e/{E}/definition")).await;
    assert_eq!(definition.status, StatusCode::FORBIDDEN);
    assert!(definition.has("There is a problem"));
    assert!(definition.has("but not change it"), "{}", definition.html);
    let people = browser.get(&format!("/admin/e/{E}/people")).await;
    assert_eq!(people.status, StatusCode::FORBIDDEN);
    assert!(people.has("only an owner of exercise"), "{}", people.html);
    let new_page = browser.get("/admin/new").await;
    assert_eq!(new_page.status, StatusCode::FORBIDDEN);
    let curate = browser.get(&format!("/admin/e/{E}/r/ideas/curate")).await;
    assert_eq!(curate.status, StatusCode::OK);
    // Read-only pages: the forms that change things are absent or disabled, and say why.
    assert!(curate.has("only the exercise’s research leads and owners can change it"));
    assert!(!curate.has("Accept every proposal"));
    let item = browser.get(&format!("/admin/e/{E}/items/a")).await;
    assert_eq!(item.status, StatusCode::OK);
    assert!(
        item.has("<fieldset class=\"plain-fieldset\" disabled>"),
        "{}",
        item.html
    );
    crate::open(&app, E, "top2").await;
    let someone = crate::respondent(&app, E, "carers").await;
    let answered = crate::answer(
        &app,
        E,
        "top2",
        &someone,
        json!({"submit": true, "ranking": ["a", "b"]}),
    )
    .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.text);
    let preview = browser
        .get(&format!("/admin/e/{E}/r/top2/shortlist?rule=top&k=2"))
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.html);
    assert!(!preview.has("from these"), "{}", preview.html);
    assert!(preview.has("Only the exercise’s research leads and owners can make the next round"));
    let shortlist = browser
        .submit_from(
            &format!("/admin/e/{E}/r/top2/shortlist"),
            &format!("/admin/e/{E}/r/top2/shortlist"),
            &[("rule", "top"), ("k", "2")],
        )
        .await;
    assert_eq!(shortlist.status, StatusCode::FORBIDDEN);
    let before = test.state.store.exercise(E).unwrap().unwrap().version;
    let edit = browser
        .submit_from(
            "/admin",
            &format!("/admin/e/{E}/definition"),
            &[("definition", EVERY_KIND.as_str())],
        )
        .await;
    assert_eq!(edit.status, StatusCode::FORBIDDEN);
    assert_eq!(
        test.state.store.exercise(E).unwrap().unwrap().version,
        before
    );
}

#[tokio::test]
async fn owners_manage_people_on_the_people_page() {
    let test = test_app();
    let app = router(&test);
    let hash = server::auth::hash_password(PASSWORD).unwrap();
    let owner = account_with_role(&test, &hash, "owner@example.org", E, Role::Owner);
    let lead = account_with_role(&test, &hash, "lead@example.org", E, Role::Lead);
    let lifetime = std::time::Duration::from_secs(600);
    let signed_in = |id: i64| {
        let mut browser = Browser::new(app.clone());
        browser.cookies.insert(
            "prioritise_session".to_string(),
            test.state.store.create_session(id, lifetime).unwrap(),
        );
        browser
    };
    let mut as_lead = signed_in(lead);
    let refused = as_lead.get(&format!("/admin/e/{E}/people")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut as_owner = signed_in(owner);
    let people = format!("/admin/e/{E}/people");
    let page = as_owner.get(&people).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.has("<th scope=\"row\">lead@example.org</th>"));
    assert!(page.has("No invitations are waiting."));
    assert!(page.has("the service does not send email yet"));

    let bad = as_owner
        .submit(
            &people,
            &[("action", "invite"), ("email", ""), ("role", "lead")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.has("<a href=\"#email\">Enter their email address</a>"));

    let invited = as_owner
        .submit(
            &people,
            &[
                ("action", "invite"),
                ("email", "alex@example.org"),
                ("role", "advisory"),
            ],
        )
        .await;
    assert_eq!(invited.status, StatusCode::OK, "{}", invited.html);
    assert!(invited.has(
        "alex@example.org is invited to be an advisory group member of “Every kind of round”."
    ));
    assert!(invited.has("/admin/join/"));
    assert!(invited.has("It is shown only once"));
    assert!(invited.has("and makes them an advisory group member."));
    // Shown once: the page after has the invitation waiting, not the link.
    let after = as_owner.get(&people).await;
    assert!(!after.has("/admin/join/"));
    assert!(after.has("<th scope=\"row\">alex@example.org</th><td>advisory group member</td><td>owner@example.org</td>"), "{}", after.html);

    let changed = as_owner
        .submit(
            &people,
            &[
                ("action", "role"),
                ("email", "lead@example.org"),
                ("role", "advisory"),
            ],
        )
        .await;
    assert!(
        changed.has("lead@example.org is now an advisory group member of “Every kind of round”.")
    );
    let removed = as_owner
        .submit(
            &people,
            &[("action", "remove"), ("email", "lead@example.org")],
        )
        .await;
    assert!(removed.has("lead@example.org no longer has a role in “Every kind of round”."));
    assert!(!removed.has("<th scope=\"row\">lead@example.org</th>"));
    let allowed = as_owner
        .submit(&people, &[("action", "downloads"), ("allowed", "yes")])
        .await;
    assert!(allowed.has("can now download its raw responses"));
    assert!(allowed.has("Stop advisory downloads"));
    assert!(test.state.store.advisory_downloads(E).unwrap());
    let forged = as_owner
        .post(&people, &[("action", "downloads"), ("allowed", "no")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.has("Your form has expired"));
    assert!(test.state.store.advisory_downloads(E).unwrap());
    let log = test.state.store.audit_log(50).unwrap();
    assert!(
        log.iter()
            .any(|entry| entry.actor == "owner@example.org" && entry.action == "remove role")
    );
    // The lead, now without a role, has nothing on the dashboard.
    let dashboard = as_lead.get("/admin").await;
    assert!(dashboard.has("You have no role in any exercise yet"));
}
