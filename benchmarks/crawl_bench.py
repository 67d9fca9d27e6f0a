"""Crawl benchmark: a bare Scrapy spider vs the full titlecrawl pipeline on a synthetic wiki, then a recrawl.

    .venv/bin/python benchmarks/crawl_bench.py --pages 10000      # about 3-5 minutes on 2 quiet cores

Starts ``benchmarks/synthserver.py`` (the synthetic wiki of ``benchmarks/synthwiki.py``, on
127.0.0.1, in its own process, every title page rendered into memory before the first crawl so the
server is a static one: ``--render-on-request`` renders each when asked, about 1.5 ms of the same two
cores per page) and runs, each in a fresh process:

(a) ``benchmarks/bare_spider.py``: Scrapy fetching every page and counting it;
(b) ``titlecrawl crawl URL -o OUT --warc OUT/warc --profile generic``: extraction, normalisation,
    state store, records journal, Parquet dataset, WARC capture;
(c) the same command again on the unchanged site with ``--recheck-after 0``: every known page
    re-checked with a conditional request (304s);
(d) the same command again as a nightly cron run would: the incremental recrawl, where the pages the
    sitemap's ``<lastmod>`` shows unchanged since their last fetch get no request at all.

For each: pages per second (URLs handled / the crawl's own duration, start-up excluded; the wall time
with start-up is shown too), CPU seconds per page of the process and its children (extraction
workers included), and peak memory (the largest sum of RSS over the process tree, sampled every
0.1 s). Then the ratios and a block to paste into docs/performance.md, with the machine and its load.
Nothing but 127.0.0.1 is contacted; each phase has a time limit (``--timeout``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
PY = sys.executable
_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


# -- machine -------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "ram": ram, "python": platform.python_version()}


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# -- measuring a process tree ----------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _stat(pid: int) -> tuple[float, int] | None:
    """CPU seconds (user + system) and RSS bytes of one process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    cpu = (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
    return cpu, int(fields[21]) * _PAGE


@dataclass
class Measured:
    wall: float = 0.0
    cpu: float = 0.0
    peak_rss: int = 0
    returncode: int = 0
    output: str = ""
    per_pid_cpu: dict[int, float] = field(default_factory=dict)
    main_cpu: float = 0.0
    """CPU seconds of the command's own process (the rest: its children, the extraction workers)."""


def run_measured(cmd: list[str], timeout: float) -> Measured:
    """Run a command; sample its process tree's RSS and CPU every 0.1 s; reap it with its rusage."""
    m = Measured()
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    chunks: list[str] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read() if proc.stdout else ""), daemon=True)
    reader.start()
    killed = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        rss = 0
        for child in _tree(proc.pid):
            st = _stat(child)
            if st is not None:
                m.per_pid_cpu[child] = max(m.per_pid_cpu.get(child, 0.0), st[0])
                rss += st[1]
        m.peak_rss = max(m.peak_rss, rss)
        if not killed and time.monotonic() - started > timeout:
            proc.kill()
            killed = True
        time.sleep(0.1)
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join(timeout=60)
    m.wall = time.monotonic() - started
    m.returncode = proc.returncode
    m.output = "".join(chunks) + (f"\n(killed after {timeout:.0f} s)" if killed else "")
    # the larger of: every process's last sampled CPU time, and what the kernel counted for the process
    # and the children it reaped
    m.cpu = max(sum(m.per_pid_cpu.values()), usage.ru_utime + usage.ru_stime)
    m.main_cpu = m.per_pid_cpu.get(proc.pid, 0.0)
    return m


# -- the phases ------------------------------------------------------------------------------------
BARE = "bare Scrapy spider (counts pages)"
FULL = "full pipeline (first crawl)"
RECHECK_ALL = "recrawl, re-check all (--recheck-after 0)"
INCREMENTAL = "recrawl, incremental (sitemap lastmod)"
@dataclass
class Phase:
    name: str
    pages: int
    seconds: float
    measured: Measured
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_page_ms(self) -> float:
        return 1000 * self.measured.cpu / self.pages if self.pages else 0.0


