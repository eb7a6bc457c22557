"""A whole exercise through the client generated from the OpenAPI document (tests/api/README.md).

Every request goes through a generated operation module (found by its operationId), with the
generated models for bodies and answers: nothing here builds a URL or a request by hand. The
client raises on any status the document does not list, so an undocumented answer fails.

The journey, on the `try-every-kind` exercise of surveys/: read the exercise; open its rounds
(admin); start 18 respondents in three groups, resume one of them; answer the suggest, rate,
criteria, rank, pick and pairwise rounds; close the rating round, open its re-rating round and
read the Delphi feedback; answer it; read participation, the results of every ranked round with
`method=all`, and the curation of the suggestions. It returns the ids the fuzzing needs.
"""

from __future__ import annotations

import importlib
import inspect
import random
import sys
import time
from http import HTTPStatus
from pathlib import Path

EXERCISE = "try-every-kind"
GROUPS_USED = 3
PER_GROUP = 6


class Api:
    """The generated client's operations, by HTTP method and path template."""

    def __init__(self, client_dir: Path, document: dict, base: str, token: str):
        sys.path.insert(0, str(client_dir))
        self.package = "prioritise_client"
        client_module = importlib.import_module(f"{self.package}.client")
        self.anonymous = client_module.Client(base_url=base, raise_on_unexpected_status=True)
        self.admin = client_module.AuthenticatedClient(
            base_url=base, token=token, raise_on_unexpected_status=True
        )
        self.document = document
        from openapi_python_client.strings import snake_case

        # (tag folder, module name) -> dotted module path
        self.modules = {}
        for module_path in (client_dir / self.package / "api").rglob("*.py"):
            if module_path.name != "__init__.py":
                relative = module_path.relative_to(client_dir).with_suffix("")
                key = (module_path.parent.name, module_path.stem.rstrip("_"))
                self.modules[key] = ".".join(relative.parts)
        self.snake_case = snake_case

    def operation(self, verb: str, path: str):
        """The generated module of the operation at `verb path`."""
        operation = self.document["paths"]["/api/v1" + path][verb.lower()]
        name = self.snake_case(operation["operationId"]).rstrip("_")
        tag = self.snake_case(operation.get("tags", ["default"])[0])
        if (tag, name) not in self.modules:
            raise AssertionError(f"the generated client has no module for {verb} {path} ({tag}/{name})")
        return importlib.import_module(self.modules[(tag, name)])

    def call(self, verb: str, path: str, *, admin: bool = False, expect=HTTPStatus.OK, body=None, **arguments):
        """Calls the operation; returns the parsed reply as a dict (or the raw text). A 503 with
        `Retry-After` (results being computed) is asked again after that wait, as the document
        tells a client to."""
        module = self.operation(verb, path)
        if body is not None:
            model = inspect.signature(module.sync_detailed).parameters["body"].annotation
            if isinstance(model, str):
                model = getattr(importlib.import_module(module.__name__), model)
            arguments["body"] = model.from_dict(body)
        client = self.admin if admin else self.anonymous
        response = module.sync_detailed(client=client, **arguments)
        for _ in range(60):
            if response.status_code != HTTPStatus.SERVICE_UNAVAILABLE or expect == HTTPStatus.SERVICE_UNAVAILABLE:
                break
            time.sleep(min(int(response.headers.get("retry-after", "1")), 5))
            response = module.sync_detailed(client=client, **arguments)
        if response.status_code != expect:
            raise AssertionError(
                f"{verb} {path} answered {int(response.status_code)}, expected {int(expect)}: "
                f"{response.content[:500]!r}"
            )
        parsed = response.parsed
        if parsed is None:
            return response.content.decode("utf-8")
        return parsed.to_dict() if hasattr(parsed, "to_dict") else parsed


def answer_round(api: Api, round_view: dict, respondent: str, rng: random.Random, items: list[str]) -> None:
    """Submits one respondent's answer to one round, of whatever kind it is."""
    kind = round_view["kind"]
    path = "/exercises/{exercise}/rounds/{round}/responses/{respondent}"
    ids = dict(exercise=EXERCISE, round_=round_view["id"], respondent=respondent)
    if kind == "suggest":
        body = {"submit": True, "suggestions": [f"How can {rng.choice(['schools', 'social workers', 'carers'])} help children in care stay in one home?"]}
    elif kind == "rate" and round_view.get("criteria"):
        criteria = [criterion["id"] for criterion in round_view["criteria"]]
        body = {"submit": True, "ratings": {item: {c: rng.choice(["yes", "no", "undecided"]) for c in criteria} for item in items}}
    elif kind == "rate":
        low, high = round_view["scale"]["min"], round_view["scale"]["max"]
        body = {"submit": True, "ratings": {item: rng.randint(low, high) for item in items}}
    elif kind == "rank":
        body = {"submit": True, "ranking": rng.sample(items, round_view["top_k"])}
    elif kind == "pick":
        body = {"submit": True, "picked": rng.sample(items, round_view["max_picks"])}
    elif kind == "pairwise":
        proposal = api.call("GET", "/exercises/{exercise}/rounds/{round}/pair", exercise=EXERCISE, round_=round_view["id"], respondent=respondent)
        winner, loser = proposal["pair"]
        body = {"submit": True, "choices": [{"winner": winner, "loser": loser}]}
    else:
        raise AssertionError(f"a round kind the journey does not know: {kind}")
    receipt = api.call("PUT", path, body=body, **ids)
    assert receipt, f"no receipt for {round_view['id']}"


