#!/usr/bin/env bash
# A real multi-process cluster on this machine, on loopback only, from the jars the build made:
#   - three Kafka brokers in KRaft mode (separate JVMs; each broker and controller; the project's
#     topics with replication factor 3 and min.insync.replicas 2),
#   - a standalone Flink cluster: a JobManager (StandaloneSessionClusterEntrypoint) and
#     TaskManagers (TaskManagerRunner) from flink-runtime and flink-runtime-web,
#   - the detection job (stream-jobs/target/psfleet-jobs.jar) uploaded and run over Flink's REST API,
#   - simulator shards (agent-sim/target/psfleet-agent.jar simulate --shard k/N) as separate processes.
# It waits for the alerts, checks nothing was lost, prints a summary, writes report.json/.html, and
# stops every process it started by process id (the ids are kept in <dir>/pids).
#
#   deploy/cluster.sh [options]          run (./psfleet cluster is the same); --help lists options
#   deploy/cluster.sh stop [--dir DIR]   end the processes of a run that was killed
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${PSFLEET_JAVA:-}" ]; then
  # Not started by the launcher: let it build what is missing and find Java, then come back.
  exec "$ROOT/psfleet" cluster "$@"
fi
exec "$PSFLEET_JAVA" ${PSFLEET_JAVA_OPTS:-} -Dpsfleet.home="$ROOT" -jar "$ROOT/cli/target/psfleet.jar" cluster "$@"