def start_server(pages: int, seed: int, *, prerender: bool = True) -> tuple[subprocess.Popen[str], str]:
    cmd = [PY, str(BENCH / "synthserver.py"), "--pages", str(pages), "--seed", str(seed),
           "--parent-pid", str(os.getpid()), "--max-seconds", "3600"]  # fmt: skip
    if prerender:
        cmd.append("--prerender")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    assert proc.stdout is not None  # noqa: S101 - asked for above
    url = proc.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise RuntimeError(f"the synthetic wiki server did not start: {url!r}")
    return proc, url


def stop_server(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out.strip().splitlines()[-1] if out.strip() else ""


def bare(url: str, timeout: float) -> Phase:
    m = run_measured([PY, str(BENCH / "bare_spider.py"), url], timeout)
    result: dict[str, Any] = {}
    for line in m.output.splitlines():
        if line.startswith("BENCH "):
            result = json.loads(line[6:])
    if not result:
        raise RuntimeError(f"bare spider failed:\n{m.output[-3000:]}")
    return Phase(BARE, int(result["pages"]), float(result["seconds"]), m)


def titlecrawl(url: str, out: Path, name: str, timeout: float, settings: list[str]) -> Phase:
    cmd = [PY, "-m", "titlecrawl.cli", "crawl", url, "-o", str(out), "--warc", str(out / "warc"),
           "--profile", "generic", "-q"]  # fmt: skip
    for s in settings:
        cmd += ["-s", s]
    m = run_measured(cmd, timeout)
    manifest_path = out / "manifest.json"
    if m.returncode not in (0, 1) or not manifest_path.is_file():
        raise RuntimeError(f"{name} failed (exit {m.returncode}):\n{m.output[-3000:]}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    detail = {"outcomes": manifest["outcomes"], "exit_status": manifest.get("exit_status"),
              "requests": manifest.get("requests"), "unchanged_by_lastmod": manifest.get("unchanged_by_lastmod")}
    return Phase(name, int(manifest["seen"]), float(manifest["duration_seconds"]), m, detail)


# -- report ------------------------------------------------------------------------------------------
def summary(args: argparse.Namespace, phases: list[Phase], loads: list[str], server_line: str,
            warc_bytes: int) -> str:  # fmt: skip
    info = machine()
    lines = [
        f"crawl_bench: N={args.pages} title pages (seed {args.seed}), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {info['nproc']} cores, {info['cpu']}, {info['ram']} RAM, Python {info['python']}",
        f"load average (1/5/15 min) before each phase: {' | '.join(loads)}",
        f"extraction workers: {args.workers}",
        "",
        f"{'phase':<44} {'URLs':>6} {'secs':>7} {'pages/s':>8} {'wall s':>7} {'CPU ms/page':>11} {'peak RSS':>9}",
    ]
    lines.extend(
        f"{p.name:<44} {p.pages:>6} {p.seconds:>7.1f} {p.rate:>8.1f} {p.measured.wall:>7.1f} "
        f"{p.cpu_per_page_ms:>11.1f} {p.measured.peak_rss / 2**20:>7.0f} MB"
        for p in phases
    )
    lines.extend(
        f"  {p.name.split(' (')[0]}: CPU ms/page {1000 * p.measured.main_cpu / p.pages:.1f} in the crawl process, "
        f"{1000 * (p.measured.cpu - p.measured.main_cpu) / p.pages:.1f} in its children (extraction workers)"
        for p in phases
        if p.pages and p.measured.cpu > p.measured.main_cpu > 0
    )
    by = {p.name: p for p in phases}
    lines.append("")
    full, base = by.get(FULL), by.get(BARE)
    if full is not None and base is not None and base.rate:
        lines.append(f"full pipeline / bare spider: {full.rate / base.rate:.2f} "
                     f"({full.rate:.1f} vs {base.rate:.1f} pages/s)")  # fmt: skip
    if full is not None:
        met = "met" if full.rate >= 120 else "NOT met"
        lines.append(f"goal full pipeline >= 120 pages/s: {met} ({full.rate:.1f})")
        lines.append(f"full crawl outcomes: {full.detail.get('outcomes')}; WARC {warc_bytes / 1e6:.0f} MB")
    for name in (RECHECK_ALL, INCREMENTAL):
        again = by.get(name)
        if full is None or again is None or not full.rate:
            continue
        speedup = again.rate / full.rate
        lines.append(f"{name}: {speedup:.1f}x the first crawl ({again.rate:.1f} vs {full.rate:.1f} pages/s); "
                     f"{again.detail.get('requests')} requests; outcomes {again.detail.get('outcomes')}, "
                     f"{again.detail.get('unchanged_by_lastmod')} unchanged by sitemap lastmod")  # fmt: skip
    incremental = by.get(INCREMENTAL)
    if full is not None and incremental is not None and full.rate:
        speedup = incremental.rate / full.rate
        lines.append(f"goal incremental recrawl >= 5x the first crawl: {'met' if speedup >= 5 else 'NOT met'} "
                     f"({speedup:.1f}x)")  # fmt: skip
    if server_line:
        lines.append(f"server: {server_line}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="title pages of the synthetic wiki")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", default="auto", help="TITLECRAWL_EXTRACT_WORKERS for the full pipeline")
    parser.add_argument("--out", type=Path, help="keep the crawl's output here (default: a temporary folder)")
    parser.add_argument("--skip-bare", action="store_true", help="skip the bare Scrapy spider")
    parser.add_argument("--skip-recrawl", action="store_true", help="skip both recrawls")
    parser.add_argument("--render-on-request", action="store_true",
                        help="the server renders each page when asked (default: all rendered before the crawls)")  # fmt: skip
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds allowed for each phase")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="extra setting for titlecrawl crawl (repeatable)")  # fmt: skip
    args = parser.parse_args(argv)
    settings = [f"TITLECRAWL_EXTRACT_WORKERS={args.workers}", "LOGSTATS_INTERVAL=0", *args.set]
    tmp = Path(tempfile.mkdtemp(prefix="crawl-bench-"))
    out = args.out or tmp / "out"
    if out.exists():
        shutil.rmtree(out)
    server, url = start_server(args.pages, args.seed, prerender=not args.render_on_request)
    phases: list[Phase] = []
    loads: list[str] = []
    server_line = ""
    try:
        print(f"synthetic wiki of {args.pages} pages at {url}", flush=True)
        if not args.skip_bare:
            loads.append(load_average())
            phases.append(bare(url, args.timeout))
            print(f"  {phases[-1].name}: {phases[-1].rate:.1f} pages/s", flush=True)
        loads.append(load_average())
        phases.append(titlecrawl(url, out, FULL, args.timeout, settings))
        print(f"  {phases[-1].name}: {phases[-1].rate:.1f} pages/s", flush=True)
        if not args.skip_recrawl:  # the unchanged site: (c) re-check every page, (d) trust the sitemap lastmods
            for name, extra in ((RECHECK_ALL, ["TITLECRAWL_RECHECK_AFTER=0"]), (INCREMENTAL, [])):
                loads.append(load_average())
                phases.append(titlecrawl(url, out, name, args.timeout, settings + extra))
                print(f"  {phases[-1].name}: {phases[-1].rate:.1f} pages/s", flush=True)
    finally:
        server_line = stop_server(server)
        warc_bytes = sum(p.stat().st_size for p in (out / "warc").glob("*")) if (out / "warc").is_dir() else 0
        if args.out is None:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(summary(args, phases, loads, server_line, warc_bytes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
