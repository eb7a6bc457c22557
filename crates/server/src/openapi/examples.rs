//! A request and an answer example for each operation, by operation id, from the exercise
//! `try-every-kind` that `surveys/` ships.

use serde_json::{Value, json};
use utoipa::openapi::path::PathItem;

use super::contract::operations_mut;

/// A respondent id as the service makes them.
const RESPONDENT: &str = "r-5q2m8k4c7x9v3b6n1z0w";

/// The request body (if the operation takes one) and the successful answer of an operation.
fn example(operation_id: &str) -> Option<(Option<Value>, Value)> {
    let round_state = |state: &str| json!({"round": "top-three", "state": state});
    let change = json!({"id": "kinship-care-support", "version": 4});
    let preview = json!({
        "round": "scores", "method": "mean", "weighting": "pooled",
        "rule": "the top 2 overall", "into": "top-three", "included": 2,
        "items": [
            {"item": "kinship-care-support", "title": "Support for kinship carers", "rank": 1,
             "score": 7.4, "included": true, "reasons": ["2nd overall or better"]},
            {"item": "leaving-care-housing", "title": "Housing on leaving care", "rank": 2,
             "score": 6.9, "included": true, "reasons": ["2nd overall or better"]},
            {"item": "school-moves", "title": "Fewer school moves", "rank": 3,
             "score": 5.1, "included": false, "reasons": []}
        ]
    });
    let csv = |header: &str| Value::String(format!("{header}\n"));
    Some(match operation_id {
        "listExercises" => (
            None,
            json!({"exercises": [{"id": "try-every-kind", "title": "Try every kind of round",
                "description": "A short exercise with one round of each kind.", "invite_only": false,
                "open_rounds": ["top-three"],
                "rounds": [{"id": "top-three", "title": "Your top three", "kind": "rank", "state": "open"}]}]}),
        ),
        "getExercise" => (
            None,
            json!({"id": "try-every-kind", "title": "Try every kind of round",
                "description": "A short exercise with one round of each kind.", "invite_only": false,
                "version": 1, "open_rounds": ["top-three"],
                "groups": [{"id": "young-people", "label": "Young people"}],
                "items": [{"id": "kinship-care-support", "title": "Support for kinship carers"}],
                "rounds": [{"id": "top-three", "title": "Your top three", "kind": "rank",
                    "state": "open", "items": ["kinship-care-support"], "top_k": 3}]}),
        ),
        "putExercise" => (
            Some(Value::String(
                "id = \"try-every-kind\"\ntitle = \"Try every kind of round\"\n...".to_string(),
            )),
            json!({"exercise": "try-every-kind", "version": 2, "changed": true}),
        ),
        "openRound" => (None, round_state("open")),
        "closeRound" => (None, round_state("closed")),
        "setRoundSchedule" => (
            Some(json!({"opens_at": "2027-01-10T09:00:00Z", "closes_at": "2027-01-24T17:00:00Z"})),
            json!({"round": "top-three", "state": "draft",
                "opens_at": "2027-01-10T09:00:00Z", "closes_at": "2027-01-24T17:00:00Z"}),
        ),
        "createInvites" => (
            Some(json!({"count": 2})),
            json!({"invites": ["9f2c-4d7a-b1e3", "27ab-c09d-e4f1"]}),
        ),
        "getParticipation" => (
            None,
            json!({"exercise": "try-every-kind", "rounds": [{"round": "top-three", "state": "open",
                "groups": {"carers": 6, "young-people": 5}, "total": 11, "continued": null}]}),
        ),
        "getAuditLog" => (
            None,
            json!({"entries": [{"id": 12, "at": 1_765_000_000, "actor": "token",
                "action": "open round", "detail": "try-every-kind/top-three"}]}),
        ),
        "startRespondent" => (
            Some(json!({"group": "young-people"})),
            json!({"respondent": RESPONDENT, "resume_code": "KXQ7-M2PD-9WTR"}),
        ),
        "resumeRespondent" => (
            Some(json!({"resume_code": "KXQ7-M2PD-9WTR"})),
            json!({"respondent": RESPONDENT, "group": "young-people"}),
        ),
        "getRespondent" => (
            None,
            json!({"respondent": RESPONDENT, "group": "young-people"}),
        ),
        "putAnswer" => (
            Some(
                json!({"ranking": ["kinship-care-support", "leaving-care-housing", "school-moves"],
                "submit": true}),
            ),
            json!({"receipt": "rc-3k9d2m", "submitted": true, "replayed": false}),
        ),
        "getAnswer" => (
            None,
            json!({"answer": {"ranking": ["kinship-care-support", "leaving-care-housing", "school-moves"]},
                "submitted": true, "receipt": "rc-3k9d2m", "saved_day": "2026-12-07"}),
        ),
        "getPair" => (
            None,
            json!({"pair": ["kinship-care-support", "school-moves"], "answered": 3, "max_choices": 10}),
        ),
        "getFeedback" => (
            None,
            json!({"from_round": "scores", "from_round_state": "closed", "by": "overall",
                "group": "young-people", "group_below_threshold": false, "respondents": 11,
                "items": [{"item": "kinship-care-support", "own_rating": 7, "own_answered": true,
                    "n": 10, "median": 7.0, "counts": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1,
                    "6": 1, "7": 3, "8": 2, "9": 1}, "dont_know": 1}]}),
        ),
        "getResponsesCsv" => (None, csv("respondent,group,item,rank")),
        "getResults" => (
            None,
            json!({"input": {"respondents": 11}, "settings": {"weighting": "pooled", "top": 10},
                "results": [{"method": "borda", "weighting": "pooled", "ranking": [
                    {"item": "kinship-care-support", "title": "Support for kinship carers",
                     "rank": 1, "score": 25.0}], "groups": [], "group_agreement": []}],
                "agreement": null, "comparison": null}),
        ),
        "publishResults" => (
            None,
            json!({"publication": 3, "exercise": "try-every-kind", "round": "top-three",
                "inputs_sha256": "9b1f0c2e4d6a8b0c1e3f5a7b9d1c3e5f7a9b0d2c4e6f8a0b1c3d5e7f9a1b3c5d",
                "respondents": 11, "page": "/e/try-every-kind/results"}),
        ),
        "getPublication" => (
            None,
            json!({"format": 1, "exercise": "try-every-kind", "exercise_title": "Try every kind of round",
                "round": "top-three", "round_title": "Your top three",
                "published_at": 1_796_688_000, "published_on": "8 December 2026", "respondents": 11,
                "method": "Borda count (points for every place), every person counted equally",
                "inputs_sha256": "9b1f0c2e4d6a8b0c1e3f5a7b9d1c3e5f7a9b0d2c4e6f8a0b1c3d5e7f9a1b3c5d",
                "final_list": [{"rank": 1, "title": "Support for kinship carers",
                    "rank_interval": "between 1st and 2nd"}],
                "explanation": ["11 people answered, and every answer counts in the list."],
                "groups": [{"group": "Young people", "respondents": 6,
                    "top": [{"rank": 1, "title": "Support for kinship carers"}]}],
                "other_groups": {"label": "Other groups", "respondents": 5},
                "easy_read": ["11 people answered our questions."]}),
        ),
        "getCuration" => (
            None,
            json!({"exercise": "try-every-kind", "round": "ideas", "suggestions": [],
                "clusters": [], "items": [], "counts": [], "matching": 0, "page": 1, "pages": 1,
                "per_page": 50}),
        ),
        "getCurationCsv" => (
            None,
            csv(
                "suggestion,respondent,group,text,status,item,cluster,similarity,note,decided_by,decided_at,proposal_version",
            ),
        ),
        "decideSuggestion" => (
            Some(
                json!({"status": "assigned", "item": "kinship-care-support", "proposal_version": 3}),
            ),
            json!({"recorded": 1}),
        ),
        "acceptProposals" => (
            Some(json!({"clusters": [0, 2], "proposal_version": 3})),
            json!({"recorded": 5, "proposal_version": 3}),
        ),
        "mergeGroups" => (
            Some(json!({"clusters": [2, 5], "proposal_version": 3})),
            json!({"proposal_version": 4, "cluster": 1}),
        ),
        "splitGroup" => (
            Some(json!({"suggestions": [format!("{RESPONDENT}:2")], "proposal_version": 4})),
            json!({"proposal_version": 5, "cluster": 7}),
        ),
        "decideSuggestions" => (
            Some(
                json!({"suggestions": [format!("{RESPONDENT}:1"), format!("{RESPONDENT}:2")],
                "status": "assigned", "item": "kinship-care-support", "proposal_version": 3}),
            ),
            json!({"recorded": 2, "message": "2 suggestions assigned to Support for kinship carers"}),
        ),
        "reviewSuggestion" => (
            Some(json!({"review": "queried", "note": "is this about kinship care or fostering?"})),
            json!({"marked": 1, "without_decider": 0, "message": "1 suggestion queried"}),
        ),
        "createItem" => (
            Some(json!({"title": "Support for kinship carers",
                "suggestions": [format!("{RESPONDENT}:1")], "version": 3})),
            change,
        ),
        "changeItem" => (
            Some(json!({"evidence": "Cochrane review 2024, CD012345", "version": 3})),
            change,
        ),
        "previewShortlist" => (None, preview),
        "applyShortlist" => (
            Some(json!({"rule": "top", "k": 2, "into": "top-three", "version": 4})),
            json!({"preview": preview, "change": {"id": "top-three", "version": 5}}),
        ),
        "getAuditTrailCsv" => (None, csv("item,title,suggestions,groups,evidence,scores")),
        "signIn" => (
            Some(json!({"email": "lead@example.org", "password": "correct horse battery"})),
            json!({"email": "lead@example.org", "csrf_token": "4f1c9e0b7a2d5c8e3b6a9d0c1e2f3a4b",
                "expires_in": 43_200}),
        ),
        "signOut" => (None, Value::Null),
        "listMembers" => (
            None,
            json!({"exercise": "try-every-kind", "members": [
                {"email": "lead@example.org", "role": "owner", "all_exercises": true},
                {"email": "alex@example.org", "role": "advisory", "all_exercises": false}],
                "invitations": [{"email": "sam@example.org", "role": "lead",
                    "invited_by": "lead@example.org", "expires_at": 1_796_000_000}],
                "advisory_downloads": false}),
        ),
        "inviteMember" => (
            Some(json!({"email": "alex@example.org", "role": "advisory"})),
            json!({"email": "alex@example.org", "role": "advisory",
                "sign_up_url": "https://survey.example.org/admin/join/3q9xk2m7c4v8b1n6z5w0rt",
                "expires_at": 1_796_000_000}),
        ),
        "setMemberRole" => (
            Some(json!({"role": "lead"})),
            json!({"email": "alex@example.org", "role": "lead", "all_exercises": false}),
        ),
        "removeMember" => (None, Value::Null),
        "setAccess" => (
            Some(json!({"advisory_downloads": true})),
            json!({"advisory_downloads": true}),
        ),
        _ => return None,
    })
}

/// Sets each operation's request example and the example of its successful answer.
pub fn add_examples(item: &mut PathItem) {
    for (_, operation) in operations_mut(item) {
        let Some((request, answer)) = operation.operation_id.as_deref().and_then(example) else {
            continue;
        };
        if let (Some(request), Some(body)) = (request, operation.request_body.as_mut()) {
            for content in body.content.values_mut() {
                content.example = Some(request.clone());
            }
        }
        if answer.is_null() {
            continue;
        }
        for (_, response) in operation
            .responses
            .responses
            .iter_mut()
            .filter(|(status, _)| status.starts_with('2'))
        {
            if let utoipa::openapi::RefOr::T(response) = response {
                for content in response.content.values_mut() {
                    content.example = Some(answer.clone());
                }
            }
        }
    }
}
