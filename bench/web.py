"""Web speed benchmark: the search page over HTTP, beside the same searches in process.

Builds an archive of 10,000 posts (``bench/core.py``'s generator: BBC News and
Reuters-21578), serves it from a **second process** (uvicorn through
``gazette.web.server.server_config``, on 127.0.0.1, a free port, log level ``warning``), and
loads it from this process with ``httpx``:

1. **Latency**, one request at a time over a keep-alive connection: ``/search?q=...`` (the
   HTML page) and ``/api/search?q=...`` (JSON) for ``bench/core.py``'s 40 corpus queries,
   interleaved query by query with the same searches run in this process on the same data
   folder (``archive.search(q, facets=False)``, which is what the page calls, and
   ``archive.search(q)``, what the API calls), so that page p50 ÷ in-process p50 shows what
   HTTP, routing and rendering add. A 404 from ``/api/nothing`` gives the floor: HTTP and
   routing with no work behind them.
2. **Throughput**: several client threads, each with its own keep-alive connection, cycle
   through the queries for a fixed time; requests/s, latency under load, and the CPU time
   the server process and this (client) process used.

Beside that server, for comparison: the same app with its sidebar monkeypatched to an empty
one (in that process only: what the sidebar costs a page), and ``gazette serve`` itself, with
its defaults and with ``--access-log`` when it has that option.

Every response's status is checked (200, the floor's 404), and ``/api/search``'s totals are
checked against the in-process search. Usage, from the repository root::

    python bench/web.py            # full run (about 2-2.5 minutes on 2 cores)
    python bench/web.py --quick    # smoke run: 2,000 posts, few rounds
    python bench/web.py --write    # also write bench/results/web.md
    python bench/web.py --profile  # also profile the server (cProfile), an extra round

The corpora are read from ``../shared`` at run time; nothing from there is copied.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

import core
import machine
from gazette.archive import Archive
from gazette.web.render import Sidebar

RESULTS = Path(__file__).resolve().parent / "results" / "web.md"
QUERIES = [query.gazette for query in core.CORPUS_QUERIES]
FLOOR = "/api/nothing"  # a JSON 404: HTTP + routing + the error handler, no archive work

TARGET_P50_MS = 10.0
TARGET_RPS = 200.0
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Settings:
    mode: str
    posts: int
    rounds: int  # latency rounds over all queries
    warmup: int
    load_rounds: int  # throughput rounds per endpoint, endpoints alternating
    load_seconds: float
    clients: int


FULL = Settings("full", 10_000, rounds=30, warmup=2, load_rounds=3, load_seconds=6.0, clients=8)
QUICK = Settings("quick", 2_000, rounds=3, warmup=1, load_rounds=1, load_seconds=1.5, clients=8)

say = core.say


# --- the server (the second process) -------------------------------------------------------


def free_port() -> int:
    """A port of 127.0.0.1 that nobody listens on (bound, noted and let go)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_child(data: Path, port: int, profile: Path | None, sidebar: bool) -> None:
    """Run in the server process: serve ``data`` on 127.0.0.1:``port`` until SIGTERM.

    uvicorn binds the port itself, as ``gazette serve`` does. (Handing it a socket made with
    ``socket.socket()`` instead would leave TCP_NODELAY off on its connections, since asyncio
    sets it only on sockets whose ``proto`` is IPPROTO_TCP, and every response would then wait
    about 40 ms for the client's delayed ACK.)
    """
    import uvicorn

    from gazette.web.server import server_config

    archive = Archive.open(data)
    config = server_config(archive, "127.0.0.1", port, "warning")
    if not sidebar:
        # Every page with an empty sidebar (no labels, no monthly archive), patched in this
        # process only: the difference to the real server is what rendering the sidebar costs.
        config.app.state.sidebar.current = lambda: Sidebar([], [])
    server = uvicorn.Server(config)
    if profile:
        profiler = cProfile.Profile()

        # Profile only while the parent asks for it (SIGUSR1 on, SIGUSR2 off and dump).
        def start(*_: object) -> None:
            profiler.enable()

        def stop(*_: object) -> None:
            profiler.disable()
            profiler.dump_stats(profile)

        signal.signal(signal.SIGUSR1, start)
        signal.signal(signal.SIGUSR2, stop)
    server.run()
    archive.close()


