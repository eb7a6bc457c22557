//! Load test of a running service: many clients submit answers as fast as they can, and the
//! acknowledged submissions per second and the latency percentiles are printed.
//!
//! ```text
//! PRIORITISE_ADMIN_TOKEN=load-test-token-at-least-32-characters prioritise serve --db /tmp/load.db --submit-rate 0 &
//! cargo run --release -p server --example load -- --url http://127.0.0.1:8080 --token load-test-token-at-least-32-characters
//! ```
//!
//! Each client starts respondents of its own and submits a top-10 ranking for each (a PUT with
//! `"submit": true`, acknowledged only after the commit). Only the PUTs are timed. The round is
//! opened first with the admin token.
//!
//! With `--get PATH` (for example `--get /e/childrens-social-care/results`), each client GETs
//! that path over and over instead, without a token, and every GET is timed: the read load of
//! a public page. A reply that is not 200 counts as an error.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Options {
    url: String,
    token: String,
    exercise: String,
    round: String,
    clients: usize,
    seconds: u64,
    /// A path to GET over and over instead of submitting.
    get: Option<String>,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        url: "http://127.0.0.1:8080".to_string(),
        token: std::env::var("PRIORITISE_ADMIN_TOKEN").unwrap_or_default(),
        exercise: "childrens-social-care".to_string(),
        round: "rank".to_string(),
        clients: 64,
        seconds: 10,
        get: None,
    };
    let mut arguments = std::env::args().skip(1);
    while let Some(flag) = arguments.next() {
        let value = arguments
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => options.url = value,
            "--token" => options.token = value,
            "--exercise" => options.exercise = value,
            "--round" => options.round = value,
            "--clients" => options.clients = value.parse().map_err(|_| "--clients: a number")?,
            "--seconds" => options.seconds = value.parse().map_err(|_| "--seconds: a number")?,
            "--get" => options.get = Some(value),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = options()?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(options.clients)
        .build()?;
    if let Some(path) = &options.get {
        return read_load(&client, &options, path).await;
    }
    let base = format!(
        "{}/api/v1/exercises/{}",
        options.url.trim_end_matches('/'),
        options.exercise
    );
    let opened = client
        .post(format!("{base}/rounds/{}/open", options.round))
        .bearer_auth(&options.token)
        .send()
        .await?;
    if !opened.status().is_success() {
        return Err(format!("cannot open the round: {}", opened.text().await?).into());
    }
    let exercise: Value = client.get(&base).send().await?.json().await?;
    let round = exercise["rounds"]
        .as_array()
        .and_then(|rounds| {
            rounds
                .iter()
                .find(|round| round["id"] == json!(options.round))
        })
        .ok_or("no such round")?
        .clone();
    let items: Vec<String> = serde_json::from_value(round["items"].clone())?;
    let top_k = round["top_k"].as_u64().unwrap_or(items.len() as u64) as usize;
    let groups: Vec<String> = exercise["groups"]
        .as_array()
        .ok_or("no groups")?
        .iter()
        .filter_map(|group| group["id"].as_str().map(str::to_string))
        .collect();

    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client_index in 0..options.clients {
        let client = client.clone();
        let base = base.clone();
        let round_id = options.round.clone();
        let items = items.clone();
        let groups = groups.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut counter = client_index;
            while Instant::now() < deadline {
                counter += 1;
                let group = &groups[counter % groups.len()];
                let created = client
                    .post(format!("{base}/respondents"))
                    .json(&json!({ "group": group }))
                    .send()
                    .await;
                let respondent = match created {
                    Ok(response) if response.status().is_success() => {
                        let body: Value = response.json().await.unwrap_or_default();
                        body["respondent"].as_str().unwrap_or_default().to_string()
                    }
                    _ => {
                        errors += 1;
                        continue;
                    }
                };
                let mut ranking = items.clone();
                ranking.rotate_left(counter % items.len());
                ranking.truncate(top_k);
                let begun = Instant::now();
                let saved = client
                    .put(format!("{base}/rounds/{round_id}/responses/{respondent}"))
                    .json(&json!({ "submit": true, "ranking": ranking }))
                    .send()
                    .await;
                match saved {
                    Ok(response) if response.status().is_success() => {
                        let _ = response.bytes().await;
                        latencies.push(begun.elapsed());
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mut some, some_errors) = task.await?;
        latencies.append(&mut some);
        errors += some_errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    println!(
        "{} clients, {:.1} s: {} acknowledged submissions ({:.0} per second), {} errors",
        options.clients,
        elapsed,
        latencies.len(),
        latencies.len() as f64 / elapsed,
        errors
    );
    println!(
        "submission latency: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.95).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        percentile(&latencies, 1.0).as_secs_f64() * 1000.0,
    );
    Ok(())
}

/// `--get PATH`: every client GETs the path until the time is up; every GET is timed.
async fn read_load(
    client: &reqwest::Client,
    options: &Options,
    path: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let url = format!("{}{path}", options.url.trim_end_matches('/'));
    let first = client.get(&url).send().await?;
    if !first.status().is_success() {
        return Err(format!("GET {url}: {}", first.status()).into());
    }
    let bytes = first.bytes().await?.len();
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..options.clients {
        let client = client.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let begun = Instant::now();
                match client.get(&url).send().await {
                    Ok(response) if response.status().is_success() => {
                        if response.bytes().await.is_ok() {
                            latencies.push(begun.elapsed());
                        } else {
                            errors += 1;
                        }
                    }
                    _ => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mut some, some_errors) = task.await?;
        latencies.append(&mut some);
        errors += some_errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    println!(
        "{} clients, {:.1} s: {} GETs of {path} ({bytes} bytes; {:.0} per second), {} errors",
        options.clients,
        elapsed,
        latencies.len(),
        latencies.len() as f64 / elapsed,
        errors
    );
    println!(
        "GET latency: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.95).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
        percentile(&latencies, 1.0).as_secs_f64() * 1000.0,
    );
    Ok(())
}
