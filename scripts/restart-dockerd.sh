#!/usr/bin/env bash
# Fault injection for tests: stop the running dockerd, wait DOWN_SECONDS, and start it again with the same
# command line, in the background. Works for a dockerd started by hand or by .ci/run (not under systemd).
set -euo pipefail
DOWN_SECONDS="${1:-3}"
pid="$(pgrep -xo dockerd || true)"
if [ -z "$pid" ]; then echo "restart-dockerd: no dockerd is running" >&2; exit 1; fi
mapfile -d '' cmd < "/proc/$pid/cmdline"
log="${DOCKERD_LOG:-/tmp/skiff-dockerd-restart.log}"
kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; sleep 1; fi
sleep "$DOWN_SECONDS"
setsid "${cmd[@]}" >>"$log" 2>&1 < /dev/null &
for _ in $(seq 1 150); do docker info >/dev/null 2>&1 && exit 0; sleep 0.2; done
echo "restart-dockerd: dockerd did not come back" >&2
exit 1