class Server:
    """A server process on 127.0.0.1, ready when this returns."""

    def __init__(self, command: list[str], port: int, log: Path | None = None) -> None:
        """``log``: a file for the server's stderr (else this process's stderr)."""
        errors = open(log, "w") if log else None  # noqa: SIM115 - the child writes to it
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        if errors:
            errors.close()
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.base + FLOOR, timeout=5).status_code == 404:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    said = log.read_text()[-2000:] if log else ""
                    sys.exit(f"bench/web.py: {' '.join(command)} did not answer\n{said}")
                time.sleep(0.05)

    @classmethod
    def bench(cls, data: Path, profile: Path | None = None, sidebar: bool = True) -> Server:
        """This script as the server: uvicorn through ``server_config``, log level warning;
        without ``sidebar``, every page gets an empty sidebar."""
        port = free_port()
        command = [sys.executable, __file__, "--serve", str(data), "--port", str(port)]
        if profile:
            command += ["--server-profile", str(profile)]
        if not sidebar:
            command += ["--no-sidebar"]
        return cls(command, port)

    @classmethod
    def cli(cls, data: Path, log: Path, *options: str) -> Server:
        """``gazette serve [options]`` as shipped, with the command's own defaults; what it
        prints on stdout (an access log, if on) goes to /dev/null, the rest to ``log``."""
        port = free_port()
        command = [sys.executable, "-m", "gazette", "--data", str(data), "serve", *options]
        return cls([*command, "--port", str(port)], port, log)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process (all its threads), from /proc."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def signal(self, number: int) -> None:
        self.process.send_signal(number)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # uvicorn shuts down gracefully on SIGTERM
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- the measurements ----------------------------------------------------------------------


def page_path(query: str) -> str:
    return "/search?" + urlencode({"q": query})


def api_path(query: str) -> str:
    return "/api/search?" + urlencode({"q": query})


SIDES = ("page", "page-bare", "api", "inproc-page", "inproc-api", "floor")
EXPECTED = {side: 200 for side in ("page", "page-bare", "api", "page-cli", "page-cli-log")}
EXPECTED["floor"] = 404


@dataclass
class Load:
    """One throughput run against one endpoint."""

    requests: int
    seconds: float
    latencies: list[float]
    statuses: Counter
    server_cpu: float
    client_cpu: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


@dataclass
class Outcome:
    settings: Settings
    posts: int = 0
    build_seconds: float = 0.0
    latency: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in SIDES})
    statuses: dict[str, Counter] = field(default_factory=lambda: {s: Counter() for s in SIDES})
    loads: dict[str, list[Load]] = field(default_factory=lambda: {s: [] for s in LOADS})
    agreement: tuple[int, int] = (0, 0)  # same totals, of
    page_bytes: int = 0
    bare_page_bytes: int = 0
    sidebar_months: int = 0
    seconds: float = 0.0
    load_average: tuple[float, float] = (0.0, 0.0)
    profile: str = ""


def check_answers(
    client: httpx.Client, bare_client: httpx.Client, archive: Archive, outcome: Outcome
) -> None:
    """The server and the in-process archive must be the same data: compare totals."""
    same = 0
    for query in QUERIES:
        answer = client.get(api_path(query))
        if answer.status_code != 200:
            sys.exit(f"bench/web.py: /api/search?q={query!r} answered {answer.status_code}")
        same += answer.json()["total"] == archive.search(query).total
    outcome.agreement = (same, len(QUERIES))
    outcome.page_bytes = len(client.get(page_path(QUERIES[0])).content)
    outcome.bare_page_bytes = len(bare_client.get(page_path(QUERIES[0])).content)
    outcome.sidebar_months = len(archive.month_counts())


def bench_latency(
    client: httpx.Client,
    bare_client: httpx.Client,
    archive: Archive,
    settings: Settings,
    rng: random.Random,
    out: Outcome,
) -> None:
    """Every query on every side, one request at a time; the order of sides rotates."""
    say(f"latency: {len(QUERIES)} queries x {settings.rounds} rounds, one request at a time")

    def http(side: str, path: str, via: httpx.Client = client) -> None:
        response = via.get(path)
        out.statuses[side][response.status_code] += 1

    calls = {
        "page": lambda q: http("page", page_path(q)),
        "api": lambda q: http("api", api_path(q)),
        "inproc-page": lambda q: archive.search(q, facets=False),
        "inproc-api": lambda q: archive.search(q),
        "floor": lambda q: http("floor", FLOOR),
        "page-bare": lambda q: http("page-bare", page_path(q), bare_client),
    }
    for _ in range(settings.warmup):
        for query in QUERIES:
            for side in SIDES:
                calls[side](query)
    for statuses in out.statuses.values():
        statuses.clear()
    gc.collect()
    for round_ in range(settings.rounds):
        core.timed_round(
            calls, SIDES, QUERIES, round_, rng, lambda side, _, t: out.latency[side].append(t)
        )


