#!/usr/bin/env bash
# `npm run experiments`: runs every seed-claim experiment (experiments/claim-*.yaml)
# as a sweep into results/<name>/ (with charts and report.html), then redraws the
# findings charts that combine several sweeps or split categorical factors
# (docs/findings/scripts/). A sweep already complete in results/ is reused (resume);
# `npm run experiments -- --fresh` first moves earlier folders aside (to
# results/<name>.old-N, never deleted) and reruns everything;
# `npm run experiments -- --results <dir>` puts the sweeps in <dir>/<name>/ instead
# (relative to the folder it is started in). Every other path is relative to the
# repository, so it runs from a clone in any folder.
set -euo pipefail
fresh=
results=
while [ $# -gt 0 ]; do
  case "$1" in
    --fresh) fresh=1; shift ;;
    --results)
      [ $# -ge 2 ] || { echo "--results needs a folder" >&2; exit 2; }
      case "$2" in /*) results=$2 ;; *) results="$PWD/$2" ;; esac
      shift 2 ;;
    *) echo "usage: npm run experiments -- [--fresh] [--results <dir>]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
results=${results:-results}
for spec in experiments/claim-*.yaml; do
  name=$(basename "$spec" .yaml)
  if [ -n "$fresh" ] && [ -e "$results/$name" ]; then
    k=1
    while [ -e "$results/$name.old-$k" ]; do k=$((k + 1)); done
    mv "$results/$name" "$results/$name.old-$k"
  fi
  node bin/migov.js sweep "$spec" --out "$results/$name" --force --quiet
done
for script in docs/findings/scripts/claim-*-chart.ts; do
  npx tsx "$script" --results "$results"
done
echo "Findings: docs/findings.md; reports: $results/claim-*/report.html"
