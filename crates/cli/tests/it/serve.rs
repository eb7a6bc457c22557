//! `prioritise serve` as a process: start-up, the admin commands, and crash safety under
//! SIGKILL.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use test_support::{ExerciseToml, TOP2_ROUND};

use crate::{prioritise, workspace_root};

const TOKEN: &str = "crash-test-token-long-enough-to-be-accepted";

/// The tiny exercise with four items and its rank round only.
static EXERCISE: LazyLock<String> = LazyLock::new(|| {
    ExerciseToml::tiny()
        .id("crash")
        .title("Crash test")
        .items(&[("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")])
        .rounds(TOP2_ROUND)
        .build()
});

/// A running service: the child process and its address.
struct Service {
    child: Child,
    base: String,
    /// What the service printed before it listened, and the line after.
    startup: Vec<String>,
}

impl Service {
    /// Starts `prioritise serve` on a free port and waits until it listens.
    fn start(database: &Path, surveys: &Path) -> Service {
        let mut child = Command::new(env!("CARGO_BIN_EXE_prioritise"))
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--submit-rate",
                "0",
                "--db",
            ])
            .arg(database)
            .arg("--surveys")
            .arg(surveys)
            .env("PRIORITISE_ADMIN_TOKEN", TOKEN)
            .env("PRIORITISE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the service starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // Keep reading to the end, so that the child never blocks on a full pipe.
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let mut startup = Vec::new();
        let address = loop {
            let line = receiver
                .recv_timeout(Duration::from_secs(30))
                .expect("the service prints its address");
            startup.push(line.clone());
            if let Some(rest) = line.split(" on http://").nth(1) {
                break rest.trim().to_string();
            }
        };
        // The lines on signing in follow the address.
        while let Ok(line) = receiver.recv_timeout(Duration::from_millis(500)) {
            let done = line.starts_with("Press Ctrl-C");
            startup.push(line);
            if done {
                break;
            }
        }
        Service {
            child,
            base: format!("http://{address}/api/v1/exercises/crash"),
            startup,
        }
    }

    fn kill(mut self) {
        // SIGKILL on Unix: no chance to finish anything.
        self.child.kill().expect("the service can be killed");
        self.child.wait().expect("the service ends");
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// One acknowledged submission.
#[derive(Debug, Clone)]
struct Acknowledged {
    respondent: String,
    ranking: Vec<String>,
    receipt: String,
}

/// Submits answers from `threads` threads until `stop`, recording each acknowledged one.
fn drive(
    base: &str,
    threads: usize,
    seed: u64,
    stop: &Arc<AtomicBool>,
    acknowledged: &Arc<Mutex<Vec<Acknowledged>>>,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..threads)
        .map(|thread| {
            let base = base.to_string();
            let stop = Arc::clone(stop);
            let acknowledged = Arc::clone(acknowledged);
            std::thread::spawn(move || {
                let client = client();
                let mut generator =
                    rand_chacha::ChaCha8Rng::seed_from_u64(seed * 1000 + thread as u64);
                while !stop.load(Ordering::SeqCst) {
                    let group = if generator.random_bool(0.5) {
                        "carers"
                    } else {
                        "young-people"
                    };
                    let Ok(created) = client
                        .post(format!("{base}/respondents"))
                        .json(&json!({ "group": group }))
                        .send()
                    else {
                        break;
                    };
                    let Ok(created) = created.json::<Value>() else {
                        break;
                    };
                    let respondent = created["respondent"].as_str().unwrap().to_string();
                    let items = ["a", "b", "c", "d"];
                    let first = generator.random_range(0..4);
                    let second = (first + generator.random_range(1..4)) % 4;
                    let ranking = vec![items[first].to_string(), items[second].to_string()];
                    let Ok(saved) = client
                        .put(format!("{base}/rounds/top2/responses/{respondent}"))
                        .header("idempotency-key", format!("{respondent}-1"))
                        .json(&json!({ "submit": true, "ranking": ranking }))
                        .send()
                    else {
                        break;
                    };
                    if saved.status() != 200 {
                        break;
                    }
                    let Ok(body) = saved.json::<Value>() else {
                        break;
                    };
                    acknowledged.lock().unwrap().push(Acknowledged {
                        respondent,
                        ranking,
                        receipt: body["receipt"].as_str().unwrap().to_string(),
                    });
                }
            })
        })
        .collect()
}

