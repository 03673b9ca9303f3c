"""Web app load test: dashboard latency under 20 concurrent users, and upload acceptance.

Usage: .venv/bin/python benchmarks/web.py [--demo DIR | --size small] [--users 20]
       [--seconds 60] [--runs 3] [--think 0]

``--demo DIR`` is the output folder of ``tieguard demo`` (its warehouse, settings file and demo
secret are copied together, one fresh copy per run); without it the small demo is built. Each
run starts a cold server process (``tieguard serve``) on 127.0.0.1, signs in a manager, and lets
``--users`` concurrent clients request /dashboard back to back (``--think`` seconds between a
user's requests) for ``--seconds``; the first request of the run, which builds the dashboard
after the cold start, is reported on its own. Then an employee uploads a 5 MB Connections.csv
and the time until the server answers 202 (import queued as a job) is taken. Prints a Markdown
table with p50/p95 per run, the median over runs, and the load average beside every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PASSWORD = "benchmark password 1"
TIEGUARD = str(Path(sys.executable).parent / "tieguard")


def _loadavg() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _copy_demo(demo: Path, target: Path) -> Path:
    """The demo's warehouse with its settings file and secret (the settings name the secret)."""
    target.mkdir(parents=True)
    shutil.copy(demo / "tieguard.duckdb", target / "tieguard.duckdb")
    secret = target / "demo.secret"
    shutil.copy(demo / "demo.secret", secret)
    secret.chmod(0o600)
    (target / "tieguard.toml").write_text(f'[privacy]\nsecret_file = "{secret}"\n')
    return target / "tieguard.duckdb"


def _prepare(db: Path) -> tuple[str, str]:
    """Users in a fresh application database beside ``db``: a manager and an employee."""
    from tieguard.web import WebConfig, WebState
    from tieguard.web.accounts import create_user

    state = WebState(WebConfig(db=db))
    employee = str(state.warehouse.engine.scalar(
        "SELECT employee_id FROM ties GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"))
    create_user(state, None, username="mgr", password=PASSWORD, role="manager")
    create_user(state, None, username="emp", password=PASSWORD, role="employee",
                employee_id=employee)
    state.close()
    return employee, str(db.with_name(db.name + ".app.sqlite"))


def _export(target: Path, size: int = 5 << 20) -> Path:
    rows = ["Notes:", "\"generated\"", "",
            "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    n, total = 0, 0
    while total < size:
        line = (f"Name{n},Surname{n},https://www.linkedin.com/in/bench-{n:08d},,Company {n % 997},"
                f"Head of Purchasing,{1 + n % 28:02d} Mar 2024")
        rows.append(line)
        total += len(line) + 1
        n += 1
    target.write_text("\n".join(rows), encoding="utf-8")
    return target


async def _load(base: str, cookie: str, users: int, seconds: float,
                think: float) -> list[float]:
    times: list[float] = []
    stop = time.monotonic() + seconds

    async def user(client: httpx.AsyncClient) -> None:
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            res = await client.get(f"{base}/dashboard")
            times.append(time.perf_counter() - t0)
            assert res.status_code == 200, (res.status_code, res.text[-800:])
            assert 'id="headline"' in res.text, "the dashboard shows no headline"
            if think:
                await asyncio.sleep(think)

    async with httpx.AsyncClient(cookies={"tg_session": cookie}, timeout=60,
                                 limits=httpx.Limits(max_connections=users)) as client:
        await asyncio.gather(*(user(client) for _ in range(users)))
    return times


def _sign_in(base: str, user: str) -> str:
    res = httpx.post(f"{base}/login", data={"username": user, "password": PASSWORD})
    assert res.status_code == 303, res.text
    return res.cookies["tg_session"]


def _first(base: str, cookie: str) -> float:
    t0 = time.perf_counter()
    res = httpx.get(f"{base}/dashboard", cookies={"tg_session": cookie}, timeout=600)
    assert res.status_code == 200, (res.status_code, res.text[-800:])
    return time.perf_counter() - t0


def one_run(db: Path, users: int, seconds: float, export: Path,
            think: float) -> dict[str, float]:
    port = _port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([TIEGUARD, "serve", "--db",
                               str(db), "--port", str(port)], stdout=subprocess.DEVNULL,
                              env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        load_before = _loadavg()
        manager = _sign_in(base, "mgr")
        first = _first(base, manager)
        times = asyncio.run(_load(base, manager, users, seconds, think))
        q = statistics.quantiles(times, n=100)
        emp = _sign_in(base, "emp")
        csrf = _csrf(base, emp)  # reads the employee's page: not part of the upload's time
        t0 = time.perf_counter()
        with export.open("rb") as fh:
            res = httpx.post(f"{base}/api/v1/me/exports", data={"consent": "yes"},
                             files={"export": ("Connections.csv", fh, "text/csv")},
                             cookies={"tg_session": emp}, timeout=60,
                             headers={"X-CSRF-Token": csrf})
        upload = time.perf_counter() - t0
        assert res.status_code == 202, res.text
        return {"requests": len(times), "first_ms": first * 1000, "p50_ms": q[49] * 1000,
                "p95_ms": q[94] * 1000,
                "upload_s": upload, "load": float(load_before), "load_after": float(_loadavg())}
    finally:
        server.terminate()
        try:
            server.wait(timeout=120)
        except subprocess.TimeoutExpired:  # say so, and never leave a server behind
            print("warning: the server did not stop within 120 s of SIGTERM; killed",
                  file=sys.stderr)
            server.kill()
            server.wait()


def _csrf(base: str, cookie: str) -> str:
    page = httpx.get(f"{base}/me", cookies={"tg_session": cookie}, timeout=60).text
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def _print(rows: list[dict[str, float]], title: str) -> None:
    print(title)
    print("| run | requests | first dashboard (ms) | dashboard p50 (ms) | dashboard p95 (ms) "
          "| 5 MB upload accepted (s) | load avg before/after |")
    print("|---|---|---|---|---|---|---|")
    for i, r in enumerate(rows, 1):
        print(f"| {i} | {r['requests']:.0f} | {r['first_ms']:.0f} | {r['p50_ms']:.0f} | "
              f"{r['p95_ms']:.0f} | {r['upload_s']:.2f} | {r['load']:.2f} / {r['load_after']:.2f} |")
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(f"| median | {med['requests']:.0f} | {med['first_ms']:.0f} | {med['p50_ms']:.0f} | "
          f"{med['p95_ms']:.0f} | {med['upload_s']:.2f} | {med['load']:.2f} / "
          f"{med['load_after']:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", type=Path, help="output folder of tieguard demo")
    parser.add_argument("--size", default="small", help="demo size built without --demo")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each user waits between requests")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tg-web-bench-"))
    try:
        demo = args.demo
        if demo is None:
            demo = work / "demo"
            subprocess.run([TIEGUARD, "demo", "--out", str(demo), "--size", args.size],
                           check=True, stdout=subprocess.DEVNULL)
        export = _export(work / "Connections.csv")
        rows = []
        for run in range(args.runs):
            db = _copy_demo(demo, work / f"run{run}")  # distinct copy per run
            _prepare(db)
            rows.append(one_run(db, args.users, args.seconds, export, args.think))
        _print(rows, f"warehouse: {demo}; {args.users} users x {args.seconds:.0f} s, think "
                     f"{args.think:g} s; export {export.stat().st_size / 2**20:.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
