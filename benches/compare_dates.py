#!/usr/bin/env python3
"""Publication dates side by side: newsworker against htmldate (extensive
search, pages without their URL, as htmldate's own evaluation runs) on a
dates dev set (../shared/bench/dates: ground-truth.json, html/<key>.html.gz),
both scored by ../shared/bench/score_dates.py.

usage: benches/compare_dates.py DATASET [--newsworker BIN] [--venv DIR]

htmldate runs from a virtualenv outside the repository (default
~/.cache/newsworker/trafilatura-venv, which trafilatura's install fills;
or `python3 -m venv DIR && DIR/bin/pip install htmldate`). Without it, or
without the dataset, the script says so and exits 0.
"""
import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

HTMLDATE = r"""
import gzip, json, sys
from pathlib import Path
from htmldate import find_date
dataset, out = Path(sys.argv[1]), sys.argv[2]
truth = json.loads((dataset / "ground-truth.json").read_text())
found = {}
for key in truth:
    html = gzip.decompress((dataset / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
    try:
        found[key] = find_date(html, extensive_search=True, original_date=True)
    except Exception:
        found[key] = None
Path(out).write_text(json.dumps(found))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--newsworker", type=Path,
                        default=REPO / "target" / "release" / "newsworker")
    parser.add_argument("--venv", type=Path,
                        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                        / "newsworker" / "trafilatura-venv")
    args = parser.parse_args()
    python = args.venv / "bin" / "python"
    truth = args.dataset / "ground-truth.json"
    if not truth.is_file():
        print(f"skipped: no dataset at {args.dataset}")
        return 0
    if not python.is_file():
        print(f"skipped: no htmldate virtualenv at {args.venv} (see --help)")
        return 0
    if not args.newsworker.is_file():
        print(f"skipped: build newsworker first (cargo build --release); no {args.newsworker}")
        return 0
    scorer = REPO.parent / "shared" / "bench" / "score_dates.py"
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "newsworker.json"
        theirs = Path(tmp) / "htmldate.json"
        subprocess.run([str(args.newsworker), "eval", "dates", "--dataset", str(args.dataset),
                        "--output", str(ours)], check=True, capture_output=True)
        subprocess.run([str(python), "-c", HTMLDATE, str(args.dataset), str(theirs)], check=True)
        for name, path in [("newsworker", ours), ("htmldate", theirs)]:
            result = subprocess.run([sys.executable, str(scorer), str(truth), str(path)],
                                    check=True, capture_output=True, text=True)
            print(f"{name:<11} {result.stdout.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