/// The rows of an export by respondent: (item, rank) pairs in file order.
fn export_rows(csv: &str) -> std::collections::HashMap<String, Vec<(String, String)>> {
    let mut rows: std::collections::HashMap<String, Vec<(String, String)>> = Default::default();
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        rows.entry(fields[0].to_string())
            .or_default()
            .push((fields[2].to_string(), fields[3].to_string()));
    }
    rows
}

fn integrity(database: &Path) -> Vec<String> {
    store::Store::open(database)
        .unwrap()
        .integrity_check()
        .unwrap()
}

#[test]
fn acknowledged_submissions_survive_sigkill_at_random_moments() {
    let kills: u64 = std::env::var("PRIORITISE_CRASH_KILLS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(12);
    let directory = tempfile::tempdir().unwrap();
    let surveys = directory.path().join("surveys");
    std::fs::create_dir_all(surveys.join("crash")).unwrap();
    std::fs::write(surveys.join("crash/exercise.toml"), &*EXERCISE).unwrap();
    let database: PathBuf = directory.path().join("crash.db");
    let acknowledged = Arc::new(Mutex::new(Vec::<Acknowledged>::new()));
    let mut generator = rand_chacha::ChaCha8Rng::seed_from_u64(20261123);

    for kill in 0..kills {
        let service = Service::start(&database, &surveys);
        let client = client();
        if kill == 0 {
            let opened = client
                .post(format!("{}/rounds/top2/open", service.base))
                .bearer_auth(TOKEN)
                .send()
                .unwrap();
            assert_eq!(opened.status(), 200);
        }
        let stop = Arc::new(AtomicBool::new(false));
        let threads = drive(&service.base, 8, kill, &stop, &acknowledged);
        std::thread::sleep(Duration::from_millis(generator.random_range(20..400)));
        service.kill();
        stop.store(true, Ordering::SeqCst);
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(integrity(&database), ["ok"], "after kill {kill}");
    }

    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() as u64 > kills,
        "only {} submissions were acknowledged",
        acknowledged.len()
    );
    // The export names respondents by pseudonym, under the database's own key.
    let pseudonyms = store::Store::open(&database).unwrap().pseudonyms().clone();
    let service = Service::start(&database, &surveys);
    let client = client();
    let csv = client
        .get(format!("{}/rounds/top2/responses.csv", service.base))
        .bearer_auth(TOKEN)
        .send()
        .unwrap()
        .text()
        .unwrap();
    let rows = export_rows(&csv);
    for submission in &acknowledged {
        let expected = vec![
            (submission.ranking[0].clone(), "1".to_string()),
            (submission.ranking[1].clone(), "2".to_string()),
        ];
        assert_eq!(
            rows.get(&pseudonyms.of(&submission.respondent)),
            Some(&expected),
            "acknowledged submission of {} is present exactly once",
            submission.respondent
        );
        let current: Value = client
            .get(format!(
                "{}/rounds/top2/responses/{}",
                service.base, submission.respondent
            ))
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(current["receipt"], json!(submission.receipt));
    }
    service.kill();
    assert_eq!(integrity(&database), ["ok"]);
    eprintln!(
        "{kills} kills, {} acknowledged submissions, all present once; {} respondents exported",
        acknowledged.len(),
        rows.len()
    );
}

