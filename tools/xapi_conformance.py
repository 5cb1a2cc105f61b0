"""Run the ADL LRS conformance suite against Gilde's xAPI endpoint, for xAPI 1.0.3 and 2.0.0.

    uv run python tools/xapi_conformance.py --suite /path/to/lrs-conformance-test-suite

The suite is not part of this project: clone github.com/adlnet/lrs-conformance-test-suite and run
`npm install` in it first. This script starts `gunicorn` on a fresh SQLite database (or on
DATABASE_URL when given), makes an organisation's LRS client per version, runs the suite's
console runner twice and prints each summary line and every failing test's title and error.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gilde(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "gilde.cli", *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout


def failures(log_path: str) -> list[str]:
    data = json.loads(Path(log_path).read_text())
    found: list[str] = []

    def walk(node: dict, trail: list[str]) -> None:
        if node.get("status") == "failed" and not node.get("tests"):
            found.append(
                " > ".join([*trail[-2:], node.get("title", "")])
                + "\n    "
                + str(node.get("error", ""))[:500]
            )
        for child in node.get("tests") or []:
            walk(child, [*trail, node.get("title", "")])

    walk(data.get("log", data), [])
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--suite", required=True, help="path of the conformance suite checkout")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--versions", default="1.0.3,2.0.0")
    options = parser.parse_args()
    suite = Path(options.suite).resolve()
    workdir = Path(tempfile.mkdtemp(prefix="gilde-xapi-"))
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'lrs.sqlite3'}")
    env["PYTHONPATH"] = str(ROOT / "src")
    gilde(env, "migrate", "-v0")
    gilde(env, "demo", "--no-serve")
    org = (
        gilde(
            env,
            "shell",
            "-c",
            "from gilde.tenancy.models import Organisation as O; print(O.objects.order_by('pk').first().slug)",
        )
        .strip()
        .splitlines()[-1]
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "gilde.wsgi:application",
            "--bind",
            f"127.0.0.1:{options.port}",
            "--workers",
            "3",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{options.port}/xapi"
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(endpoint + "/about", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        for version in options.versions.split(","):
            client = json.loads(
                gilde(
                    env,
                    "lrs-client",
                    "create",
                    "--organisation",
                    org,
                    "--name",
                    f"conformance {version}",
                    "--xapi-version",
                    version,
                    "--json",
                )
            )
            before = set(glob.glob(str(suite / "logs" / "*.log")))
            run = subprocess.run(
                [
                    "node",
                    "bin/console_runner.js",
                    "-e",
                    endpoint,
                    "-a",
                    "-u",
                    client["key"],
                    "-p",
                    client["secret"],
                    "-x",
                    version,
                    "-z",
                ],
                cwd=suite,
                capture_output=True,
                text=True,
            )
            summaries = [line for line in run.stdout.splitlines() if line.startswith('{"total"')]
            print(f"xAPI {version}: {summaries[-1] if summaries else 'no summary'}")
            if not summaries or '"total":null' in summaries[-1]:
                # The runner stopped before it counted: show why.
                print((run.stdout + run.stderr)[-3000:])
            new_logs = sorted(
                set(glob.glob(str(suite / "logs" / "*.log"))) - before, key=os.path.getmtime
            )
            if new_logs:
                for line in failures(new_logs[-1]):
                    print("  FAIL " + line)
    finally:
        server.terminate()
        server.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
