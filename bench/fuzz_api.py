"""API fuzz: schemathesis against a real server's OpenAPI on loopback; summary in docs/fuzz.md.

`make fuzz` (or `python -m bench.fuzz_api`): a fresh SQLite database with the demo data, a uvicorn
process on 127.0.0.1, an admin signed in with a bearer token, then `schemathesis run` on every
operation, bounded in examples per operation and in time. Exit 1 when any server error is found.
Not part of `make bench` (its name does not start with bench_) nor of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "fuzz.md"
BIN = Path(sys.executable).parent
FUZZ_USER = "fuzz-admin"
# The fuzzer PATCHes and DELETEs /users/{id} with small and boundary ids; an id it will not guess
# keeps the signed-in admin active for the whole run (else it demotes itself and the rest is 401).
FUZZ_USER_ID = 987_654_321
SELF_PATHS = r"^/api/v1/(users/\{user_id\}|auth/.+)$"


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_database(env: dict[str, str], password: str) -> None:
    """Migrate, load the demo data and add the fuzzing admin (through the CLI and the services)."""
    trienkhai = str(BIN / "trienkhai")
    subprocess.run([trienkhai, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([trienkhai, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    script = (
        "import trienkhai.models\n"
        "from trienkhai.db import session_scope\n"
        "from trienkhai.users import service\n"
        "from trienkhai.users.models import Role\n"
        "import sys\n"
        "from sqlalchemy import update\n"
        "from trienkhai.users.models import User\n"
        "with session_scope() as session:\n"
        "    user = service.create_user(session=session, username=sys.argv[1],\n"
        "                               password=sys.argv[2], role=Role.admin, full_name='Fuzz')\n"
        "    session.execute(update(User).where(User.id == user.id).values(id=int(sys.argv[3])))\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, FUZZ_USER, password, str(FUZZ_USER_ID)],
        env=env,
        check=True,
        cwd=ROOT,
    )


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """uvicorn with the app factory on 127.0.0.1:port, once /healthz answers."""
    command = [sys.executable, "-m", "uvicorn", "trienkhai.web.app:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "error"]  # fmt: skip
    proc = subprocess.Popen(command, env=env, cwd=ROOT)
    for _ in range(200):
        if proc.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the server did not start")


def bearer_token(base: str, password: str) -> str:
    """Sign the fuzzing admin in through the API."""
    answer = httpx.post(
        f"{base}/api/v1/auth/token", json={"username": FUZZ_USER, "password": password}
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def run_schemathesis(
    base: str, token: str, *, examples: int, seconds: int, seed: int, report: Path, extra: list[str]
) -> tuple[int, str]:
    """Run schemathesis (server-error check only); its exit code and console output."""
    command = [
        str(BIN / "schemathesis"), "run", f"{base}/api/v1/openapi.json",
        "--header", f"Authorization: Bearer {token}",
        "--checks", "not_a_server_error",
        *extra,
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", str(examples),
        "--max-time", str(seconds),
        "--seed", str(seed),
        "--workers", "1",
        "--request-timeout", "60",
        "--generation-database", "none",
        "--continue-on-failure",
        "--no-color",
        "--report", "ndjson", "--report-ndjson-path", str(report),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.returncode, done.stdout + done.stderr


def summarise(reports: list[Path]) -> dict[str, Any]:
    """Operations, test cases and failures (operation, check, status) from the NDJSON events."""
    operations: set[str] = set()
    cases = 0
    failures: Counter[tuple[str, str, str]] = Counter()
    lines = [
        line
        for report in reports
        if report.exists()
        for line in report.read_text(encoding="utf-8").splitlines()
    ]
    for line in lines:
        recorder = json.loads(line).get("ScenarioFinished", {}).get("recorder", {})
        label = recorder.get("label", "")
        if not label:
            continue
        operations.add(label)
        cases += len(recorder.get("cases", {}))
        for case_id, checks in recorder.get("checks", {}).items():
            response = recorder.get("interactions", {}).get(case_id, {}).get("response") or {}
            status = str(response.get("status_code", "?"))
            for check in checks:
                if str(check.get("status", "")).lower() in {"failure", "error"}:
                    info = (check.get("failure_info") or {}).get("failure") or {}
                    what = f"{check.get('name', '?')}: {info.get('title', '')}".rstrip(": ")
                    failures[(label, what, status)] += 1
    return {"operations": len(operations), "cases": cases, "failures": failures}


def write_doc(
    summary: dict[str, Any], *, examples: int, seconds: int, seed: int, took: float, code: int
) -> None:
    """Rewrite docs/fuzz.md with the run's numbers and every server error found."""
    version = subprocess.run(
        [str(BIN / "schemathesis"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    failures: Counter[tuple[str, str, str]] = summary["failures"]
    lines = [
        "# API fuzz",
        "",
        "Written by `make fuzz` (`python -m bench.fuzz_api`): schemathesis against the OpenAPI",
        "of a real uvicorn server on 127.0.0.1 (fresh SQLite database with the demo data), signed",
        "in as an administrator with a bearer token; phases examples, coverage (boundary values",
        "such as 2^63, null, empty strings) and fuzzing; check `not_a_server_error` (any 5xx",
        "fails). The operations on the signed-in account itself (`/users/{user_id}`, `/auth/...`)",
        "run last, with a fifth of the time (at most 120 s): the fuzzer may deactivate the admin.",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| date | {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')} |",
        f"| tool | {version} |",
        f"| bounds | {examples} examples per operation, {seconds} s in all, seed {seed} |",
        f"| operations tested | {summary['operations']} |",
        f"| test cases | {summary['cases']} |",
        f"| failing test cases (server errors) | {sum(failures.values())} |",
        f"| distinct failures (operation, check, status) | {len(failures)} |",
        "| admin token valid after the main run (before the account's own operations) | "
        f"{'yes' if summary['signed_in'] else 'no'} |",
        f"| wall time | {took:.0f} s |",
        f"| schemathesis exit code | {code} |",
        "",
    ]
    if failures:
        lines += ["## Failures", "", "| operation | check | status | test cases |"]
        lines += ["| --- | --- | --- | --- |"]
        lines += [f"| {op} | {check} | {code} | {n} |" for (op, check, code), n in failures.items()]
        lines.append("")
    OUTPUT.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Set up, fuzz, write docs/fuzz.md; exit 1 when a server error was found."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=20, help="examples per operation")
    parser.add_argument("--seconds", type=int, default=600, help="time budget of the whole run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/fuzz.md")
    parser.add_argument("--events", type=Path, help="keep schemathesis' NDJSON events here")
    parser.add_argument("extra", nargs="*", help="more schemathesis options (after --)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="trienkhai-fuzz-") as tmp:
        folder = Path(tmp)
        password = secrets.token_urlsafe(24)
        env = {
            **os.environ,
            "TRIENKHAI_ENV": "test",
            "TRIENKHAI_DATA_DIR": str(folder),
            "TRIENKHAI_DATABASE_URL": f"sqlite:///{folder / 'fuzz.db'}",
            "TRIENKHAI_SECRET_KEY": secrets.token_urlsafe(32),
            "TRIENKHAI_SMTP_HOST": "",
        }
        prepare_database(env, password)
        port = free_port()
        server = start_server(env, port)
        base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        try:
            token = bearer_token(base, password)
            # Operations on the signed-in account itself run last: the fuzzer learns the admin's
            # id from responses and may deactivate or demote it, after which every call is 401.
            last = min(120, args.seconds // 5)
            runs = [("--exclude-path-regex", args.seconds - last), ("--include-path-regex", last)]
            reports, codes, console = [], [], ""
            for index, (flag, seconds) in enumerate(runs):
                report = folder / f"events-{index}.ndjson"
                code, output = run_schemathesis(
                    base, token, examples=args.examples, seconds=seconds, seed=args.seed,
                    report=report, extra=[flag, SELF_PATHS, *args.extra],
                )  # fmt: skip
                reports.append(report)
                codes.append(code)
                console += output[-3000:]
                if index == 0:
                    me = httpx.get(
                        f"{base}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}
                    )
                    still_signed_in = me.status_code == 200
        finally:
            server.terminate()
            server.wait(timeout=20)
        took = time.monotonic() - started
        print(console)
        code = max(codes)
        if args.events:
            args.events.write_text(
                "".join(r.read_text(encoding="utf-8") for r in reports if r.exists()),
                encoding="utf-8",
            )
        summary = summarise(reports)
        summary["signed_in"] = still_signed_in
    if not args.no_doc:
        write_doc(
            summary, examples=args.examples, seconds=args.seconds, seed=args.seed, took=took,
            code=code,
        )  # fmt: skip
    errors = sum(summary["failures"].values())
    print(json.dumps({"operations": summary["operations"], "cases": summary["cases"],
                      "server_errors": errors, "seconds": round(took)}))  # fmt: skip
    return 1 if errors or code not in (0, 1) else 0


if __name__ == "__main__":
    raise SystemExit(main())
