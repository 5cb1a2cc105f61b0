"""Benchmark: packaged e-learning (SCORM).

1. Import of a 50 MB package with 2,000 files (checks, manifest, storage, rows).
2. The commit endpoint under 20 concurrent learners: each learner's player POSTs full CMI data
   (location, suspend data, 10 interactions) with rising sequence numbers to `gilde serve`,
   for SECONDS; median and 95th percentile latency, commits per second.
3. Launch to the first byte of content: the launch (sequencing, attempt, session, learning
   record), then the player page and the SCO's first file over HTTP, as a browser fetches them.

    uv run python benchmarks/bench_scorm.py         (or through benchmarks/run.py)
"""

from __future__ import annotations

import http.client
import io
import multiprocessing
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import orjson

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="gilde-bench-scorm-media-"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, markdown_table, median, p95, setup_django, summary_row

LEARNERS = 20
SECONDS = float(os.environ.get("BENCH_SCORM_SECONDS", "10"))
FILES = 2000
PACKAGE_MB = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`gilde serve` on a free loopback port, sharing this process's database and key."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="gilde-bench-scorm-")
        self.port = free_port()
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(Path(self.folder) / "static"),
            "BIND": f"127.0.0.1:{self.port}",
            "PYTHONPATH": str(ROOT / "src"),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.log = open(Path(self.folder) / "server.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gilde.cli", "serve"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 600  # start-up migrates and compresses the static files
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/xapi/about")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gilde serve did not start")

    def __exit__(self, *exc: Any) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


MANIFEST = """<?xml version="1.0"?>
<manifest identifier="bench" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
 xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
 <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
 <organizations default="ORG"><organization identifier="ORG"><title>Benchmark</title>
 <item identifier="SCO" identifierref="RES"><title>Benchmark SCO</title></item>
 </organization></organizations>
 <resources><resource identifier="RES" type="webcontent" adlcp:scormtype="sco"
 href="index.html"/></resources></manifest>"""


def big_package() -> bytes:
    """2,000 files, 50 MB: media-like files that do not compress, as real packages have."""
    rng = random.Random(7)
    size = PACKAGE_MB * 1024 * 1024 // FILES
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr("index.html", "<!doctype html><title>SCO</title><p>Hallo</p>")
        for n in range(FILES - 2):
            archive.writestr(f"media/{n // 100:02d}/asset-{n:04d}.bin", rng.randbytes(size))
    return buffer.getvalue()


def world() -> tuple[Any, Any, list[Any]]:
    from gilde.people.models import Person
    from gilde.tenancy.models import OrganisationKind, Role
    from gilde.tenancy.services import membership_create, organisation_create

    org = organisation_create(actor=None, name="Bench BV", kind=OrganisationKind.COMPANY)

    def person(n: int, role: str) -> Any:
        someone = Person.objects.create_user(
            f"bench-{role}-{n}@example.org", "x" * 12, given_name="Bench", family_name=f"P{n}"
        )
        membership_create(actor=None, person=someone, organisation=org, roles=[role])
        return someone

    admin = person(0, Role.ORG_ADMIN)
    return org, admin, [person(n, Role.LEARNER) for n in range(LEARNERS)]


def cmi(rng: random.Random, n: int) -> dict[str, Any]:
    return {
        "core": {
            "lesson_location": f"page-{n}",
            "lesson_status": "incomplete",
            "score": {"raw": str(rng.randrange(100)), "min": "0", "max": "100"},
            "session_time": "00:00:05",
        },
        "suspend_data": "x" * 2000,
        "interactions": {
            str(i): {"id": f"q{i}", "type": "choice", "student_response": "a", "result": "correct"}
            for i in range(10)
        },
    }


def _learner(port: int, path: str, seed: int, seconds: float, barrier: Any, out: Any) -> None:
    rng = random.Random(seed)
    barrier.wait()
    start = time.perf_counter()
    samples: list[float] = []
    errors = 0
    seq = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.perf_counter() - start < seconds:
        seq += 1
        body = orjson.dumps({"seq": seq, "terminate": False, "cmi": cmi(rng, seq)})
        began = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            answer = orjson.loads(response.read())
            if response.status != 200 or answer.get("result") != "true":
                errors += 1
        except (OSError, http.client.HTTPException, orjson.JSONDecodeError):
            errors += 1
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        samples.append(time.perf_counter() - began)
    out.put((samples, errors, time.perf_counter() - start))


