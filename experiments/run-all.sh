#!/usr/bin/env bash
# `npm run experiments`: runs every seed-claim experiment (experiments/claim-*.yaml)
# as a sweep into results/<name>/ (with charts and report.html), then redraws the
# findings charts that combine several sweeps or split categorical factors
# (docs/findings/scripts/). A sweep already complete in results/ is reused (resume);
# `npm run experiments -- --fresh` first moves earlier folders aside (to
# results/<name>.old-N, never deleted) and reruns everything.
set -euo pipefail
cd "$(dirname "$0")/.."
fresh=${1:-}
for spec in experiments/claim-*.yaml; do
  name=$(basename "$spec" .yaml)
  if [ "$fresh" = "--fresh" ] && [ -e "results/$name" ]; then
    k=1
    while [ -e "results/$name.old-$k" ]; do k=$((k + 1)); done
    mv "results/$name" "results/$name.old-$k"
  fi
  node bin/migov.js sweep "$spec" --out "results/$name" --force --quiet
done
npx tsx docs/findings/scripts/claim-4-chart.ts docs/findings/claim-4-step-by-step-trust.png
npx tsx docs/findings/scripts/claim-6-chart.ts
npx tsx docs/findings/scripts/claim-7-chart.ts
npx tsx docs/findings/scripts/claim-8-chart.ts
echo "Findings: docs/findings.md; reports: results/claim-*/report.html"
