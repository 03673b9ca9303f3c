"""Web app load test: dashboard latency under 20 concurrent users, and upload acceptance.

Usage: .venv/bin/python benchmarks/web.py [--demo DIR | --size small] [--users 20]
       [--seconds 60] [--me-seconds 30] [--runs 3] [--think 0] [--client raw|httpx]

``--demo DIR`` is the output folder of ``tieguard demo`` (its warehouse, settings file and demo
secret are copied together, one fresh copy per run); without it the small demo is built. Each
run starts a cold server process (``tieguard serve``) on 127.0.0.1, signs in a manager, and lets
``--users`` concurrent clients request /dashboard back to back (``--think`` seconds between a
user's requests) for ``--seconds``, each on its own keep-alive connection (``--client raw``:
a minimal HTTP/1.1 client, so that the load generator, which shares the server's cores, uses
a tenth of the CPU httpx does; ``--client httpx`` is the last session's generator); the first request of the run, which builds the dashboard
after the cold start, is reported on its own, and the server's CPU time per dashboard request
(/proc) beside the latencies. Then ``--users`` employees (those with the most connections, one
each) request their own page /me back to back for ``--me-seconds``: each one's first request
(their report built cold, all at once) apart from the later ones; then five of them, one
after the other, load the measured actions of their report (/me/actions, the fragment the page
loads, built cold). Last an employee uploads a 5 MB Connections.csv and the time until the
server answers 202 (import queued as a job) is taken. Prints a Markdown table with p50/p95 per
run, the median over runs, and the load average beside every figure.

Before all that, while the server is cold, an administrator starts a scan (``POST
/api/v1/scans``); once it runs, the manager's dashboard, the ``--users`` employees' own pages
and an API read (``/api/v1/employees``) are asked for at once, all cold: how long each waits
while the scan writes, and whether the scan was still running when the last one answered.
The scan's end invalidates what they built, so the phases above start cold as before.
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
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

PASSWORD = "benchmark password 1"
#: Employees whose measured actions (/me/actions) are worked out one after the other, cold.
ACTION_USERS = 5
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


def _prepare(db: Path, employees: int) -> str:
    """Users in a fresh application database beside ``db``: a manager, an administrator (its
    API token is returned) and ``employees`` employee accounts ``emp0``..., linked to the
    employees with the most connections (the slowest personal reports), distinct for every
    user."""
    from tieguard.web import WebConfig, WebState
    from tieguard.web.accounts import create_token, create_user
    from tieguard.web.auth import Principal

    state = WebState(WebConfig(db=db))
    rows = state.warehouse.engine.fetchall(
        "SELECT employee_id FROM ties GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?", [employees])
    create_user(state, None, username="mgr", password=PASSWORD, role="manager")
    admin = create_user(state, None, username="adm", password=PASSWORD, role="admin")
    token = create_token(state, Principal(admin, "adm", "admin", None, None), "benchmark")
    for i, (employee,) in enumerate(rows):
        create_user(state, None, username=f"emp{i}", password=PASSWORD, role="employee",
                    employee_id=str(employee))
    state.close()
    return token


def _job(base: str, token: str, job: int) -> str:
    res = httpx.get(f"{base}/api/v1/jobs/{job}", headers={"Authorization": f"Bearer {token}"})
    return str(res.json()["status"])


def _finish(base: str, token: str, job: int) -> None:
    while (status := _job(base, token, job)) in ("queued", "running"):
        time.sleep(0.2)
    assert status == "done", f"job {job} ended {status}"


def during_scan(base: str, token: str, manager: str, emps: list[str]) -> dict[str, float]:
    """Cold pages asked for at once while a scan runs: the dashboard, every employee's /me and
    an API read; then wait for the scan to end. Seconds each, the scan's wall time, and
    whether it still ran when the last page answered (1) or had ended (0). Last a job that
    changes nothing (alerts sent, none configured) ends, so that every page is cold again:
    a page built after the scan's end would otherwise be kept."""
    auth = {"Authorization": f"Bearer {token}"}
    t0 = time.perf_counter()
    job = int(httpx.post(f"{base}/api/v1/scans", headers=auth).json()["job"])
    while _job(base, token, job) == "queued":
        time.sleep(0.05)
    time.sleep(1.0)  # inside the first stage's transaction
    asks = [("/dashboard", manager), *(("/me", cookie) for cookie in emps)]
    with ThreadPoolExecutor(len(asks) + 1) as pool:
        api = pool.submit(_timed_get, base, "/api/v1/employees?limit=500", "", auth)
        pages = list(pool.map(lambda a: _timed_get(base, a[0], a[1]), asks))
        api_s = api.result()
    running = _job(base, token, job) == "running"
    _finish(base, token, job)
    scan_s = time.perf_counter() - t0
    _finish(base, token, int(httpx.post(f"{base}/api/v1/alerts/send", headers=auth).json()["job"]))
    me = pages[1:]
    return {"scan_dash_ms": pages[0] * 1000, "scan_me_ms": statistics.median(me) * 1000,
            "scan_me_max_ms": max(me) * 1000, "scan_api_ms": api_s * 1000,
            "scan_running": float(running), "scan_s": scan_s}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


