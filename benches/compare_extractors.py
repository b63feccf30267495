#!/usr/bin/env python3
"""Page-by-page comparison of newsworker's main text with trafilatura's on a
dev set laid out as ../shared/bench/<set>/ (ground-truth.json with
articleBody, html/<id>.html.gz), scored with ../shared/bench/score_tokens.py
(bag of lower-cased words, mean F1 over pages).

usage: benches/compare_extractors.py DATASET [--newsworker BIN] [--venv DIR]
       [--worst N]

trafilatura runs from a virtualenv outside the repository (default
~/.cache/newsworker/trafilatura-venv; make it with
`python3 -m venv DIR && DIR/bin/pip install trafilatura==2.3.1 lxml_html_clean`). Without
it, or without the dataset, the script says so and exits 0: nothing to
compare.

Prints both extractors' token P/R/F1 and empty pages, then the pages where
trafilatura wins most (the ones to study) and where newsworker does.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Runs inside the trafilatura virtualenv: extracts every page of the set.
TRAFILATURA = r"""
import gzip, json, sys
from pathlib import Path
import trafilatura
dataset, out = Path(sys.argv[1]), sys.argv[2]
truth = json.loads((dataset / "ground-truth.json").read_text())
texts = {}
for key in truth:
    html = gzip.decompress((dataset / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
    texts[key] = trafilatura.extract(html) or ""
Path(out).write_text(json.dumps(texts))
"""


def score(truth_path, predictions_path, per_doc_path):
    scorer = REPO.parent / "shared" / "bench" / "score_tokens.py"
    result = subprocess.run(
        [sys.executable, str(scorer), str(truth_path), str(predictions_path),
         "--per-doc", str(per_doc_path)],
        check=True, capture_output=True, text=True)
    summary = result.stdout.strip().splitlines()[0]
    per_doc = {}
    for line in Path(per_doc_path).read_text().splitlines():
        row = json.loads(line)
        per_doc[row["id"]] = row["f1"]
    return summary, per_doc


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--newsworker", type=Path,
                        default=REPO / "target" / "release" / "newsworker")
    parser.add_argument("--venv", type=Path,
                        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                        / "newsworker" / "trafilatura-venv")
    parser.add_argument("--worst", type=int, default=12)
    args = parser.parse_args()

    python = args.venv / "bin" / "python"
    if not (args.dataset / "ground-truth.json").is_file():
        print(f"skipped: no dataset at {args.dataset}")
        return 0
    if not python.is_file():
        print(f"skipped: no trafilatura virtualenv at {args.venv} (see --help)")
        return 0
    if not args.newsworker.is_file():
        print(f"skipped: build newsworker first (cargo build --release); no {args.newsworker}")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        truth = json.loads((args.dataset / "ground-truth.json").read_text())
        truth_texts = tmp / "truth.json"
        truth_texts.write_text(json.dumps({k: v["articleBody"] for k, v in truth.items()}))

        ours_raw = tmp / "ours-raw.json"
        subprocess.run([str(args.newsworker), "eval", "extraction", "--dataset",
                        str(args.dataset), "--rounds", "1", "--output", str(ours_raw)],
                       check=True, capture_output=True)
        ours = {k: (v["articleBody"] if isinstance(v, dict) else v) or ""
                for k, v in json.loads(ours_raw.read_text()).items()}
        ours_path = tmp / "ours.json"
        ours_path.write_text(json.dumps(ours))

        theirs_path = tmp / "trafilatura.json"
        subprocess.run([str(python), "-c", TRAFILATURA, str(args.dataset), str(theirs_path)],
                       check=True)

        ours_summary, ours_f1 = score(truth_texts, ours_path, tmp / "ours.jsonl")
        theirs_summary, theirs_f1 = score(truth_texts, theirs_path, tmp / "theirs.jsonl")
    print(f"newsworker   {ours_summary}")
    print(f"trafilatura  {theirs_summary}")
    gaps = sorted(((theirs_f1[k] - ours_f1[k], k) for k in ours_f1), reverse=True)
    print(f"\npages where trafilatura wins most (its F1 - ours):")
    for gap, key in gaps[:args.worst]:
        if gap <= 0:
            break
        print(f"  {gap:+.3f}  ours {ours_f1[key]:.3f}  trafilatura {theirs_f1[key]:.3f}  {key}")
    print(f"\npages where newsworker wins most:")
    for gap, key in reversed(gaps[-args.worst:]):
        if gap >= 0:
            break
        print(f"  {-gap:+.3f}  ours {ours_f1[key]:.3f}  trafilatura {theirs_f1[key]:.3f}  {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
