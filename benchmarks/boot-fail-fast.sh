#!/usr/bin/env bash
# Boot fail-fast speed (issue #11 case 3): on a data root the release cannot read, the server must be
# gone no later than it is ready on a data root it can read. Runs the real assembly (bin/karaf run)
# alternately on both roots, RUNS times each in the same run, and prints the medians and their ratio.
#
#   benchmarks/boot-fail-fast.sh [assembly dir] [runs]     (default: distribution/target/assembly, 5)
#
# launch-to-ready: from exec of bin/karaf until GET /-/ready answers 200 (every group serving with its
#                  storage, the registry writable, the HTTP door serving: what banyan:status reports
#                  as Ready), on a root with one group whose segment is version 1.5.0.
# launch-to-exit:  from exec of bin/karaf until the process has exited (status checked non-zero), on
#                  the same root with the segment stamped 1.3.0.
set -euo pipefail
cd "$(dirname "$0")/.."
ASSEMBLY=$(cd "${1:-distribution/target/assembly}" && pwd)
RUNS=${2:-5}
PORTS=${BENCH_PORTS:-$((30000 + $$ % 20000))}   # each server its own ports: none waits for another's
WORK=$(mktemp -d /tmp/banyan-boot-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

now() { date +%s.%N; }

# A fresh server home: bin/ and etc/ copied, lib/ and system/ linked, SSH/JMX ports of its own
# (from $3: SSH, then JMX, then HTTP), and a data root holding group g with one segment stamped $1.
home() {
    local dir=$WORK/$2 port=$3
    mkdir -p "$dir/data/banyan/.registry" "$dir/data/banyan/g/seg-20240101/shard-0" "$dir/deploy"
    cp -r "$ASSEMBLY/bin" "$ASSEMBLY/etc" "$dir/"
    ln -s "$ASSEMBLY/lib" "$dir/lib"
    ln -s "$ASSEMBLY/system" "$dir/system"
    printf '\nsshPort = %s\n' "$port" >> "$dir/etc/org.apache.karaf.shell.cfg"
    printf '\nrmiRegistryPort = %s\nrmiServerPort = %s\n' $((port + 1)) $((port + 2)) >> "$dir/etc/org.apache.karaf.management.cfg"
    sed -i "s/^org.osgi.service.http.port *=.*/org.osgi.service.http.port = $((port + 3))/" "$dir/etc/org.ops4j.pax.web.cfg"
    printf '%s\n' "$1" > "$dir/data/banyan/g/seg-20240101/metadata"
    cat > "$dir/data/banyan/.registry/schema.yaml" <<'YAML'
revision: 1
groups:
  - {name: g, catalog: MEASURE, shardNum: 1, segmentInterval: {unit: DAY, num: 1}, ttl: {unit: DAY, num: 7}, createRevision: 1, modRevision: 1}
measures: []
YAML
    # Generated once here so that no run pays for the first-start user set-up.
    "$dir/bin/setenv" 2>/dev/null || true
    echo "$dir"
}

# Seconds from launch until /-/ready answers 200 (then stops the server).
ready_time() {
    local port=$((PORTS + 10 * $1))
    local dir; dir=$(home '{"version":"1.5.0"}' "ready-$1" "$port")
    local start; start=$(now)
    # A session of its own (as each exit run has: the same CPU share under the kernel's autogroups), so
    # that the whole server, start script and JVM, can be stopped as one group.
    setsid "$dir/bin/karaf" run > "$dir/out.log" 2>&1 &
    local pid=$!
    until curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$((port + 3))/-/ready"; do
        kill -0 $pid 2>/dev/null || { echo "server died: $(tail -20 "$dir/out.log")" >&2; exit 1; }
        sleep 0.02
    done
    local end; end=$(now)
    # Measured; now gone at once (a graceful stop would overlap the next run's boot).
    kill -KILL -- -"$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    while kill -0 -- -"$pid" 2>/dev/null; do sleep 0.05; done
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

# Seconds from launch until the process has exited on incompatible data.
exit_time() {
    local dir; dir=$(home '1.3.0' "exit-$1" $((PORTS + 10 * $1 + 5)))
    local start; start=$(now)
    local status=0
    setsid --wait "$dir/bin/karaf" run > "$dir/out.log" 2>&1 || status=$?
    local end; end=$(now)
    [ "$status" -ne 0 ] || { echo "server exited 0 on incompatible data" >&2; exit 1; }
    grep -q 'FATAL .*group g.*incompatible version 1.3.0' "$dir/out.log" || { echo "no FATAL line: $(tail -20 "$dir/out.log")" >&2; exit 1; }
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }

ready=(); exits=()
for i in $(seq 1 "$RUNS"); do
    ready+=("$(ready_time "$i")")
    exits+=("$(exit_time "$i")")
    echo "run $i: launch-to-ready ${ready[-1]} s, launch-to-exit ${exits[-1]} s" >&2
done
r=$(printf '%s\n' "${ready[@]}" | median)
e=$(printf '%s\n' "${exits[@]}" | median)
echo "| figure | median of $RUNS (s) |"
echo "|---|---|"
echo "| launch-to-ready, compatible data root | $r |"
echo "| launch-to-exit (FATAL, status != 0), incompatible data root | $e |"
echo "| ratio exit / ready (target <= 1) | $(awk -v e="$e" -v r="$r" 'BEGIN { printf "%.2f", e / r }') |"
