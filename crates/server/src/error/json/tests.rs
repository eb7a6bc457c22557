use serde::Deserialize;
use serde_json::json;

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Body {
    name: String,
    #[serde(default)]
    pairs: Vec<Pair>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    #[allow(dead_code)]
    winner: String,
    #[allow(dead_code)]
    loser: String,
}

fn refusal(result: Result<impl fmt::Debug, AppError>) -> (StatusCode, Option<String>, String) {
    let error = result.expect_err("refused");
    let detail = error.details().remove(0);
    (error.status(), detail.field, detail.detail)
}

#[test]
fn an_object_reads_and_keys_given_twice_are_named_at_any_depth() {
    let object = read_object(br#"{"name": "x", "pairs": [{"winner": "a", "loser": "b"}]}"#)
        .expect("an object");
    assert_eq!(object["name"], json!("x"));
    let (status, field, detail) = refusal(read_object(br#"{"name": "x", "name": "y"}"#));
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field.as_deref(), Some("name"));
    assert!(detail.contains("given twice"), "{detail}");
    let (_, field, _) = refusal(read_object(
        br#"{"pairs": [{"winner": "a"}, {"winner": "a", "winner": "b"}]}"#,
    ));
    assert_eq!(field.as_deref(), Some("pairs[1].winner"));
}

#[test]
fn anything_but_one_object_is_refused() {
    for (body, kind) in [
        (&b"[\"Renamed\"]"[..], "an array"),
        (b"[]", "an array"),
        (b"null", "null"),
        (b"3", "a number"),
        (b"\"text\"", "a string"),
        (b"true", "a boolean"),
    ] {
        let (status, _, detail) = refusal(read_object(body));
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{detail}");
        assert!(detail.contains(kind), "{detail}");
    }
    for body in [&b"{"[..], b"", b"{} {}", b"{\"a\": 1,}", b"\xff"] {
        let (status, _, detail) = refusal(read_object(body));
        assert_eq!(status, StatusCode::BAD_REQUEST, "{detail}");
        assert!(detail.contains("not valid JSON"), "{detail}");
    }
}

#[test]
fn the_field_to_blame_is_named_unknown_missing_or_of_the_wrong_type() {
    let cases = [
        (json!({"name": "x", "evil": 1}), "evil"),
        (json!({}), "name"),
        (json!({"name": 3}), "name"),
        (
            json!({"name": "x", "pairs": [{"winner": "a"}]}),
            "pairs[0].loser",
        ),
        (
            json!({"name": "x", "pairs": [{"winner": "a", "loser": "b", "x": 1}]}),
            "pairs[0].x",
        ),
    ];
    for (body, expected) in cases {
        let (status, field, detail) = refusal(from_value::<Body>(body));
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{detail}");
        assert_eq!(field.as_deref(), Some(expected), "{detail}");
    }
    let body = from_value::<Body>(json!({"name": "x", "pairs": [{"winner": "a", "loser": "b"}]}))
        .expect("read");
    assert_eq!((body.name.as_str(), body.pairs.len()), ("x", 1));
}

#[test]
fn long_keys_are_shortened_when_quoted_back() {
    let key = "k".repeat(500);
    let body = format!(r#"{{"{key}": 1, "{key}": 2}}"#);
    let (_, field, detail) = refusal(read_object(body.as_bytes()));
    assert_eq!(field.expect("a field").chars().count(), MAX_QUOTED + 1);
    assert!(detail.len() < 200, "{detail}");
}

#[test]
fn json_content_types_are_recognised() {
    let with = |value: &str| {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, value.parse().expect("a header value"));
        is_json(&headers)
    };
    assert!(with("application/json"));
    assert!(with("Application/JSON; charset=utf-8"));
    assert!(with("application/merge-patch+json"));
    assert!(!with("text/plain"));
    assert!(!with("application/x-www-form-urlencoded"));
    assert!(!is_json(&HeaderMap::new()));
}
