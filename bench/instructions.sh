#!/usr/bin/env bash
# Instructions per operation, per client, counted by callgrind.
#
# Wall-clock ratios of short statements move by ±0.2× between runs on a shared machine; the
# number of instructions a client executes does not. For each workload and client this runs the
# benchmark binary under `valgrind --tool=callgrind`, alone (one client, current-thread runtime,
# no bulk, parts, pooler or memory sections), and counts only the instructions executed inside
# the timed call (`Clients::run`, with everything it calls: building the statement, the pool
# checkout, encoding, decoding, the tracing span). The driver's connection task, which reads
# and writes the socket, runs outside the timed call and is not counted: it is the same code
# for every client built on tokio-postgres (all but sqlx, whose I/O runs inside the call).
#
# The count is divided by the operations run (warm-up included), which the binary prints.
# Prints a markdown table: instructions per operation and the difference to the fastest
# hand-written tokio-postgres client.
#
# Usage: bench/instructions.sh ["workload" ...]   (CLIENTS="pg,buster" limits the clients;
# SCALE=0.1 sets the number of rounds; the binary must be built:
# `cargo build --release -p buster-db-bench --features peers`)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="$repo/target/release/buster-db-bench"
if [ ! -x "$bin" ]; then
    echo "build the benchmark first: cargo build --release -p buster-db-bench --features peers" >&2
    exit 1
fi
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }
workloads=("$@")
if [ ${#workloads[@]} -eq 0 ]; then
    workloads=("find by primary key" "list 1 row" "list 100 rows" "insert 1 row"
        "upsert 1 row" "soft delete 100 rows" "8 finds pipelined")
fi
IFS=, read -r -a clients <<< "${CLIENTS:-pg,pg-stream,deadpool,buster,buster-conn,sqlx,diesel}"
scale="${SCALE:-0.1}"
work="$(mktemp -d /tmp/buster-instructions.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# Instructions per operation of one client on one workload.
count() {
    local workload="$1" client="$2" out="$work/cg" log="$work/log"
    rm -f "$out"
    valgrind --tool=callgrind --toggle-collect='buster_db_bench::Clients::run*' \
        --callgrind-out-file="$out" "$bin" --only "$workload" --clients "$client" \
        --no-bulk --no-parts --no-memory --no-pooler --current-thread --scale "$scale" \
        --out "$work/report" >"$log" 2>&1 || { cat "$log" >&2; return 1; }
    local ops total
    ops="$(sed -n 's/^.*: \([0-9.]*\) operations per client$/\1/p' "$log" | head -1)"
    total="$(callgrind_annotate "$out" | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*$/\1/p' | tr -d ,)"
    if [ -z "$ops" ] || [ -z "$total" ]; then
        echo "no count for $client on $workload" >&2
        return 1
    fi
    awk -v t="$total" -v n="$ops" 'BEGIN { printf "%.0f", t / n }'
}

# 12345 as 12,345 (independent of the locale).
thousands() {
    sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<< "$1"
}

header="| workload |"
rule="|---|"
for c in "${clients[@]}"; do
    header+=" $c |"
    rule+="---:|"
done
echo "Instructions per operation inside the timed call (callgrind, scale $scale, $(nproc) cores,"
echo "$(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -1)); in parentheses the difference to"
echo "the fewer of the two hand-written tokio-postgres clients (pg, pg-stream)."
echo
echo "$header"
echo "$rule"
for w in "${workloads[@]}"; do
    declare -A n=()
    for c in "${clients[@]}"; do
        n[$c]="$(count "$w" "$c")"
    done
    floor=""
    for c in pg pg-stream; do
        if [ -n "${n[$c]:-}" ] && { [ -z "$floor" ] || [ "${n[$c]}" -lt "$floor" ]; }; then
            floor="${n[$c]}"
        fi
    done
    row="| $w |"
    for c in "${clients[@]}"; do
        v="${n[$c]}"
        if [ -n "$floor" ] && [ "$v" != "$floor" ]; then
            d=$((v - floor))
            sign="+"
            [ "$d" -lt 0 ] && sign="−" && d=$((-d))
            row+=" $(thousands "$v") ($sign$(thousands "$d")) |"
        else
            row+=" $(thousands "$v") |"
        fi
    done
    echo "$row"
    unset n
done
