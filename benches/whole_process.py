#!/usr/bin/env python3
"""Speed as a user pays it: the CPU time the OS reports for whole processes
doing the whole job, side by side, in the same run.

usage: benches/whole_process.py [--pages DIR] [--passes N] [--runs R]
       [--newsworker BIN]

Contenders, each one process over the same files (every page of DIR,
default ../shared/bench/scrapinghub/html, listed N times, default 3):

  bare parse   read + gunzip + scraper::Html::parse_document (html5ever)
  dom_smoothie read + gunzip + dom_smoothie 0.14 (Readability port), a JSON
               line per page
  newsworker   `newsworker extract`: start-up, decoding, extraction,
               classification and a JSON record per page

built in release mode from the registry (benches/contenders, its own
Cargo.lock) and run interleaved R times (default 5). CPU seconds are
user + system from wait4(2). Prints pages per CPU-second for each (median,
min, max), newsworker's ratio to each contender (median over runs of the
per-run ratio, with its range), and the start-up cost: CPU and peak
resident memory of `newsworker extract` on a one-line page, with its
language stated and without.

Without the pages the script says so and exits 0.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTENDERS = REPO / "benches" / "contenders"


def cpu_of(cmd):
    """(CPU seconds, peak RSS in KiB) of one whole process, output dropped."""
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        stderr = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    # newsworker extract exits 1 when a page fails; the others 0.
    if code not in (0, 1):
        sys.exit(f"{cmd[0]} exited {code}: {stderr[-2000:]}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def build(newsworker):
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--manifest-path", str(CONTENDERS / "Cargo.toml")],
        check=True,
    )
    if newsworker is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        newsworker = str(REPO / "target" / "release" / "newsworker")
    bins = CONTENDERS / "target" / "release"
    return {
        "bare parse": [str(bins / "bare_parse")],
        "dom_smoothie": [str(bins / "smoothie")],
        "newsworker": [newsworker, "extract"],
    }


def spread(values):
    return f"{statistics.median(values):7.1f}  [{min(values):.1f} .. {max(values):.1f}]"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", default=str(REPO.parent / "shared" / "bench" / "scrapinghub" / "html"))
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--newsworker", help="a built newsworker binary (default: build this repository)")
    args = ap.parse_args()

    pages_dir = Path(args.pages)
    files = sorted(str(p) for p in pages_dir.glob("*.htm*")) if pages_dir.is_dir() else []
    if not files:
        print(f"no pages in {pages_dir}: nothing to measure")
        return 0
    commands = build(args.newsworker)
    work = files * args.passes
    pages = len(work)
    print(f"{len(files)} pages x {args.passes} passes = {pages} pages per process, {args.runs} runs, interleaved")

    rates = {name: [] for name in commands}
    for run in range(args.runs):
        # Interleaved, in a rotating order, so drift in the machine's speed
        # falls on every contender alike.
        names = list(commands)
        names = names[run % len(names):] + names[: run % len(names)]
        for name in names:
            cpu, _ = cpu_of(commands[name] + work)
            rates[name].append(pages / cpu)

    print(f"\n{'contender':<14}{'pages per CPU-second: median [min .. max]':>44}")
    for name, values in rates.items():
        print(f"{name:<14}{spread(values):>44}")
    ours = rates["newsworker"]
    for other in ("bare parse", "dom_smoothie"):
        ratios = [a / b for a, b in zip(ours, rates[other])]
        print(f"newsworker / {other:<13} {statistics.median(ratios):.2f}x  [{min(ratios):.2f} .. {max(ratios):.2f}]")

    # Two one-line pages: one whose language the page states (as news pages
    # do), whose classifier builds the names of that language only, and one
    # whose language cannot be told (four words), which needs every name.
    pages_for_startup = {
        "language stated": '<html lang="en"><body><p>One line of text.</p></body></html>\n',
        "language unknown": "<html><body><p>One line of text.</p></body></html>\n",
    }
    print()
    with tempfile.TemporaryDirectory() as tmp:
        for label, text in pages_for_startup.items():
            one = Path(tmp) / "one.html"
            one.write_text(text)
            starts = [cpu_of(commands["newsworker"] + [str(one)]) for _ in range(args.runs)]
            cpu_ms = [c * 1000 for c, _ in starts]
            rss_mb = [r / 1024 for _, r in starts]
            print(
                f"start-up (newsworker extract on a one-line page, {label}): "
                f"CPU {statistics.median(cpu_ms):.0f} ms [{min(cpu_ms):.0f} .. {max(cpu_ms):.0f}], "
                f"peak RSS {statistics.median(rss_mb):.0f} MB [{min(rss_mb):.0f} .. {max(rss_mb):.0f}]"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