class RawConnection:
    """One user's keep-alive HTTP/1.1 connection, written by hand on asyncio streams: the
    load generator shares the server's two cores, and httpx spends ~3 ms of CPU per 100 kB
    page (more than the server), this ~0.3 ms. Reads Content-Length bodies (all our pages)."""

    def __init__(self, base: str, cookie: str) -> None:
        self.host, port = base.removeprefix("http://").split(":")
        self.port, self.cookie = int(port), cookie
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                     f"Cookie: tg_session={self.cookie}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        length = next(int(line.split(b":", 1)[1]) for line in lines
                      if line.lower().startswith(b"content-length:"))
        return int(lines[0].split(b" ", 2)[1]), await reader.readexactly(length)

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


class HttpxConnection:
    """The same through httpx (``--client httpx``: the last session's load generator)."""

    def __init__(self, client: httpx.AsyncClient, base: str, cookie: str) -> None:
        self.client, self.base, self.cookie = client, base, cookie

    async def get(self, path: str) -> tuple[int, bytes]:
        res = await self.client.get(f"{self.base}{path}", cookies={"tg_session": self.cookie})
        return res.status_code, res.content

    def close(self) -> None:
        pass


async def _load(base: str, path: str, marker: str, cookies: list[str], seconds: float,
                think: float, client: str = "raw") -> tuple[list[float], list[float]]:
    """Each cookie is one user requesting ``path`` back to back for ``seconds``; returns the
    users' first requests and all later ones (seconds each)."""
    first: list[float] = []
    times: list[float] = []
    stop = time.monotonic() + seconds

    async def user(connection: RawConnection | HttpxConnection) -> None:
        n = 0
        try:
            while time.monotonic() < stop or n == 0:
                t0 = time.perf_counter()
                status, body = await connection.get(path)
                (times if n else first).append(time.perf_counter() - t0)
                n += 1
                assert status == 200, (status, body[-800:])
                assert marker.encode() in body, f"{path} does not show {marker}"
                if think:
                    await asyncio.sleep(think)
        finally:
            connection.close()

    async with httpx.AsyncClient(timeout=600,
                                 limits=httpx.Limits(max_connections=len(cookies))) as shared:
        await asyncio.gather(*(user(RawConnection(base, cookie) if client == "raw" else
                                    HttpxConnection(shared, base, cookie)) for cookie in cookies))
    return first, times