def hammer(server: Server, paths: list[str], settings: Settings) -> Load:
    """``settings.clients`` threads, each on its own keep-alive connection, for a fixed time."""
    ready = threading.Barrier(settings.clients + 1)
    latencies: list[list[float]] = [[] for _ in range(settings.clients)]
    statuses: list[Counter] = [Counter() for _ in range(settings.clients)]
    finished: list[float] = [0.0] * settings.clients

    def client(number: int) -> None:
        with httpx.Client(base_url=server.base, timeout=60) as http:
            http.get(paths[number % len(paths)])  # open the connection before the clock starts
            ready.wait()
            deadline = time.perf_counter() + settings.load_seconds
            position = number * len(paths) // settings.clients
            mine, seen = latencies[number], statuses[number]
            while (started := time.perf_counter()) < deadline:
                response = http.get(paths[position % len(paths)])
                mine.append(time.perf_counter() - started)
                seen[response.status_code] += 1
                position += 1
        finished[number] = time.perf_counter()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(settings.clients)]
    for thread in threads:
        thread.start()
    gc.collect()
    ready.wait()
    started, cpu, server_cpu = time.perf_counter(), time.process_time(), server.cpu_seconds()
    for thread in threads:
        thread.join()
    seconds = max(finished) - started
    return Load(
        requests=sum(len(mine) for mine in latencies),
        seconds=seconds,
        latencies=[value for mine in latencies for value in mine],
        statuses=sum(statuses, Counter()),
        server_cpu=server.cpu_seconds() - server_cpu,
        client_cpu=time.process_time() - cpu,
    )


LOADS = {
    "page": "GET /search?q=",
    "api": "GET /api/search?q=",
    "page-bare": "GET /search?q=, server patched to an empty sidebar",
    "page-cli": "GET /search?q=, `gazette serve` (its defaults)",
    "page-cli-log": "GET /search?q=, `gazette serve --access-log`",
}


def serve_has_access_log_option() -> bool:
    """Whether this Gazette's ``gazette serve`` has ``--access-log`` (older ones always log)."""
    done = subprocess.run(
        [sys.executable, "-m", "gazette", "serve", "--help"], capture_output=True, text=True
    )
    return "--access-log" in done.stdout


def bench_load(servers: dict[str, Server], settings: Settings, out: Outcome, profile: bool) -> None:
    """Throughput rounds; the order of the sides rotates from round to round."""
    say(
        f"throughput: {settings.clients} clients, {settings.load_rounds} rounds x "
        f"{settings.load_seconds:g} s for each side"
    )
    pages = [page_path(q) for q in QUERIES]
    runs = {
        "page": (servers["bench"], pages),
        "api": (servers["bench"], [api_path(q) for q in QUERIES]),
        "page-bare": (servers["bare"], pages),
        "page-cli": (servers["cli"], pages),
        "page-cli-log": (servers.get("cli-log"), pages),
    }
    sides = [side for side in LOADS if runs[side][0] is not None]
    for round_ in range(settings.load_rounds):
        shift = round_ % len(sides)
        for side in sides[shift:] + sides[:shift]:
            server, paths = runs[side]
            load = hammer(server, paths, settings)
            out.loads[side].append(load)
            say(f"  round {round_ + 1} {side}: {load.rate:,.0f} requests/s")
    if profile:
        # One more page round, profiled in the server and not counted: cProfile slows it.
        say("  one more page round with the server under cProfile (not counted)")
        servers["bench"].signal(signal.SIGUSR1)
        hammer(servers["bench"], pages, settings)
        servers["bench"].signal(signal.SIGUSR2)
        time.sleep(0.5)  # let the server write the profile


def build_archive(folder: Path, settings: Settings, out: Outcome) -> None:
    say(f"building {settings.posts:,} posts from BBC and Reuters-21578, and their archive")
    started = time.perf_counter()
    specs = core.generate_posts(settings.posts, random.Random(core.SEED_RANDOM))
    with Archive.open(folder, create=True) as archive:
        summary = archive.import_posts(
            (spec.post() for spec in specs), source="bench", format_name="bench"
        )
    assert summary.added == len(specs) and summary.ok, summary
    out.posts = len(specs)
    out.build_seconds = time.perf_counter() - started


