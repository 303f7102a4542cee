#!/usr/bin/env bash
# Stops the Slurm daemons that .ci/slurm-up.sh started (those recorded in
# $MIGOV_SLURM_DIR/started), by their process ids, and nothing else. A cluster that
# slurm-up.sh found already running is left alone.
set -uo pipefail

D="${MIGOV_SLURM_DIR:-/tmp/migov-slurm}"
[ -f "$D/started" ] || exit 0

# slurmd first (it kills its jobs' steps), then the controller, then munge
for name in slurmd slurmctld munged; do
  pid="$(awk -v n="$name" '$1 == n { print $2 }' "$D/started" | tail -n 1)"
  [ -n "$pid" ] || continue
  # only that daemon: a pid reused since by another process is left alone
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || continue
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
done
rm -f "$D/started"
echo "slurm-down: stopped the daemons slurm-up.sh had started"
