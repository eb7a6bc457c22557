//! The service through a real socket on 127.0.0.1: requests, per-address rate limits and
//! graceful shutdown.

use serde_json::{Value, json};
use server::Settings;

use crate::{TOKEN, test_app_with};

#[tokio::test]
async fn a_respondent_answers_through_a_real_socket_and_shutdown_is_graceful() {
    let test = test_app_with(Settings {
        admin_token: Some(TOKEN.to_string()),
        submit_rate_per_second: 2,
        ..Settings::default()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::serve(listener, test.state.clone(), async {
        let _ = stopped.await;
    }));
    let base = format!("http://{address}/api/v1/exercises/every-kind");
    let client = reqwest::Client::new();

    let opened = client
        .post(format!("{base}/rounds/top2/open"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);
    let created: Value = client
        .post(format!("{base}/respondents"))
        .json(&json!({ "group": "carers" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["respondent"].as_str().unwrap();
    let saved = client
        .put(format!("{base}/rounds/top2/responses/{id}"))
        .json(&json!({ "submit": true, "ranking": ["b", "a"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200);
    assert_eq!(
        saved.headers()["content-security-policy"],
        server::security::CONTENT_SECURITY_POLICY
    );
    // The limit is per address: this client has used 2 of a burst of 6.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(
            client
                .put(format!("{base}/rounds/top2/responses/{id}"))
                .json(&json!({ "submit": false, "ranking": ["a"] }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    assert_eq!(
        statuses.iter().filter(|status| **status == 200).count(),
        4,
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&429));

    let csv = client
        .get(format!("{base}/rounds/top2/responses.csv"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let id = test.state.store.pseudonyms().of(id);
    assert_eq!(
        csv,
        format!("respondent,group,item,rank\n{id},carers,b,1\n{id},carers,a,2\n")
    );

    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
    assert!(
        reqwest::get(format!("http://{address}/health"))
            .await
            .is_err()
    );
}