#[test]
fn serve_loads_the_example_and_prints_how_to_sign_in() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("fresh.db");
    let service = Service::start(&database, &workspace_root().join("surveys"));
    let base = service.base.replace("/exercises/crash", "");
    let printed = service.startup.join("\n");
    assert!(
        printed.contains("exercise `childrens-social-care` from"),
        "{printed}"
    );
    assert!(printed.contains("/api/v1/exercises"), "{printed}");
    assert!(printed.contains("sign in:"), "{printed}");
    assert!(printed.contains("/admin"), "{printed}");
    assert!(printed.contains("take part:"), "{printed}");
    assert!(printed.contains("PRIORITISE_ADMIN_TOKEN"), "{printed}");
    let list: Value = client()
        .get(format!("{base}/exercises"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let ids: Vec<&str> = list["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|exercise| exercise["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["childrens-social-care", "try-every-kind"]);

    // A respondent goes through every round kind of the practice exercise.
    let client = client();
    let practice = format!("{base}/exercises/try-every-kind");
    let answers = [
        (
            "ideas",
            json!({ "suggestions": ["How do we keep brothers and sisters together?"] }),
        ),
        (
            "ratings",
            json!({ "ratings": { "mental-health": 5, "transitions": 4, "kinship-care": null } }),
        ),
        (
            "rerate",
            json!({ "ratings": { "mental-health": 4, "transitions": 4, "kinship-care": 5 } }),
        ),
        (
            "criteria",
            json!({ "ratings": { "early-help": { "answerable": "yes", "fair": "undecided" } } }),
        ),
        (
            "top-three",
            json!({ "ranking": ["transitions", "mental-health", "early-help"] }),
        ),
        ("pick-two", json!({ "picked": ["kinship-care"] })),
        (
            "pairs",
            json!({ "choices": [{ "winner": "early-help", "loser": "stable-workforce" }] }),
        ),
    ];
    let created: Value = client
        .post(format!("{practice}/respondents"))
        .json(&json!({ "group": "young-people" }))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let respondent = created["respondent"].as_str().unwrap();
    for (round, answer) in answers {
        let opened = client
            .post(format!("{practice}/rounds/{round}/open"))
            .bearer_auth(TOKEN)
            .send()
            .unwrap();
        assert_eq!(opened.status(), 200);
        let mut body = answer.clone();
        body["submit"] = json!(true);
        let saved = client
            .put(format!("{practice}/rounds/{round}/responses/{respondent}"))
            .json(&body)
            .send()
            .unwrap();
        assert_eq!(saved.status(), 200, "{round}: {}", saved.text().unwrap());
        let back: Value = client
            .get(format!("{practice}/rounds/{round}/responses/{respondent}"))
            .send()
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(back["answer"], answer, "{round}");
    }
    let participation: Value = client
        .get(format!("{practice}/participation"))
        .bearer_auth(TOKEN)
        .send()
        .unwrap()
        .json()
        .unwrap();
    for round in participation["rounds"].as_array().unwrap() {
        assert_eq!(round["groups"]["young-people"], json!(1), "{round}");
    }
    service.kill();
}

#[test]
fn admin_add_backup_and_export_work_on_the_database() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("admin.db");
    let short = prioritise()
        .args(["admin", "add", "lead@example.org", "--db"])
        .arg(&database)
        .write_stdin("short\n")
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&short.get_output().stderr).into_owned();
    assert!(stderr.contains("at least 12 characters"), "{stderr}");
    prioritise()
        .args(["admin", "add", "lead@example.org", "--db"])
        .arg(&database)
        .write_stdin("a long enough passphrase\n")
        .assert()
        .success();
    let again = prioritise()
        .args(["admin", "add", "LEAD@example.org", "--db"])
        .arg(&database)
        .env("PRIORITISE_ADMIN_PASSWORD", "another long passphrase")
        .assert()
        .failure();
    assert!(
        String::from_utf8_lossy(&again.get_output().stderr).contains("already an admin account")
    );
    let store = store::Store::open(&database).unwrap();
    let admin = store.admin_by_email("lead@example.org").unwrap().unwrap();
    assert!(server::auth::verify_password(
        "a long enough passphrase",
        &admin.password_hash
    ));
    assert!(admin.password_hash.starts_with("$argon2id$"));
    store
        .put_exercise(&EXERCISE, "exercise.toml", "test")
        .unwrap();
    drop(store);

    let backup = directory.path().join("copy.db");
    prioritise()
        .args(["backup", "--db"])
        .arg(&database)
        .arg(&backup)
        .assert()
        .success();
    assert_eq!(integrity(&backup), ["ok"]);
    let exists = prioritise()
        .args(["backup", "--db"])
        .arg(&database)
        .arg(&backup)
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&exists.get_output().stderr).contains("already exists"));

    let exported = prioritise()
        .args(["export", "--exercise", "crash", "--round", "top2", "--db"])
        .arg(&backup)
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&exported.get_output().stdout),
        "respondent,group,item,rank\n"
    );
    let unknown = prioritise()
        .args(["export", "--exercise", "crash", "--round", "nope", "--db"])
        .arg(&backup)
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&unknown.get_output().stderr).contains("no round `nope`"));
}

