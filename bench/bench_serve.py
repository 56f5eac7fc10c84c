"""Load benchmark of the web server: 50 anonymous users reading the site, against `silkbridge serve --workers N`.

usage: python bench/bench_serve.py --data-dir DIR [--database-url URL] [--workers 4] [--threads 4] [--users 50]
       [--seconds 30] [--max-requests 30000] [--no-page-cache] [--port 8790]

The data dir (and database) must hold the demo (`silkbridge demo --no-serve`). The server listens on
127.0.0.1 only. Each user sends one request at a time over a kept-alive connection, round the read mix
below, with no pause: requests/s is the server's throughput at 50 concurrent users, p95 the latency they see.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SEARCHES = ["medicinska", "медицинска", "医疗", "wine", "logistics", "software", "Beograd", "agri", "solar", "tourism"]


def build_mix(base: str, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, path) requests in a shuffled, fixed order: every kind of the read mix, about equally often."""
    with urllib.request.urlopen(f"{base}/api/v1/organisations?limit=200", timeout=60) as response:
        orgs = [o["id"] for o in json.load(response)["items"]]
    with urllib.request.urlopen(f"{base}/api/v1/forums", timeout=60) as response:
        forums = [f["slug"] for f in json.load(response)]
    if not orgs or not forums:
        raise SystemExit("the database holds no demo data: run `silkbridge demo --no-serve` with this data dir first")
    mix = []
    for _ in range(40):
        mix += [("directory", "/"), ("search", f"/?q={urllib.request.quote(rng.choice(SEARCHES))}"),
                ("organisation", f"/organisations/{rng.choice(orgs)}/"),
                ("api list", f"/api/v1/organisations?limit=20&offset={rng.randrange(0, len(orgs), 20)}"),
                ("forums", "/forums/"), ("outcomes", "/outcomes/"),
                ("forum report", f"/outcomes/reports/forum/{rng.choice(forums)}/")]
    rng.shuffle(mix)
    return mix


async def _request(reader, writer, path: str) -> tuple[int, bool]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: en\r\n\r\n".encode())
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length, chunked, hit = 0, False, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name.lower() == "x-page-cache":
            hit = True
    if chunked:
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status, hit


async def run_load(port: int, mix: list[tuple[str, str]], users: int, seconds: float, max_requests: int):
    results: list[tuple[str, float, int, bool]] = []
    deadline = time.perf_counter() + seconds
    counter = iter(range(max_requests))

    async def user(number: int):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        position = number  # users take turns through the shuffled mix
        while time.perf_counter() < deadline and next(counter, None) is not None:
            kind, path = mix[position % len(mix)]
            position += users
            start = time.perf_counter()
            try:
                status, hit = await _request(reader, writer, path)
            except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                status, hit = 0, False  # the server closed the connection: count it as failed and reconnect
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            results.append((kind, time.perf_counter() - start, status, hit))
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(user(i) for i in range(users)))
    return results, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def start_server(args, env) -> subprocess.Popen:
    if not _free(args.port):
        raise SystemExit(f"port {args.port} is in use")
    command = [sys.executable, "-m", "silkbridge", "serve", "--host", "127.0.0.1", "--port", str(args.port),
               "--workers", str(args.workers), "--threads", str(args.threads)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
        if not _free(args.port):
            return server
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start listening within 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--max-requests", type=int, default=30_000)
    parser.add_argument("--no-page-cache", action="store_true", help="SILKBRIDGE_PAGE_CACHE_SECONDS=0")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--reference", action=argparse.BooleanOptionalAction, default=True,
                        help="time the fixed reference workload (default on)")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if not k.startswith("SILKBRIDGE_")}
    env["SILKBRIDGE_DATA_DIR"] = str(Path(args.data_dir).resolve())
    if args.database_url:
        env["SILKBRIDGE_DATABASE_URL"] = args.database_url
    if args.no_page_cache:
        env["SILKBRIDGE_PAGE_CACHE_SECONDS"] = "0"
    for name in ("SILKBRIDGE_CACHE_URL", "SILKBRIDGE_BROKER_URL"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} at start; python {platform.python_version()}")
    if args.reference:
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_scheduling import reference_speed

        print(reference_speed())
    server = start_server(args, env)
    try:
        base = f"http://127.0.0.1:{args.port}"
        mix = build_mix(base, random.Random(16))
        # Warm-up: every distinct request once per worker, so that each process's cache has had the chance to
        # fill (a shared Redis cache fills in the first pass) and each process has imported what it needs.
        distinct = sorted(set(mix))
        asyncio.run(run_load(args.port, distinct * args.workers, min(args.users, 8), 300, len(distinct) * args.workers))
        load_before = os.getloadavg()[0]
        results, elapsed = asyncio.run(run_load(args.port, mix, args.users, args.seconds, args.max_requests))
        load_after = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)
    ok = [r for r in results if r[2] == 200]
    cache = "off" if args.no_page_cache else ("Redis" if env.get("SILKBRIDGE_CACHE_URL") else "per-process memory")
    print(f"\n{database}, {args.workers} workers x {args.threads} threads, page cache {cache}, {args.users} users, "
          f"{len(results):,} requests in {elapsed:.1f} s; load average {load_before:.2f} before, {load_after:.2f} after")
    print("\nrequests | req/s | p50 ms | p95 ms | p99 ms | errors | from the page cache")
    print("---|---|---|---|---|---|---")
    latencies = [r[1] * 1000 for r in results]
    print(f"{len(results):,} | {len(results) / elapsed:.1f} | {percentile(latencies, .5):.0f} | "
          f"{percentile(latencies, .95):.0f} | {percentile(latencies, .99):.0f} | {len(results) - len(ok)} | "
          f"{sum(r[3] for r in results) / max(len(results), 1):.0%}")
    print("\npage | requests | p50 ms | p95 ms | errors")
    print("---|---|---|---|---")
    for kind in sorted({r[0] for r in results}):
        rows = [r for r in results if r[0] == kind]
        values = [r[1] * 1000 for r in rows]
        print(f"{kind} | {len(rows):,} | {percentile(values, .5):.0f} | {percentile(values, .95):.0f} | "
              f"{sum(1 for r in rows if r[2] != 200)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
