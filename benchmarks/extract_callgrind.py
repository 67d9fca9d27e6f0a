"""Extraction cost in CPU instructions (valgrind's callgrind): a figure other work on the machine
does not change.

    .venv/bin/python benchmarks/extract_callgrind.py [--pages DIR] [--only SUBSTRING] [--runs 3]

Runs itself under ``valgrind --tool=callgrind`` once: for each page of ``INDEX.tsv`` it warms up,
then runs ``lxml.html.fromstring(bytes)`` ``--runs`` times and ``extract_title(bytes, url)`` as
often, with a call of ``math.gcd`` between the phases, which makes callgrind dump its counters
(``--dump-before=math_gcd``). It prints each page's instructions per parse and per extraction,
their ratio and the median ratio. Instruction counts leave out cache misses and memory stalls,
which weigh more on Python code than on libxml2's parser, so these ratios run below the CPU-time
ratios of ``extract_bench.py``; they show what a change saves, without the noise of a shared
machine. Needs valgrind; takes about a minute per page.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.extract_bench import DEFAULT_PAGES, page_url, read_index

_TOTAL = re.compile(r"^(?:summary|totals): (\d+)", re.MULTILINE)


def child(pages: Path, only: str, runs: int) -> None:
    """The measured part (run under valgrind): three dumps per page (warm-up, parse, extract)."""
    import lxml.html

    from extractors import extract_title
    from normalize.dates import clear_caches

    for path, site in read_index(pages):
        if only and only not in path.name:
            continue
        data = path.read_bytes()
        url = page_url(path.name, site, data)
        math.gcd(1, 1)
        extract_title(data, url)
        lxml.html.fromstring(data)
        print(path.name, flush=True)
        math.gcd(1, 1)
        for _ in range(runs):
            lxml.html.fromstring(data)
        math.gcd(1, 1)
        for _ in range(runs):
            clear_caches()  # each run parses its dates as a first visit would
            extract_title(data, url)
    math.gcd(1, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES, help="folder with INDEX.tsv and the pages")
    parser.add_argument("--only", default="", help="only pages whose file name contains this")
    parser.add_argument("--runs", type=int, default=3, help="parses and extractions per page (default 3)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.pages, args.only, args.runs)
        return 0
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("valgrind is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="extract-callgrind-") as tmp:
        out = Path(tmp) / "cg.out"
        command = [valgrind, "--tool=callgrind", "--dump-before=math_gcd", f"--callgrind-out-file={out}",
                   sys.executable, __file__, "--child", "--pages", str(args.pages), "--only", args.only,
                   "--runs", str(args.runs)]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=3600)
        names = done.stdout.split()
        dumps = sorted(Path(tmp).glob("cg.out.*"), key=lambda p: int(p.name.rsplit(".", 1)[1]))
        totals = [int(m.group(1)) for p in dumps if (m := _TOTAL.search(p.read_text(errors="replace")))]
    if done.returncode != 0 or len(totals) < 1 + 3 * len(names):
        print(f"valgrind run failed ({done.returncode}): {done.stderr[-2000:]}", file=sys.stderr)
        return 1
    print(f"# instructions (callgrind), {args.runs} runs per page; extract = extract_title(bytes, url); "
          f"parse = lxml.html.fromstring(bytes)")
    print(f"{'page':62} {'parse Mi':>9} {'extract Mi':>10} {'ratio':>6}")
    ratios = []
    for i, name in enumerate(names):
        parse, extract = totals[2 + 3 * i] / args.runs, totals[3 + 3 * i] / args.runs
        ratios.append(extract / parse)
        print(f"{name[:62]:62} {parse / 1e6:9.2f} {extract / 1e6:10.2f} {extract / parse:6.2f}")
    if ratios:
        print(f"\npages: {len(ratios)}  median ratio: {statistics.median(ratios):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