# --- the report ----------------------------------------------------------------------------

ms = core.ms
p = core.percentile


def cpu_per_request(out: Outcome, side: str) -> float:
    """The server's CPU milliseconds per request over all throughput rounds of ``side``."""
    loads = out.loads[side]
    return sum(load.server_cpu for load in loads) / sum(load.requests for load in loads) * 1000


def rates(out: Outcome, side: str) -> list[float]:
    return [load.rate for load in out.loads[side]]


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def report(out: Outcome, command: str) -> str:
    s = out.settings
    lat = out.latency
    lines: list[str] = []
    add = lines.append
    add("# Web benchmark: the search page over HTTP, beside the same search in process")
    add("")
    add(
        f"`{command}` — {s.mode} mode, Gazette at {core.gazette_commit()}, "
        f"run time {out.seconds:.0f} s (of which {out.build_seconds:.0f} s building the archive), "
        f"load average {out.load_average[0]:.1f} at the start and {out.load_average[1]:.1f} at "
        f"the end ({machine.cores()} cores; other processes' load makes every figure noisier)."
    )
    if s.mode != "full":
        add("")
        add("**Quick (smoke) run: too few rounds to compare with other runs.**")
    add("")
    add(
        f"An archive of {out.posts:,} posts (`bench/core.py`'s generator: BBC News and "
        "Reuters-21578, 1-3 articles a post) served by uvicorn in a second process "
        "(`gazette.web.server.server_config`, 127.0.0.1, log level `warning`, one worker: one "
        "event loop, as `gazette serve` runs it), and loaded from this process with `httpx` "
        f"over keep-alive connections. Queries: `bench/core.py`'s {len(QUERIES)} corpus queries "
        "(plain words, phrases, `-word`, `OR`, `label:`, `after:`)."
    )

    # targets
    page50 = p(lat["page"], 50) * 1000
    rate = statistics.median([load.rate for load in out.loads["page"]])
    capacity = 1000 / cpu_per_request(out, "page")
    page_loads = out.loads["page"]
    share = sum(x.server_cpu for x in page_loads) / sum(x.seconds for x in page_loads)
    add("")
    add("## Targets")
    add("")
    add(
        core.table(
            ["target", "measured", "verdict"],
            [
                [
                    f"search page p50 <= {TARGET_P50_MS:g} ms",
                    f"{page50:.2f} ms",
                    verdict(page50 <= TARGET_P50_MS),
                ],
                [
                    f"search page >= {TARGET_RPS:g} requests/s ({s.clients} clients)",
                    f"{rate:,.0f} requests/s",
                    verdict(rate >= TARGET_RPS),
                ],
                [
                    "  the same, from the server's CPU time: 1,000 ÷ CPU ms per request",
                    f"{capacity:,.0f} requests/s",
                    verdict(capacity >= TARGET_RPS),
                ],
            ],
        )
    )
    add("")
    add(
        "The second row is what the clients got; the third is what one server process can do "
        "with one core to itself, from the CPU time it spent per page under load (the "
        "steadier figure when other processes take CPU from it). "
        + (
            f"**In this run the server process had only {share:.0%} of a core during the page "
            "rounds (the machine was busy): the second row understates it; re-run on a "
            "quieter machine before comparing.**"
            if share < 0.9
            else f"In this run the server process had {share:.0%} of a core during the page "
            "rounds, so the two agree."
        )
    )

    # latency
    add("")
    add("## Latency, one request at a time")
    add("")
    add(
        f"{s.rounds} rounds after {s.warmup} warm-up round(s); in each round the queries are "
        f"shuffled and the {len(SIDES)} sides take turns on each query, so every HTTP figure "
        "has an in-process figure measured beside it. p50 and p99 are over all (query, round) "
        f"samples ({s.rounds * len(QUERIES):,} a side). HTTP times are as the client sees "
        "them: they include `httpx` building the request and reading the response in this "
        "process."
    )
    add("")
    labels = {
        "page": "GET /search?q= (HTML page)",
        "page-bare": "  the same, server patched to an empty sidebar",
        "inproc-page": "  in process: archive.search(q, facets=False), what the page calls",
        "api": "GET /api/search?q= (JSON, with facets)",
        "inproc-api": "  in process: archive.search(q), what the API calls",
        "floor": f"GET {FLOOR} (JSON 404): HTTP + routing, no search",
    }
    base = {"page": "inproc-page", "page-bare": "inproc-page", "api": "inproc-api"}
    rows = []
    for side in labels:
        p50, p99 = p(lat[side], 50), p(lat[side], 99)
        if side in base:
            b50, b99 = p(lat[base[side]], 50), p(lat[base[side]], 99)
            extra = [f"{p50 / b50:.2f}×", f"{p99 / b99:.2f}×", ms(p50 - b50)]
        else:
            extra = ["", "", ""]
        rows.append([labels[side], ms(p50), ms(p99), *extra])
    header = ["side", "p50 ms", "p99 ms", "p50 ÷ search", "p99 ÷ search", "p50 added ms"]
    add(core.table(header, rows))
    add("")
    sidebar = p(lat["page"], 50) - p(lat["page-bare"], 50)
    saved = cpu_per_request(out, "page") - cpu_per_request(out, "page-bare")
    add(
        "`÷ search`: the side's percentile ÷ that of the in-process `archive.search` call the "
        "endpoint makes, measured interleaved; `added ms` = the difference of the p50s: what "
        "the web layer adds to the search itself: the client (`httpx`, in this process), the "
        "socket, uvicorn and h11, Starlette's routing, query-string parsing, and rendering "
        "the page (or encoding the JSON). The second row is a third server process, the same "
        "app with its sidebar (the labels and the monthly archive: "
        f"{out.sidebar_months} months here) replaced by an empty one, monkeypatched in that "
        f"process only. The page's p50 minus its p50: {sidebar * 1000:+.2f} ms; under load "
        f"(below), the page's server CPU per request minus its: {saved:+.2f} ms (the steadier "
        "figure). That difference is what the sidebar costs every page: rendering it (unless "
        "its HTML is cached) and sending its bytes."
    )

    # throughput
    add("")
    add(f"## Throughput, {s.clients} concurrent clients")
    add("")
    add(
        f"{s.clients} client threads in this process, each with its own keep-alive connection, "
        f"cycling through the queries (each thread from a different one) for "
        f"{s.load_seconds:g} s; {s.load_rounds} round(s) per side, the sides taking turns in "
        "a rotating order. requests/s is the median over rounds; `÷ page` is the median over "
        "rounds of the side's requests/s ÷ the page's in the same round (above 1: more "
        "requests/s than the page); latency under load is over all requests of all rounds; "
        "CPU time is from `/proc` (server) and `time.process_time` (client), per request and "
        "as a share of one core over the run."
    )
    add("")
    rows = []
    for side, label in LOADS.items():
        loads = out.loads[side]
        if not loads:
            continue
        latencies = [value for load in loads for value in load.latencies]
        requests = sum(load.requests for load in loads)
        seconds = sum(load.seconds for load in loads)
        server_cpu = sum(load.server_cpu for load in loads)
        client_cpu = sum(load.client_cpu for load in loads)
        rows.append(
            [
                label,
                f"{statistics.median([load.rate for load in loads]):,.0f}",
                " / ".join(f"{load.rate:,.0f}" for load in loads),
                "1.00×"
                if side == "page"
                else f"{core.paired_ratio(rates(out, side), rates(out, 'page')):.2f}×",
                ms(p(latencies, 50)),
                ms(p(latencies, 99)),
                f"{server_cpu / requests * 1000:.2f}",
                f"{server_cpu / seconds:.0%}",
                f"{client_cpu / requests * 1000:.2f}",
                f"{client_cpu / seconds:.0%}",
            ]
        )
    for side, label in (
        ("inproc-page", "in process, one core: archive.search(q, facets=False)"),
        ("inproc-api", "in process, one core: archive.search(q)"),
    ):
        mean = statistics.fmean(lat[side])
        rows.append([label, f"{1 / mean:,.0f}", "", "", "", "", ms(mean), "", "", ""])
    header = [
        "endpoint",
        "requests/s",
        "each round",
        "÷ page",
        "p50 ms",
        "p99 ms",
        "server CPU ms/req",
        "server CPU",
        "client CPU ms/req",
        "client CPU",
    ]
    add(core.table(header, rows))
    add("")
    add(
        "One uvicorn worker serves the app on one event loop, and the handlers call the archive "
        "directly (see `gazette.web.app.create_app`), so a server process uses at most about "
        "one core, and when it is at about 100% it is the bottleneck: requests/s ≈ 1,000 ÷ "
        "server CPU ms per request. The load generator is Python too and shares this 2-core "
        "machine (its share is the client CPU column), so the server has the other core to "
        "itself only while the client is idle. The in-process rows are the ceiling if HTTP "
        "and rendering cost nothing: 1 ÷ the mean time of the same calls in the latency "
        "section, one after another on one core (their ms column is that mean, wall time)."
    )
    add("")
    add(
        "The `gazette serve` rows run the command itself (`python -m gazette serve`) with its "
        "own defaults, and with `--access-log` where this Gazette has that option (a log line "
        "per request, on stdout: /dev/null here, so no terminal slows it); the benchmark's "
        'own server is the same app through `server_config(..., log_level="warning")` with '
        "`server_config`'s defaults otherwise."
    )

    # checks
    add("")
    add("## Checks")
    add("")
    counts = []
    for side in ("page", "page-bare", "api", "page-cli", "page-cli-log", "floor"):
        got = out.statuses.get(side, Counter()) + sum(
            (load.statuses for load in out.loads.get(side, [])), Counter()
        )
        wrong = sum(n for status, n in got.items() if status != EXPECTED[side])
        counts.append(f"{side}: {sum(got.values()):,} responses, {wrong} not {EXPECTED[side]}")
    same, total = out.agreement
    add(
        f"- Status codes: {'; '.join(counts)}.\n"
        f"- Same data on both sides: `/api/search` and the in-process `archive.search` found "
        f"the same number of posts for {same} of {total} queries.\n"
        f"- The first query's page is {out.page_bytes / 1024:.0f} KB of HTML, "
        f"{out.bare_page_bytes / 1024:.0f} KB with the empty sidebar."
    )
    if out.profile:
        add("")
        add("## Server profile (an extra page round under cProfile, not counted above)")
        add("")
        add("```")
        add(out.profile.rstrip())
        add("```")
    add("")
    add("## Machine")
    add("")
    add(machine.describe())
    return "\n".join(lines) + "\n"