def run(client_dir: Path, document: dict, base: str, token: str) -> dict:
    api = Api(client_dir, document, base, token)
    rng = random.Random(20261207)

    listed = api.call("GET", "/exercises")
    assert EXERCISE in str(listed), f"{EXERCISE} is not listed: {listed}"
    exercise = api.call("GET", "/exercises/{exercise}", exercise=EXERCISE)
    rounds = {round_view["id"]: round_view for round_view in exercise["rounds"]}
    by_kind = {}
    for round_view in exercise["rounds"]:
        key = "criteria" if round_view.get("criteria") else round_view["kind"]
        by_kind.setdefault(key, round_view["id"])
    rerate = next(r["id"] for r in exercise["rounds"] if r["kind"] == "rate" and r["id"] != by_kind["rate"] and not r.get("criteria"))
    first_pass = [round_id for round_id in rounds if round_id != rerate]
    for round_id in first_pass:
        api.call("POST", "/exercises/{exercise}/rounds/{round}/open", admin=True, exercise=EXERCISE, round_=round_id)
    print(f"  opened {len(first_pass)} rounds: {', '.join(first_pass)}")

    respondents = []
    for group in exercise["groups"][:GROUPS_USED]:
        for _ in range(PER_GROUP):
            started = api.call("POST", "/exercises/{exercise}/respondents", expect=HTTPStatus.CREATED, body={"group": group["id"]}, exercise=EXERCISE)
            respondents.append(started)
    resumed = api.call("POST", "/exercises/{exercise}/resume", body={"resume_code": respondents[0]["resume_code"]}, exercise=EXERCISE)
    assert respondents[0]["respondent"] in str(resumed), f"resuming found someone else: {resumed}"
    print(f"  started {len(respondents)} respondents in {GROUPS_USED} groups; resumed one")

    for started in respondents:
        for round_id in first_pass:
            answer_round(api, rounds[round_id], started["respondent"], rng, rounds[round_id]["items"])
    print(f"  answered {len(first_pass)} rounds for each respondent")

    source = by_kind["rate"]
    api.call("POST", "/exercises/{exercise}/rounds/{round}/close", admin=True, exercise=EXERCISE, round_=source)
    api.call("POST", "/exercises/{exercise}/rounds/{round}/open", admin=True, exercise=EXERCISE, round_=rerate)
    someone = respondents[0]["respondent"]
    feedback = api.call("GET", "/exercises/{exercise}/rounds/{round}/feedback", exercise=EXERCISE, round_=rerate, respondent=someone)
    assert feedback["from_round"] == source, feedback
    first_item = feedback["items"][0]
    assert sum(first_item["counts"].values()) == first_item["n"], first_item
    for started in respondents:
        answer_round(api, rounds[rerate], started["respondent"], rng, rounds[rerate]["items"])
    print(f"  closed {source}, read its feedback in {rerate} ({feedback['by']}), answered {rerate}")

    participation = api.call("GET", "/exercises/{exercise}/participation", admin=True, exercise=EXERCISE)
    totals = {row["round"]: row["total"] for row in participation["rounds"]}
    assert totals[source] == len(respondents), participation
    print(f"  participation: {totals}")

    for round_id, round_view in rounds.items():
        if round_view["kind"] == "suggest":
            continue
        results = api.call("GET", "/exercises/{exercise}/rounds/{round}/results", admin=True, exercise=EXERCISE, round_=round_id, method="all")
        assert results, f"no results for {round_id}"
    print("  read the results of every ranked round with method=all")

    suggest = by_kind["suggest"]
    curation = api.call("GET", "/exercises/{exercise}/rounds/{round}/curation", admin=True, exercise=EXERCISE, round_=suggest)
    assert curation["total"] == len(respondents), curation["total"]
    suggestion = curation["suggestions"][0]
    print(f"  curation of {suggest}: {curation['total']} suggestions")

    return {
        "exercise": EXERCISE,
        "respondent": respondents[-1]["respondent"],
        "item": exercise["items"][0]["id"],
        "suggestion": suggestion.get("id") or suggestion.get("suggestion"),
        "rate_round": source,
        "rerate_round": rerate,
        "suggest_round": suggest,
        "rank_round": by_kind["rank"],
        "pairwise_round": by_kind["pairwise"],
    }
