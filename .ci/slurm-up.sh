#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine, as root, for the cluster tests
# (tests/cluster/slurm.test.ts) and CI: munged, slurmctld and slurmd with a minimal
# slurm.conf (proctrack/linuxproc, task/none, select/cons_tres, the node declared with
# its real CPUs and memory, no accounting). Everything the daemons write lives under
# $MIGOV_SLURM_DIR (default /tmp/migov-slurm). Installs Debian's slurm-wlm and munge
# with apt-get when sbatch is absent and MIGOV_SLURM_INSTALL=1 (as .ci/run sets).
#
# Idempotent: when a cluster already answers (scontrol ping) it is used as it is and
# nothing is started. The daemons this script starts are recorded in
# $MIGOV_SLURM_DIR/started, and .ci/slurm-down.sh stops exactly those.
# Exits non-zero, with the daemons' logs, when the node does not come up idle.
set -euo pipefail

D="${MIGOV_SLURM_DIR:-/tmp/migov-slurm}"
CONF=/etc/slurm/slurm.conf
MARK="# written by migov .ci/slurm-up.sh"

if ! command -v sbatch >/dev/null 2>&1; then
  if [ "${MIGOV_SLURM_INSTALL:-0}" = 1 ]; then
    echo "slurm-up: installing slurm-wlm and munge (Debian's packages)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge
  else
    echo "slurm-up: sbatch not found; install Debian's slurm-wlm and munge (apt-get install -y slurm-wlm munge) or set MIGOV_SLURM_INSTALL=1" >&2
    exit 3
  fi
fi

# a cluster that already answers is used as it is
if scontrol ping 2>/dev/null | grep -q 'is UP'; then
  echo "slurm-up: a Slurm controller already answers; using it"
  sinfo
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "slurm-up: must run as root to start munged, slurmctld and slurmd" >&2
  exit 3
fi
if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
  echo "slurm-up: $CONF exists and was not written by this script; not touching it (start that cluster yourself)" >&2
  exit 3
fi

mkdir -p "$D/state" "$D/spool" "$D/log"
: > "$D/started"
HOST="$(hostname -s)"
CPUS="$(nproc)"
MEM_TOTAL="$(free -m | awk '/^Mem:/ { print $2 }')"
# leave a margin for the system, and never declare more than slurmd sees
MEM=$(( MEM_TOTAL - MEM_TOTAL / 10 - 256 ))
[ "$MEM" -lt 256 ] && MEM=256

# munge: the key comes with Debian's package; make one if it is missing
if ! (munge -n 2>/dev/null | unmunge >/dev/null 2>&1); then
  if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 755 /run/munge
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 1 50); do
    [ -f /run/munge/munged.pid ] && break
    sleep 0.1
  done
  echo "munged $(cat /run/munge/munged.pid)" >> "$D/started"
  munge -n | unmunge >/dev/null
fi

cat > "$CONF" <<EOF
$MARK
# A single-node cluster for migov's cluster tests; \$MIGOV_SLURM_DIR=$D.
ClusterName=migov
SlurmctldHost=$HOST
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=512
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1,bf_interval=1
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF

# -c: a clean start, no jobs left from an earlier cluster's saved state
/usr/sbin/slurmctld -c
for _ in $(seq 1 100); do
  [ -s "$D/slurmctld.pid" ] && break
  sleep 0.1
done
echo "slurmctld $(cat "$D/slurmctld.pid")" >> "$D/started"
/usr/sbin/slurmd -N "$HOST"
for _ in $(seq 1 100); do
  [ -s "$D/slurmd.pid" ] && break
  sleep 0.1
done
echo "slurmd $(cat "$D/slurmd.pid")" >> "$D/started"

state=""
for _ in $(seq 1 60); do
  state="$(sinfo -h -n "$HOST" -o %T 2>/dev/null || true)"
  [ "$state" = idle ] && break
  sleep 0.5
done
if [ "$state" != idle ]; then
  echo "slurm-up: node $HOST is '${state:-not answering}', not idle, after 30 s" >&2
  tail -n 30 "$D/log/slurmctld.log" "$D/log/slurmd.log" >&2 || true
  exit 1
fi
echo "slurm-up: node $HOST idle with $CPUS CPUs and ${MEM} MB (logs in $D/log)"
sinfo
