#!/usr/bin/env python3
"""The API checks of prioritise, made with tools nobody here wrote (tests/api/README.md).

Starts `prioritise serve` on a fresh database on 127.0.0.1, then:

1. validates the served OpenAPI document with openapi-spec-validator;
2. generates a Python client from it with openapi-python-client (failing if the generator has
   to leave any operation out, except those listed in ALLOWED_GENERATOR_WARNINGS with the
   reason) and runs a whole exercise through that client (journey.py): no hand-written request;
3. runs Schemathesis against the service, with the ids the journey made fed in so that its
   requests reach the handlers, for a bounded time, with the checks the issue names.

Exits 1 when any step fails. Run it through run.sh, which installs the pinned tools.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TOKEN = "api-checks-bearer-token-0123456789abcdef"

# Operations the Python generator cannot make, and why; any other "will not be generated" fails.
ALLOWED_GENERATOR_WARNINGS = {
    "PUT /api/v1/exercises/{exercise}": (
        "the definition is sent as TOML (application/toml), a content type openapi-python-client "
        "does not generate; the Rust tests and the command line cover this operation"
    ),
}

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "ignored_auth",
]


class Server:
    """`prioritise serve` on a free port, stopped with SIGTERM (then SIGKILL)."""

    def __init__(self, binary: Path, tmp: Path, extra_flags: list[str]):
        self.log_path = tmp / "serve.log"
        self.log = open(self.log_path, "w+", encoding="utf-8")
        env = dict(os.environ, PRIORITISE_ADMIN_TOKEN=TOKEN, PRIORITISE_LOG="warn")
        self.process = subprocess.Popen(
            [
                str(binary),
                "serve",
                "--db",
                str(tmp / "api.db"),
                "--bind",
                "127.0.0.1:0",
                "--surveys",
                str(ROOT / "surveys"),
                *extra_flags,
            ],
            stdout=self.log,
            stderr=self.log,
            env=env,
        )
        self.base = self._wait_for_address()

    def _wait_for_address(self, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"prioritise serve exited early:\n{self.log_path.read_text()}")
            match = re.search(r" on (http://[^\s/]+)\n", self.log_path.read_text())
            if match:
                return match.group(1)
            time.sleep(0.1)
        raise RuntimeError(f"prioritise serve did not say its address:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def fetch_document(base: str, path: Path) -> dict:
    with urllib.request.urlopen(f"{base}/api/v1/openapi.json", timeout=30) as response:
        body = response.read()
    path.write_bytes(body)
    return json.loads(body)


def validate_document(document: dict) -> list[str]:
    """Every error openapi-spec-validator finds in the document."""
    from openapi_spec_validator import OpenAPIV31SpecValidator, OpenAPIV30SpecValidator

    version = str(document.get("openapi", ""))
    validator_class = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    return [error.message for error in validator_class(document).iter_errors()]


def generate_client(document_path: Path, out: Path) -> tuple[Path, list[str]]:
    """Generates the client package `prioritise_client` in `out`; returns `out` (for the import
    path) and the problems found."""
    out.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            "openapi-python-client",
            "generate",
            "--path",
            str(document_path),
            "--output-path",
            str(out / "prioritise_client"),
            "--overwrite",
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    problems = []
    if result.returncode != 0:
        problems.append(f"openapi-python-client exited with {result.returncode}:\n{output}")
    for match in re.finditer(r"WARNING parsing (\w+) (\S+) within \w+\. Endpoint will not be generated\.\s*\n\s*\n?([^\n]*)", output):
        operation = f"{match.group(1)} {match.group(2)}"
        if operation in ALLOWED_GENERATOR_WARNINGS:
            print(f"  left out, as documented: {operation}: {ALLOWED_GENERATOR_WARNINGS[operation]}")
        else:
            problems.append(f"the generator could not make {operation}: {match.group(3).strip()}")
    return out, problems


def run_schemathesis(base: str, ids: dict, tmp: Path, max_time: int, workers: int) -> int:
    """Schemathesis with the journey's ids; returns its exit code."""
    def toml_string(value: str) -> str:
        return json.dumps(value)

    parameters = {
        "path.exercise": ids["exercise"],
        "path.round": ids["rate_round"],
        "path.respondent": ids["respondent"],
        "query.respondent": ids["respondent"],
        "path.item": ids["item"],
        "path.suggestion": ids["suggestion"],
    }
    per_operation = [
        (r"/pair$", {"path.round": ids["pairwise_round"]}),
        (r"/feedback$", {"path.round": ids["rerate_round"]}),
        (r"/curation", {"path.round": ids["suggest_round"]}),
        (r"/shortlist$", {"path.round": ids["rank_round"]}),
    ]
    lines = [
        f"headers = {{ Authorization = {toml_string('Bearer ' + TOKEN)} }}",
        "[parameters]",
        *(f"{toml_string(key)} = {toml_string(value)}" for key, value in parameters.items()),
    ]
    for path_regex, values in per_operation:
        lines += [
            "[[operations]]",
            f"include-path-regex = {toml_string(path_regex)}",
            "parameters = { " + ", ".join(f"{toml_string(k)} = {toml_string(v)}" for k, v in values.items()) + " }",
        ]
    config = tmp / "schemathesis.toml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(config.read_text())
    command = [
        "schemathesis",
        "--config-file",
        str(config),
        "run",
        f"{base}/api/v1/openapi.json",
        "--checks",
        ",".join(CHECKS),
        "--phases",
        "examples,coverage,fuzzing",
        "--max-time",
        str(max_time),
        "--workers",
        str(workers),
        "--seed",
        "20261207",
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--report",
        "junit",
        "--report-dir",
        str(tmp / "schemathesis-report"),
        "--no-color",
    ]
    print(" ".join(command), flush=True)
    # hooks.py teaches Schemathesis to send the TOML definition body.
    env = dict(os.environ, SCHEMATHESIS_HOOKS="hooks", PYTHONPATH=str(HERE))
    return subprocess.run(command, cwd=tmp, env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=os.environ.get("PRIORITISE_BIN", str(ROOT / "target" / "debug" / "prioritise")))
    parser.add_argument("--max-time", type=int, default=int(os.environ.get("API_FUZZ_SECONDS", "150")), help="Schemathesis's time budget in seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-fuzz", action="store_true", help="only the validator and the generated client")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    binary = Path(args.bin).resolve()
    if not binary.exists():
        print(f"the prioritise binary is not at {binary}: build it with `cargo build -p prioritise`, or pass --bin", file=sys.stderr)
        return 1

    tmp = Path(tempfile.mkdtemp(prefix="prioritise-api-"))
    failures: list[str] = []
    # The per-client limits are off: Schemathesis sends thousands of requests, hundreds of them
    # with wrong credentials on purpose (`ignored_auth`), from one address. With the failed-
    # authentication lockout on, every later admin request would be a 429, and `ignored_auth`
    # expects the 401 that a wrong credential gets. The limits and the lockout have their own
    # tests (crates/server/tests/it/hardening.rs).
    limits_off = ["--submit-rate", "0", "--sign-in-rate", "0", "--resume-rate", "0", "--failed-auth-rate", "0"]
    server = Server(binary, tmp, limits_off)
    try:
        print(f"prioritise serve on {server.base} (database and reports in {tmp})")

        step("the document validates (openapi-spec-validator)")
        document_path = tmp / "openapi.json"
        document = fetch_document(server.base, document_path)
        errors = validate_document(document)
        for error in errors:
            print(f"  invalid: {error}")
        if errors:
            failures.append(f"openapi-spec-validator: {len(errors)} errors")
        else:
            print(f"  valid: {len(document.get('paths', {}))} paths")

        step("a client generated from the document (openapi-python-client)")
        client_dir, problems = generate_client(document_path, tmp / "client")
        for problem in problems:
            print(f"  {problem}")
        failures += problems

        step("a whole exercise through the generated client")
        sys.path.insert(0, str(HERE))
        import journey

        ids = journey.run(client_dir, document, server.base, TOKEN)
        print(f"  ids for the fuzzing: {json.dumps(ids)}")

        if not args.skip_fuzz:
            step(f"Schemathesis for up to {args.max_time} s")
            code = run_schemathesis(server.base, ids, tmp, args.max_time, args.workers)
            if code != 0:
                failures.append(f"Schemathesis exited with {code}")
            if server.process.poll() is not None:
                failures.append("the service stopped during the fuzzing")
    except Exception as error:  # noqa: BLE001 - every failure is reported, then the server stops
        failures.append(f"{type(error).__name__}: {error}")
        import traceback

        traceback.print_exc()
    finally:
        server.stop()
        log = server.log_path.read_text()
        if "panicked" in log:
            failures.append("the service's log holds a panic")
            print(log[-4000:])
        if not args.keep and not failures:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)

    step("summary")
    if failures:
        for failure in failures:
            print(f"  FAILED: {failure}")
        print(f"  (files kept in {tmp})")
        return 1
    print("  every API check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
