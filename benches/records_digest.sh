#!/usr/bin/env bash
# The records a build gives, as one digest: `newsworker extract` over the
# ScrapingHub and dates benchmark pages (../shared) and the example pages,
# hashed. Run it on two builds (e.g. before and
# after a refactoring) to check that they give the same records byte for
# byte; it prints the page count and the sha256. Pages in ../shared that
# are absent are left out, and the script says so.
#
# usage: benches/records_digest.sh [NEWSWORKER_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/newsworker}
[ -x "$bin" ] || cargo build --release --quiet
shopt -s nullglob
pages=(../shared/bench/scrapinghub/html/*.gz ../shared/bench/dates/html/*.gz examples/pages/*.html)
[ -d ../shared/bench ] || echo "no ../shared/bench: the example pages only" >&2
# extract dates pages against the time it runs; records carry no fetch
# time, so only a page dated "in the future" could differ between days.
{ "$bin" extract "${pages[@]}" 2>/dev/null || true; } | sha256sum | sed "s/ .*/  (${#pages[@]} pages)/"