def profile_text(path: Path, top: int = 25) -> str:
    """The top functions of a profile by own time, and by cumulative time, as text."""
    buffer = io.StringIO()
    stats = pstats.Stats(str(path), stream=buffer)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    lines = [line for line in buffer.getvalue().splitlines() if line.strip()]
    return "\n".join(line for line in lines if not line.startswith(("   List reduced", str(path))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"also write {RESULTS.name}")
    parser.add_argument("--quick", action="store_true", help="smoke run: 2,000 posts, few rounds")
    parser.add_argument(
        "--profile", action="store_true", help="profile the server in an extra page round"
    )
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-sidebar", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--server-profile", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve_child(args.serve, args.port, args.server_profile, not args.no_sidebar)
        return 0
    core.require_shared("bench/web.py", core.BBC, core.REUTERS)
    settings = QUICK if args.quick else FULL
    started = time.perf_counter()
    load_before = core.load_average()
    out = Outcome(settings)
    with tempfile.TemporaryDirectory(prefix="gazette-bench-web-") as tmp:
        data = Path(tmp) / "data"
        build_archive(data, settings, out)
        profile = Path(tmp) / "server.prof" if args.profile else None
        say("starting the server processes")
        servers: dict[str, Server] = {}
        try:
            servers["bench"] = Server.bench(data, profile=profile)
            servers["bare"] = Server.bench(data, sidebar=False)
            servers["cli"] = Server.cli(data, Path(tmp) / "serve.log")
            if serve_has_access_log_option():
                servers["cli-log"] = Server.cli(data, Path(tmp) / "serve-log.log", "--access-log")
            rng = random.Random(core.SEED_RANDOM)
            with (
                Archive.open(data) as archive,
                httpx.Client(base_url=servers["bench"].base) as client,
                httpx.Client(base_url=servers["bare"].base) as bare_client,
            ):
                check_answers(client, bare_client, archive, out)
                bench_latency(client, bare_client, archive, settings, rng, out)
            bench_load(servers, settings, out, args.profile)
        finally:
            for server in servers.values():
                server.stop()
        if profile and profile.exists():
            out.profile = profile_text(profile)
    out.seconds = time.perf_counter() - started
    out.load_average = (load_before, core.load_average())
    core.publish(report(out, core.command_line("web.py", args)), RESULTS, args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