#[test]
fn serve_refuses_no_room_for_results_computations() {
    let directory = tempfile::tempdir().unwrap();
    let output = prioritise()
        .args(["serve", "--heavy-computations", "0", "--db"])
        .arg(directory.path().join("unused.db"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--heavy-computations"), "{stderr}");
}

#[test]
fn serve_refuses_a_short_admin_token_and_an_address_that_is_not_a_proxy() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("short.db");
    let surveys = directory.path().join("none");
    crate::check_refused([
        (
            "a token of 16 characters",
            crate::arguments([
                &"serve",
                &"--admin-token",
                &"sixteen-chars-xx",
                &"--bind",
                &"127.0.0.1:0",
                &"--db",
                &database,
                &"--surveys",
                &surveys,
            ]),
            1,
            crate::Stderr::Has(&[
                "the admin token is 16 characters long; it must be at least 32",
                "hint: make a long random token",
            ]),
        ),
        (
            "a trusted proxy that is not an address",
            crate::arguments([
                &"serve",
                &"--trusted-proxy",
                &"proxy.example.org",
                &"--db",
                &database,
            ]),
            2,
            crate::Stderr::Has(&["--trusted-proxy", "proxy.example.org"]),
        ),
    ]);
}

#[test]
fn admin_add_with_a_role_invites_or_gives_the_role_and_admin_roles_lists_them() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("roles.db");
    let store = store::Store::open(&database).unwrap();
    store
        .put_exercise(&EXERCISE, "exercise.toml", "test")
        .unwrap();
    drop(store);
    let run = |arguments: &[&str]| {
        let output = prioritise()
            .args(arguments)
            .arg("--db")
            .arg(&database)
            .env_remove("PRIORITISE_PUBLIC_URL")
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };

    // --role without --exercise: an error with a hint; nothing is read or made.
    let (ok, _, stderr) = run(&["admin", "add", "alex@example.org", "--role", "advisory"]);
    assert!(!ok);
    assert!(stderr.contains("--role needs --exercise"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
    let (ok, _, stderr) = run(&[
        "admin",
        "add",
        "alex@example.org",
        "--role",
        "boss",
        "--exercise",
        "crash",
    ]);
    assert!(!ok);
    assert!(stderr.contains("`boss` is not a role"), "{stderr}");
    let (ok, _, stderr) = run(&[
        "admin",
        "add",
        "alex@example.org",
        "--role",
        "lead",
        "--exercise",
        "nope",
    ]);
    assert!(!ok);
    assert!(stderr.contains("there is no exercise `nope`"), "{stderr}");

    // A new person: a sign-up link (a path, or a full address with --public-url).
    let (ok, stdout, stderr) = run(&[
        "admin",
        "add",
        "alex@example.org",
        "--role",
        "advisory",
        "--exercise",
        "crash",
    ]);
    assert!(ok, "{stderr}");
    let link = stdout.trim();
    assert!(link.starts_with("/admin/join/"), "{stdout}");
    assert!(
        stderr.contains("advisory group member of `crash`"),
        "{stderr}"
    );
    let token = link.trim_start_matches("/admin/join/");
    let store = store::Store::open(&database).unwrap();
    let invite = store.account_invite(token).unwrap().unwrap();
    assert_eq!(invite.email, "alex@example.org");
    assert_eq!(invite.role, store::Role::Advisory);
    assert_eq!(invite.exercise, "crash");
    drop(store);
    let (ok, stdout, _) = run(&[
        "admin",
        "add",
        "sam@example.org",
        "--role",
        "lead",
        "--exercise",
        "crash",
        "--public-url",
        "https://survey.example.org/",
    ]);
    assert!(ok);
    assert!(
        stdout
            .trim()
            .starts_with("https://survey.example.org/admin/join/"),
        "{stdout}"
    );

    // An existing account gets the role at once.
    let store = store::Store::open(&database).unwrap();
    let hash = server::auth::hash_password("a long enough passphrase").unwrap();
    store.accept_account_invite(token, Some(&hash)).unwrap();
    drop(store);
    let (ok, stdout, stderr) = run(&[
        "admin",
        "add",
        "alex@example.org",
        "--role",
        "lead",
        "--exercise",
        "crash",
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.is_empty(), "no link: {stdout}");
    assert!(
        stderr.contains("has an account already: it is now a research lead of `crash`"),
        "{stderr}"
    );

    let (ok, stdout, _) = run(&["admin", "roles", "--exercise", "crash"]);
    assert!(ok);
    assert!(stdout.contains("lead      alex@example.org"), "{stdout}");
    assert!(stdout.contains("invitations waiting:"), "{stdout}");
    assert!(
        stdout.contains("lead      sam@example.org (invited by prioritise)"),
        "{stdout}"
    );
    assert!(stdout.contains("advisory members may not download raw responses"));
    let store = store::Store::open(&database).unwrap();
    let log = store.audit_log(20).unwrap();
    assert!(
        log.iter()
            .any(|entry| entry.action == "set role" && entry.actor == "prioritise")
    );
}