def main() -> None:
    label = setup_django()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connections
    from django.urls import reverse

    from gilde.learning.services import enrolment_self_create, item_publish
    from gilde.scorm import origins, services
    from gilde.scorm.views_content import content_url

    org, admin, learners = world()
    content = big_package()
    began = time.perf_counter()
    version = services.package_upload(
        actor=admin,
        upload=SimpleUploadedFile("bench.zip", content, content_type="application/zip"),
        filename="bench.zip",
        organisation=org,
    )
    import_seconds = time.perf_counter() - began
    item = item_publish(actor=admin, item=version.package.item)
    print(f"## Packaged e-learning ({label})\n")
    print(
        markdown_table(
            ["import", "files", "packed", "unpacked", "seconds", "MB/s"],
            [
                [
                    "SCORM 1.2 zip",
                    version.file_count,
                    f"{len(content) / 1e6:.1f} MB",
                    f"{version.unpacked_bytes / 1e6:.1f} MB",
                    f"{import_seconds:.2f}",
                    f"{len(content) / 1e6 / import_seconds:.1f}",
                ]
            ],
        )
    )
    print()
    # The runner's summary. Nothing here has a floor measured in the same run, and queries are
    # not counted (the commits and the content are served by `gilde serve` over HTTP).
    summary_row(
        scenario="package import, one run (whole import)",
        median_ms=import_seconds * 1000,
        p95_ms=import_seconds * 1000,
        queries="-",
        rows=f"{version.file_count:,} files, {len(content) / 1e6:.0f} MB",
        floor_ms=None,
        floor="",
    )

    with Server() as server:
        origin = f"http://127.0.0.1:{server.port}"
        page = f"http://localhost:{server.port}"
        paths = []
        launch_times = []
        for learner in learners:
            enrolment = enrolment_self_create(actor=learner, item=item)
            started = time.perf_counter()
            launch = services.scorm_launch(
                actor=learner,
                enrolment=enrolment,
                package=version.package,
                page_origin=page,
                content_origin=origin,
            )
            launch_times.append(time.perf_counter() - started)
            token = origins.sign("player", {"s": str(launch.session.uuid), "c": origin, "p": page})
            paths.append(
                (reverse("scorm:player", args=[token]), reverse("scorm:commit", args=[token]))
            )
        first_byte = []
        sco = content_url(version, origin, page, "index.html").removeprefix(origin)
        for (player, _commit), launched in zip(paths, launch_times, strict=True):
            began = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            conn.request("GET", player)
            assert conn.getresponse().read()
            conn.request("GET", sco)
            response = conn.getresponse()
            response.read(1)
            first_byte.append(launched + time.perf_counter() - began)
            response.read()
            conn.close()
        connections.close_all()
        context = multiprocessing.get_context("fork")
        barrier = context.Barrier(LEARNERS)
        out = context.Queue()
        procs = [
            context.Process(target=_learner, args=(server.port, commit, n, SECONDS, barrier, out))
            for n, (_player, commit) in enumerate(paths)
        ]
        for proc in procs:
            proc.start()
        results = [out.get() for _ in procs]
        for proc in procs:
            proc.join()
    samples = [s for r in results for s in r[0]]
    errors = sum(r[1] for r in results)
    wall = max(r[2] for r in results)
    print(
        markdown_table(
            ["commit endpoint", "learners", "commits", "commits/s", "median", "p95", "errors"],
            [
                [
                    "full CMI (10 interactions, 2 kB suspend data)",
                    LEARNERS,
                    len(samples),
                    f"{len(samples) / wall:.0f}",
                    f"{median(samples) * 1000:.1f} ms",
                    f"{p95(samples) * 1000:.1f} ms",
                    errors,
                ]
            ],
        )
    )
    summary_row(
        scenario=f"commit, full CMI, {LEARNERS} learners at once (over HTTP)",
        median_ms=median(samples) * 1000,
        p95_ms=p95(samples) * 1000,
        queries="-",
        rows=f"{len(samples):,} commits",
        floor_ms=None,
        floor="",
    )
    summary_row(
        scenario="launch to first byte of content (over HTTP)",
        median_ms=median(first_byte) * 1000,
        p95_ms=p95(first_byte) * 1000,
        queries="-",
        rows=f"{len(first_byte)} launches",
        floor_ms=None,
        floor="",
    )
    print()
    print(
        markdown_table(
            ["launch to first byte of content", "launches", "median", "p95"],
            [
                [
                    "launch + player page + first file",
                    len(first_byte),
                    f"{median(first_byte) * 1000:.1f} ms",
                    f"{p95(first_byte) * 1000:.1f} ms",
                ]
            ],
        )
    )


if __name__ == "__main__":
    main()
