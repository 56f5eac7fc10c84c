"""API fuzzing: schemathesis generates requests for every operation of /api/v1/ (anonymous and as staff) against a
running `silkbridge serve`, and counts server errors and answers that break the OpenAPI schema.

usage: python bench/bench_api_fuzz.py --data-dir DIR [--database-url URL] [--examples 150] [--workers 2]

Staff requests write (create, change, delete records): give it a copy of a demo data dir, never one you keep.
Checks: not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance.
"""
from __future__ import annotations

import argparse
import collections
import os
import platform
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).parent))
from bench_serve import start_server  # noqa: E402  (the same loopback-only server start)

DEMO_USER, DEMO_PASSWORD = "demo", "silkbridge-demo"


def staff_headers(base: str) -> dict[str, str]:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=60)
    token = session.cookies["csrftoken"]
    answer = session.post(f"{base}/accounts/login/", timeout=60, allow_redirects=False,
                          data={"username": DEMO_USER, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token})
    if answer.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"could not log in as {DEMO_USER}: {answer.status_code}")
    token = session.cookies["csrftoken"]
    return {"Cookie": f"sessionid={session.cookies['sessionid']}; csrftoken={token}", "X-CSRFToken": token}


def fuzz(schema, base: str, examples: int, headers: dict[str, str], seed: int):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    cases = 0
    statuses: collections.Counter[int] = collections.Counter()
    failures: list[tuple[str, str]] = []

    def run(operation) -> None:
        @hypothesis_seed(seed)
        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def one(case):
            nonlocal cases
            cases += 1
            response = case.call(base_url=base, headers=headers, timeout=60)
            statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except (Exception, BaseExceptionGroup) as exc:  # every failed check is a finding to count, not a reason to stop
                failures.append((operation.label, " ".join(str(exc).split())[:300]))

        try:
            one()
        except (Exception, BaseExceptionGroup) as exc:  # hypothesis re-raises, as a group, what the checks found
            failures.append((operation.label, " ".join(str(exc).split())[:300]))

    for result in schema.get_all_operations():
        run(result.ok())
    return cases, statuses, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--examples", type=int, default=150, help="generated cases per operation and identity (hypothesis drops repeats)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()

    import schemathesis

    env = {k: v for k, v in os.environ.items() if not k.startswith("SILKBRIDGE_")}
    env["SILKBRIDGE_DATA_DIR"] = str(Path(args.data_dir).resolve())
    env["SILKBRIDGE_LOGIN_FAILURE_LIMIT"] = "1000"
    if args.database_url:
        env["SILKBRIDGE_DATABASE_URL"] = args.database_url
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} at start; python {platform.python_version()}; "
          f"schemathesis {schemathesis.__version__}")
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    server = start_server(args, env)
    rows = []
    try:
        base = f"http://127.0.0.1:{args.port}"
        schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
        operations = sum(1 for _ in schema.get_all_operations())
        for who, headers in (("anonymous", {}), ("staff", staff_headers(base))):
            began = time.perf_counter()
            cases, statuses, failures = fuzz(schema, base, args.examples, headers, args.seed)
            rows.append((who, cases, statuses, failures, time.perf_counter() - began))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\n{database}, {operations} operations, up to {args.examples} generated cases per operation and identity\n")
    print("identity | cases | server errors | schema violations | s | answers by status")
    print("---|---|---|---|---|---")
    for who, cases, statuses, failures, seconds in rows:
        server_errors = sum(n for status, n in statuses.items() if status >= 500)
        print(f"{who} | {cases:,} | {server_errors} | {len(failures)} | {seconds:.0f} | "
              + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    total = sum(r[1] for r in rows)
    print(f"**total** | {total:,} | {sum(n for r in rows for s, n in r[2].items() if s >= 500)} | "
          f"{sum(len(r[3]) for r in rows)} | {sum(r[4] for r in rows):.0f} |")
    for who, _, _, failures, _ in rows:
        for label, text in failures[:20]:
            print(f"- {who} {label}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
