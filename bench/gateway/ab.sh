#!/usr/bin/env bash
# Quick A/B of xietong's HMAC path alone (no nginx/Caddy, no report): start
# the upstream and one xietong with the given environment, configure it,
# measure the maximum with wrk (2 threads, 64 connections, 10 s after 3 s),
# the CPU per call of serve and of its children, then RATE req/s open loop
# for 10 s, with the worst latency by phase of a 200-ms cycle and how late
# the machine woke a 1-ms sleeper meanwhile (bench/gateway/wakeprobe). Compare two
# settings by alternating runs, e.g.:
#   for i in 1 2 3; do bash bench/gateway/ab.sh 4000; bash bench/gateway/ab.sh 4000 XIETONG_CALLLOG_INGEST=process; done
# Needs wrk (run.sh installs it). Loopback only; every process it starts is stopped on exit.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RATE=${1:?usage: ab.sh RATE [VAR=value...]}
shift
[[ $RATE =~ ^[0-9]+$ ]] && ((RATE > 0 && RATE <= 100000)) || { echo "ab.sh: RATE must be 1..100000" >&2; exit 1; }
command -v wrk >/dev/null || { echo "ab.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
T=$(mktemp -d /tmp/xt-ab.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; rm -rf "$T"; }
trap cleanup EXIT
B=$T/bin
mkdir -p "$B"
(cd "$ROOT" && go build -o "$B/" ./cmd/xietong ./bench/gateway/upstream ./bench/gateway/setup ./bench/gateway/sign ./bench/gateway/rate ./bench/gateway/wakeprobe)
port() { local p; for _ in $(seq 200); do p=$((20000 + RANDOM % 30000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; exit 1; }
UP=$(port) CON=$(port) GW=$(port)
PASS='Bench#Bootstrap-2026!'
"$B/upstream" -listen "127.0.0.1:$UP" 2>/dev/null &
PIDS+=($!)
env "$@" XIETONG_GATEWAY_PLAIN_HTTP=true XIETONG_BOOTSTRAP_PASSWORD="$PASS" "$B/xietong" serve --data-dir "$T/data" \
	--listen "127.0.0.1:$CON" --plain-http --gateway-listen "127.0.0.1:$GW" >"$T/xietong.log" 2>&1 &
XT=$!
PIDS+=("$XT")
for i in $(seq 150); do (exec 3<>"/dev/tcp/127.0.0.1/$GW") 2>/dev/null && break; ((i < 150)) || { echo "xietong did not start" >&2; exit 1; }; sleep 0.1; done
"$B/setup" -console "http://127.0.0.1:$CON" -gateway "http://127.0.0.1:$GW" -upstream "http://127.0.0.1:$UP/person" -bootstrap "$PASS" -out "$T/creds.json" >/dev/null
# CPU ticks of serve alone, and of serve with its children.
ticks() { local s=0 p f; for p in "$@"; do f=($(cut -d')' -f2 "/proc/$p/stat")); s=$((s + f[11] + f[12])); done; echo "$s"; }
all() { ticks "$XT" $(cat /proc/"$XT"/task/*/children 2>/dev/null); }
"$B/sign" -creds "$T/creds.json" -mode hmac -n 400000 -out "$T/warm.req" 2>/dev/null
timeout 60 wrk -t2 -c64 -d3s -s "$HERE/signed.lua" "http://127.0.0.1:$GW" -- "$T/warm.req" 2 "" >/dev/null 2>&1
sleep 2
"$B/sign" -creds "$T/creds.json" -mode hmac -n 400000 -out "$T/max.req" 2>/dev/null
a0=$(all) s0=$(ticks "$XT")
timeout 60 wrk -t2 -c64 -d10s --latency -s "$HERE/signed.lua" "http://127.0.0.1:$GW" -- "$T/max.req" 2 "" >"$T/wrk.txt" 2>&1
a1=$(all) s1=$(ticks "$XT")
val() { sed -n "s/.*XTBENCH.* $1=\([^ ]*\).*/\1/p" "$T/wrk.txt"; }
HZ=$(getconf CLK_TCK)
awk -v r="$(val rps)" -v p="$(val p99_us)" -v a=$((a1 - a0)) -v s=$((s1 - s0)) -v hz="$HZ" -v e="$*" 'BEGIN {
	printf "%s max %.0f req/s  p99 %.1f ms  CPU per call: serve %.1f µs, children %.1f µs\n", (e == "" ? "(defaults)" : e), r, p / 1000, s * 1e6 / hz / (r * 10), (a - s) * 1e6 / hz / (r * 10) }'
for i in $(seq 60); do x=$(all); sleep 1; y=$(all); ((y - x < HZ / 20)) && break; done
"$B/sign" -creds "$T/creds.json" -mode hmac -n $((RATE * 14)) -out "$T/rate.req" 2>/dev/null
(sleep 2 && exec "$B/wakeprobe" -duration 10s -out "$T/wake.json") &
WP=$!
"$B/rate" -url "http://127.0.0.1:$GW" -rate "$RATE" -warmup 2s -duration 10s -name ab -file "$T/rate.req" -out "$T/rate.json" \
	-timeline "$T/timeline.tsv" >/dev/null 2>&1
wait "$WP" || true
sed -e 's/[{}"]//g' -e 's/,/ /g' "$T/rate.json" | tr -s ' \n' ' ' | grep -oE '(^| )(achieved_rps|p50_us|p99_us|p999_us|max_us|late_over_1ms|send_p99_us): [0-9.]+' | tr '\n' ' '
echo
# The worst latency by phase of a 200-ms cycle (mean of each 10-ms bucket's max, ms): a
# periodic stall, such as an ingest round, shows as a peak at a fixed phase.
awk -F'\t' 'NR > 1 { i = int(($1 % 200) / 10); s[i] += $3; n[i]++ }
	END { printf "200-ms fold (ms):"; for (i = 0; i < 20; i++) printf " %.1f", (n[i] ? s[i] / n[i] / 1000 : 0); print "" }' "$T/timeline.tsv"
# How late this machine woke a thread sleeping 1 ms meanwhile (bench/gateway/wakeprobe).
sed -e 's/[{}"]//g' -e 's/,/ /g' -e 's/^/wake-up lateness beside it (µs): /' "$T/wake.json" 2>/dev/null || true