def _ms(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000 if len(values) > 1 else (
        values[0] * 1000 if values else float("nan"))


def _sign_in(base: str, user: str) -> str:
    res = httpx.post(f"{base}/login", data={"username": user, "password": PASSWORD})
    assert res.status_code == 303, res.text
    return res.cookies["tg_session"]


def _timed_get(base: str, path: str, cookie: str,
               headers: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    res = httpx.get(f"{base}{path}", cookies={"tg_session": cookie} if cookie else None,
                    headers=headers, timeout=600)
    assert res.status_code == 200, (res.status_code, res.text[-800:])
    return time.perf_counter() - t0


def one_run(db: Path, users: int, seconds: float, export: Path, think: float,
            me_seconds: float, client: str, token: str) -> dict[str, float]:
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
        emps = [_sign_in(base, f"emp{i}") for i in range(users)]
        scan = during_scan(base, token, manager, emps)
        first = _timed_get(base, "/dashboard", manager)
        cpu0, client0 = _cpu_seconds(server.pid), time.process_time()
        _, times = asyncio.run(_load(base, "/dashboard", 'id="headline"', [manager] * users,
                                     seconds, think, client))
        cpu_ms = (_cpu_seconds(server.pid) - cpu0) * 1000 / len(times)
        client_ms = (time.process_time() - client0) * 1000 / len(times)
        me_first, me_times = asyncio.run(_load(base, "/me", 'id="summary"', emps, me_seconds,
                                               think, client))
        actions = [_timed_get(base, "/me/actions", cookie) for cookie in emps[:ACTION_USERS]]
        emp = emps[0]
        csrf = _csrf(base, emp)
        t0 = time.perf_counter()
        with export.open("rb") as fh:
            res = httpx.post(f"{base}/api/v1/me/exports", data={"consent": "yes"},
                             files={"export": ("Connections.csv", fh, "text/csv")},
                             cookies={"tg_session": emp}, timeout=60,
                             headers={"X-CSRF-Token": csrf})
        upload = time.perf_counter() - t0
        assert res.status_code == 202, res.text
        return {"requests": len(times), "first_ms": first * 1000, "p50_ms": _ms(times, 50),
                "p95_ms": _ms(times, 95), "cpu_ms": cpu_ms, "client_ms": client_ms,
                "me_first_ms": statistics.median(me_first) * 1000,
                "me_first_max_ms": max(me_first) * 1000, "me_first_p95_ms": _ms(me_first, 95),
                "me_requests": len(me_times),
                "me_p50_ms": _ms(me_times, 50), "me_p95_ms": _ms(me_times, 95),
                "actions_ms": statistics.median(actions) * 1000,
                "actions_max_ms": max(actions) * 1000,
                "upload_s": upload, "load": float(load_before), "load_after": float(_loadavg()),
                **scan}
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


COLUMNS = (("requests", "dashboard requests", "{:.0f}"),
           ("first_ms", "first dashboard (ms)", "{:.0f}"),
           ("p50_ms", "dashboard p50 (ms)", "{:.0f}"), ("p95_ms", "dashboard p95 (ms)", "{:.0f}"),
           ("cpu_ms", "server CPU per dashboard (ms)", "{:.1f}"),
           ("client_ms", "load generator CPU per dashboard (ms)", "{:.1f}"),
           ("me_first_ms", "first /me per employee, median (ms)", "{:.0f}"),
           ("me_first_p95_ms", "first /me, p95 (ms)", "{:.0f}"),
           ("me_first_max_ms", "first /me, slowest (ms)", "{:.0f}"),
           ("me_requests", "/me requests", "{:.0f}"),
           ("me_p50_ms", "/me p50 (ms)", "{:.0f}"), ("me_p95_ms", "/me p95 (ms)", "{:.0f}"),
           ("actions_ms", "first /me/actions, median (ms)", "{:.0f}"),
           ("actions_max_ms", "first /me/actions, slowest (ms)", "{:.0f}"),
           ("upload_s", "5 MB upload accepted (s)", "{:.2f}"),
           ("scan_dash_ms", "cold dashboard during a scan (ms)", "{:.0f}"),
           ("scan_me_ms", "cold /me during a scan, median (ms)", "{:.0f}"),
           ("scan_me_max_ms", "cold /me during a scan, slowest (ms)", "{:.0f}"),
           ("scan_api_ms", "/api/v1/employees during a scan (ms)", "{:.0f}"),
           ("scan_running", "scan still running at the last answer", "{:.0f}"),
           ("scan_s", "scan wall (s)", "{:.1f}"))


def _print(rows: list[dict[str, float]], title: str) -> None:
    print(title)
    print("| run | " + " | ".join(label for _, label, _ in COLUMNS) + " | load avg before/after |")
    print("|---" * (len(COLUMNS) + 2) + "|")
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    for name, r in [*((str(i), r) for i, r in enumerate(rows, 1)), ("median", med)]:
        cells = " | ".join(fmt.format(r[key]) for key, _, fmt in COLUMNS)
        print(f"| {name} | {cells} | {r['load']:.2f} / {r['load_after']:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo", type=Path, help="output folder of tieguard demo")
    parser.add_argument("--size", default="small", help="demo size built without --demo")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each user waits between requests")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--client", choices=("raw", "httpx"), default="raw",
                        help="load generator: raw keep-alive connections (default) or httpx")
    parser.add_argument("--me-seconds", type=float, default=30,
                        help="seconds the users (one employee each) request /me")
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
            token = _prepare(db, args.users)
            rows.append(one_run(db, args.users, args.seconds, export, args.think,
                                args.me_seconds, args.client, token))
        _print(rows, f"warehouse: {demo}; {args.users} users x {args.seconds:.0f} s, think "
                     f"{args.think:g} s, client {args.client}; export "
                     f"{export.stat().st_size / 2**20:.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
