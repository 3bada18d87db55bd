#!/usr/bin/env bash
# The data-API benchmark of xietong: one command, prints a table, writes
# bench/dataapi/results/latest.json.
#
#   bash bench/dataapi/run.sh          # ≈ 4 min on a quiet machine with the defaults
#
# A single-row lookup by 公民身份号码 over PostgreSQL through the gateway,
# beside the same query run directly with pgx, in the same run:
#  1. a fresh schema xt_dabench_<hex> in the PostgreSQL of
#     XIETONG_BENCH_POSTGRES with ac01 (aac001 pk, aac002 indexed, aac003,
#     aae005, aab301, salary) and PERSONS persons with valid 公民身份号码
#     (internal/ident.CompleteID), loaded by COPY; dropped at the end;
#  2. xietong built and started on 127.0.0.1 (plain-HTTP console and gateway,
#     temp data dir, SQLite metadata) and configured through the console API
#     as the admins do: the data source, the data API
#     GET /gw/data/person?sfzh=… (sfzh: id_card, required; aac002, aac003,
#     aae005 classified id_number, name, phone; cache_seconds 0, so EVERY
#     call runs the query on PostgreSQL) written and submitted by sysadmin,
#     approved by a second user holding the review menu (the author cannot),
#     then a consumer, an HMAC key and a grant of every field (masking
#     applies) by secadmin; one call checked end to end;
#  3. open loop at RATE req/s for DURATION s after WARMUP s, latency from each
#     request's due time (bench/gateway/rate, with requests pre-signed for a
#     random person each just before the run): through the gateway; directly
#     with pgx (pgxpool, prepared statement, random person per request); and
#     directly with pgx inside the statements xietong's data-API runtime sends
#     (BEGIN READ ONLY; SET LOCAL statement_timeout; query; ROLLBACK), to
#     tell what the transaction costs from what the gateway costs;
#  4. closed loop, CLOSED_WORKERS back to back for CLOSED_DURATION s (after
#     2 s of warm-up): the maximum of each of the three;
#  5. a table with p50/p90/p99/p99.9/max, errors, CPU per request of
#     xietong, PostgreSQL and the load generator, the CPU other processes
#     took meanwhile, the ratios gateway/direct, and PASS/FAIL against the
#     target: p99 < 20 ms at RATE req/s through the gateway, no errors.
# Every process it starts is stopped on exit; every wait is bounded; nothing
# leaves 127.0.0.1.
#
# Settings (environment):
#   RATE=500            open-loop rate, req/s (the target is stated at 500)
#   DURATION=30         seconds measured per open-loop run
#   WARMUP=5            seconds of warm-up at the same rate before each open-loop run
#   PERSONS=200000      persons in ac01
#   KEEP_TMP=0          1: keep the temp folder (xietong's log and data dir, pre-signed files)
#   CLOSED_WORKERS=32   closed-loop workers
#   CLOSED_DURATION=10  seconds measured per closed-loop run
#   POOL_MAX_OPEN=0     the data source's pool: max_open and max_idle (POOL_MAX_OPEN=0:
#   POOL_MAX_IDLE=0     xietong's defaults for both); the direct pgxpool gets max_open connections
#   TRIES=2 QUIET=0.15  a run during which other processes used more than QUIET
#                       cores is done again, at most TRIES times; the least disturbed is kept
#   QUIET_WAIT=60       longest wait, in seconds, for a quiet machine before each run
#   PROFILE=0           1: afterwards, perf-profile the whole machine during a separate,
#                       unmeasured closed-loop gateway load → results/profile.txt
#   XIETONG_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RATE=${RATE:-500}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-5}
PERSONS=${PERSONS:-200000}
KEEP_TMP=${KEEP_TMP:-0}
CLOSED_WORKERS=${CLOSED_WORKERS:-32}
CLOSED_DURATION=${CLOSED_DURATION:-10}
POOL_MAX_OPEN=${POOL_MAX_OPEN:-0}
POOL_MAX_IDLE=${POOL_MAX_IDLE:-0}
TRIES=${TRIES:-2}
QUIET=${QUIET:-0.15}
QUIET_WAIT=${QUIET_WAIT:-60}
PROFILE=${PROFILE:-0}
DSN=${XIETONG_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
RES="$HERE/results"
BOOTSTRAP='Bench#Bootstrap-2026!'

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

for v in RATE DURATION WARMUP PERSONS CLOSED_WORKERS CLOSED_DURATION TRIES QUIET_WAIT; do
	[[ ${!v} =~ ^[0-9]+$ ]] && ((${!v} > 0)) || die "$v must be a positive integer"
done
((RATE <= 20000 && DURATION <= 600 && WARMUP <= 60 && PERSONS <= 20000000 && CLOSED_WORKERS <= 1024 && CLOSED_DURATION <= 600 && TRIES <= 5 && QUIET_WAIT <= 1800)) ||
	die "RATE ≤ 20000, DURATION ≤ 600, WARMUP ≤ 60, PERSONS ≤ 20000000, CLOSED_WORKERS ≤ 1024, CLOSED_DURATION ≤ 600, TRIES ≤ 5, QUIET_WAIT ≤ 1800"
[[ $POOL_MAX_OPEN =~ ^[0-9]+$ && $POOL_MAX_IDLE =~ ^[0-9]+$ ]] || die "POOL_MAX_OPEN and POOL_MAX_IDLE must be integers"
[[ $QUIET =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "QUIET must be a number of cores"
[[ $PROFILE == 0 || $PROFILE == 1 ]] || die "PROFILE must be 0 or 1"
if ((PROFILE)) && ! { command -v perf >/dev/null && perf stat -e cpu-clock true >/dev/null 2>&1; }; then
	echo "perf is missing or cannot count cpu-clock here: no profile" >&2
	PROFILE=0
fi
case $DSN in postgres://*@127.0.0.1:* | postgresql://*@127.0.0.1:* | postgres://*@localhost:* | postgresql://*@localhost:*) ;;
*) die "XIETONG_BENCH_POSTGRES must be a postgres:// DSN on 127.0.0.1" ;; esac
command -v go >/dev/null || die "go not found"

# ---- processes: every one started is remembered and stopped on exit ----
TMP=$(mktemp -d /tmp/xt-dabench.XXXXXX)
SCHEMA=xt_dabench_$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')
SCHEMA_MADE=0
PIDS=()
B=$TMP/bin
cleanup() {
	local rc=$? pid i
	trap - EXIT INT TERM
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		kill -TERM "${PIDS[i]}" 2>/dev/null || true
	done
	for pid in "${PIDS[@]}"; do
		# xietong drains its call journal into its database on shutdown.
		for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	if ((SCHEMA_MADE)); then
		timeout 60 "$B/dabench" drop -dsn "$DSN" -schema "$SCHEMA" || echo "run.sh: could not drop schema $SCHEMA" >&2
	fi
	if ((rc != 0)); then # keep xietong's log of a failed run
		mkdir -p "$RES/logs"
		cp "$TMP"/*.log "$RES/logs/" 2>/dev/null || true
		echo "run.sh failed ($rc); logs in $RES/logs/" >&2
	fi
	if ((KEEP_TMP)); then echo "temp folder kept: $TMP" >&2; else rm -rf "$TMP"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$RES" "$B"
rm -rf "$RES/logs"
rm -f "$RES"/*.json "$RES"/*.tsv "$RES"/report.txt "$RES"/profile.txt "$RES"/xietong-warnings.log
log "building xietong, bench/gateway/rate and bench/dataapi/dabench"
(cd "$ROOT" && go build -o "$B/xietong" ./cmd/xietong && go build -o "$B/" ./bench/gateway/rate ./bench/dataapi/dabench)

# ---- 1. the business table ----
log "PostgreSQL: schema $SCHEMA, ac01 with $PERSONS persons (COPY)"
SCHEMA_MADE=1 # from here on, the schema is dropped on exit (IF EXISTS)
timeout 600 "$B/dabench" fixture -dsn "$DSN" -schema "$SCHEMA" -persons "$PERSONS" -ids "$TMP/ids.txt" -version-out "$TMP/pgversion"

# ---- 2. xietong ----
USED_PORTS=" "
free_port() { # VAR: a free loopback port, not handed out before
	local p i
	for ((i = 0; i < 200; i++)); do
		p=$((20000 + RANDOM % 30000))
		[[ $USED_PORTS == *" $p "* ]] && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			USED_PORTS+="$p "
			printf -v "$1" '%s' "$p"
			return
		fi
	done
	die "no free port found"
}
wait_port() { # port name pid
	local i
	for ((i = 0; i < 150; i++)); do
		kill -0 "$3" 2>/dev/null || die "$2 exited at start (its log is kept in bench/dataapi/results/logs/)"
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return; fi
		sleep 0.1
	done
	die "$2 does not listen on 127.0.0.1:$1 after 15 s"
}
free_port CONSOLE_PORT
free_port GW_PORT
log "xietong: console 127.0.0.1:$CONSOLE_PORT, gateway 127.0.0.1:$GW_PORT"
XIETONG_GATEWAY_PLAIN_HTTP=true XIETONG_BOOTSTRAP_PASSWORD="$BOOTSTRAP" \
	"$B/xietong" serve --data-dir "$TMP/xietong-data" --listen "127.0.0.1:$CONSOLE_PORT" --plain-http \
	--gateway-listen "127.0.0.1:$GW_PORT" >"$TMP/xietong.log" 2>&1 &
XT_PID=$!
PIDS+=("$XT_PID")
wait_port "$GW_PORT" xietong "$XT_PID"

log "configuring xietong through the console API (source, data API, submit, approve by a second user, consumer, key, grant)"
GW="http://127.0.0.1:$GW_PORT"
timeout 120 "$B/dabench" setup -console "http://127.0.0.1:$CONSOLE_PORT" -gateway "$GW" -dsn "$DSN" -schema "$SCHEMA" \
	-ids "$TMP/ids.txt" -bootstrap "$BOOTSTRAP" -pool-max-open "$POOL_MAX_OPEN" -pool-max-idle "$POOL_MAX_IDLE" -out "$TMP/creds.json"
CONNS=$(sed -n 's/.*"pool_max_open": *\([0-9]*\).*/\1/p' "$TMP/creds.json")
MAXIDLE=$(sed -n 's/.*"pool_max_idle": *\([0-9]*\).*/\1/p' "$TMP/creds.json")
[[ $CONNS =~ ^[0-9]+$ ]] && ((CONNS > 0)) || die "no pool size in the credentials"
echo "cache_seconds = 0: every gateway call runs the query on PostgreSQL (no answer cache)" >&2

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
pgver=$(head -c 100 "$TMP/pgversion" | tr -d '"\\\n')
commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(cd "$ROOT" && git status --porcelain -- cmd internal sdk go.mod 2>/dev/null | wc -l)
printf '{"date":"%s","nproc":%s,"cpu_model":"%s","kernel":"%s","go":"%s","postgres":"%s","commit":"%s","uncommitted_go_changes":%s,"persons":%s,"rate":%s,"duration_s":%s,"warmup_s":%s,"closed_workers":%s,"closed_duration_s":%s,"pool_max_open":%s,"pool_max_idle":%s,"pgx_conns":%s,"cache_seconds":0}\n' \
	"$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" "$cpu_model" "$(uname -r)" "$(go env GOVERSION)" "$pgver" "$commit" "$dirty" "$PERSONS" "$RATE" \
	"$DURATION" "$WARMUP" "$CLOSED_WORKERS" "$CLOSED_DURATION" "$CONNS" "$MAXIDLE" "$CONNS" >"$RES/meta.json"

# ---- 3–4. the loads ----
# measured NAME CMD…: run CMD under dabench measure up to TRIES times until
# other processes stayed under QUIET cores; keep the least disturbed try.
# Before each try, wait (bounded) for a quiet machine (xietong moves its call
# journal into its database after a load: that waits too); PRE, if set, is
# run before each try (signing, so that timestamps are fresh).
other_cores() { sed -n 's/.*"other_cores":\([0-9.e+-]*\).*/\1/p' "$1"; }
measured() {
	local name=$1 t
	shift
	for ((t = 1; t <= TRIES; t++)); do
		if [[ -n ${PRE:-} ]]; then eval "$PRE"; fi
		"$B/dabench" quiet -max "${QUIET_WAIT}s" -below 0.10
		timeout $((WARMUP + DURATION + CLOSED_DURATION + 120)) \
			"$B/dabench" measure -xt "$XT_PID" -dsn "$DSN" -out "$TMP/try.cpu.json" -- "$@" >"$TMP/try.out" || die "$name: load failed (try $t)"
		cp "$TMP/try.out" "$TMP/try.json"
		if [[ ! -e $RES/$name.cpu.json ]] || awk -v a="$(other_cores "$TMP/try.cpu.json")" -v b="$(other_cores "$RES/$name.cpu.json")" 'BEGIN { exit !(a < b) }'; then
			cp "$TMP/try.json" "$RES/$name.json"
			cp "$TMP/try.cpu.json" "$RES/$name.cpu.json"
			[[ -e $TMP/try.tsv ]] && cp "$TMP/try.tsv" "$RES/timeline-$name.tsv"
		fi
		rm -f "$TMP/try.tsv"
		awk -v a="$(other_cores "$TMP/try.cpu.json")" -v q="$QUIET" 'BEGIN { exit !(a <= q) }' && break
		echo "disturbed: other processes used $(other_cores "$TMP/try.cpu.json") cores during $name (try $t of $TRIES)" >&2
	done
	sed -n 's/^ *"\(achieved_rps\|p50_us\|p99_us\|max_us\|errors\|non2xx\|exhausted\)": *\(.*\),*$/  \1 \2/p' "$RES/$name.json" | tr -d ',' | tr '\n' ' ' >&2
	echo >&2
}
N_OPEN=$((RATE * (WARMUP + DURATION) + 100))
sign_open() { "$B/dabench" sign -creds "$TMP/creds.json" -ids "$TMP/ids.txt" -n "$N_OPEN" -seed "$RANDOM" -out "$TMP/open.req"; }
PGX=(-dsn "$DSN" -creds "$TMP/creds.json" -ids "$TMP/ids.txt" -conns "$CONNS")

log "open loop: $RATE req/s, ${WARMUP} s warm-up + ${DURATION} s measured — through the gateway"
PRE=sign_open measured open-gateway "$B/rate" -url "$GW" -file "$TMP/open.req" -rate "$RATE" -warmup "${WARMUP}s" -duration "${DURATION}s" \
	-name gateway -out /dev/null -timeline "$TMP/try.tsv"
rm -f "$TMP/open.req"
log "open loop: $RATE req/s — direct pgx (pgxpool MaxConns $CONNS, prepared statement)"
measured open-pgx "$B/dabench" load -target pgx -mode open "${PGX[@]}" -rate "$RATE" -warmup "${WARMUP}s" -duration "${DURATION}s" -name pgx
log "open loop: $RATE req/s — direct pgx inside xietong's read-only transaction"
measured open-pgx-tx "$B/dabench" load -target pgx-tx -mode open "${PGX[@]}" -rate "$RATE" -warmup "${WARMUP}s" -duration "${DURATION}s" -name pgx-tx

# Closed loop through the gateway: every call needs its own pre-signed
# request; a run that runs out says EXHAUSTED and is done again with twice
# as many.
N_CLOSED=$(((CLOSED_DURATION + 2) * 6000))
sign_closed() { "$B/dabench" sign -creds "$TMP/creds.json" -ids "$TMP/ids.txt" -n "$N_CLOSED" -seed "$RANDOM" -out "$TMP/closed.req"; }
for ((k = 0; k < 3; k++)); do
	log "closed loop: $CLOSED_WORKERS workers, 2 s warm-up + ${CLOSED_DURATION} s — through the gateway ($N_CLOSED pre-signed)"
	rm -f "$RES/closed-gateway.json" "$RES/closed-gateway.cpu.json"
	PRE=sign_closed measured closed-gateway "$B/dabench" load -target gateway -mode closed -creds "$TMP/creds.json" -file "$TMP/closed.req" \
		-workers "$CLOSED_WORKERS" -warmup 2s -duration "${CLOSED_DURATION}s" -name gateway
	grep -q '"exhausted": true' "$RES/closed-gateway.json" || break
	N_CLOSED=$((N_CLOSED * 2))
done
rm -f "$TMP/closed.req"
log "closed loop: $CLOSED_WORKERS workers — direct pgx"
measured closed-pgx "$B/dabench" load -target pgx -mode closed "${PGX[@]}" -workers "$CLOSED_WORKERS" -warmup 2s -duration "${CLOSED_DURATION}s" -name pgx
log "closed loop: $CLOSED_WORKERS workers — direct pgx inside xietong's read-only transaction"
measured closed-pgx-tx "$B/dabench" load -target pgx-tx -mode closed "${PGX[@]}" -workers "$CLOSED_WORKERS" -warmup 2s -duration "${CLOSED_DURATION}s" -name pgx-tx

# ---- profile (not part of the figures) ----
if ((PROFILE)); then
	log "profile: perf record -a -g for 8 s during a separate 10 s closed-loop gateway load (not measured)"
	"$B/dabench" quiet -max "${QUIET_WAIT}s" -below 0.10
	"$B/dabench" sign -creds "$TMP/creds.json" -ids "$TMP/ids.txt" -n "$N_CLOSED" -seed "$RANDOM" -out "$TMP/prof.req"
	perf record -q -F 999 -e cpu-clock -g -a -o "$TMP/perf.data" -- sleep 8 >/dev/null 2>&1 &
	PERF_PID=$!
	PIDS+=("$PERF_PID")
	timeout 60 "$B/dabench" load -target gateway -mode closed -creds "$TMP/creds.json" -file "$TMP/prof.req" \
		-workers "$CLOSED_WORKERS" -warmup 0s -duration 10s -name profile >"$TMP/prof.json"
	wait "$PERF_PID" || true
	rm -f "$TMP/prof.req"
	set +o pipefail # head closes the pipes early
	{
		echo "# perf profile: closed loop through the gateway, $CLOSED_WORKERS workers for 10 s; perf -a -F 999 cpu-clock for 8 s"
		sed -n 's/^ *"\(achieved_rps\|errors\|non2xx\)": *\(.*\),*$/# \1 \2/p' "$TMP/prof.json"
		echo
		echo "## CPU share by process (all samples)"
		perf report -i "$TMP/perf.data" --stdio --no-children --sort comm -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15
		echo
		echo "## where xietong's time goes (dabench perfsplit; inclusive shares of xietong's samples)"
		perf script -i "$TMP/perf.data" --comm xietong -F comm,ip,sym 2>/dev/null | "$B/dabench" perfsplit -comm xietong || true
		echo
		echo "## xietong: self time by function, % of the process's samples (top 40)"
		perf report -i "$TMP/perf.data" --stdio --no-children --comm xietong --percentage relative --sort sym -g none 2>/dev/null |
			grep -v '^#' | grep -v '^$' | head -40
		echo
		echo "## postgres: self time by function, % of its samples (top 25)"
		perf report -i "$TMP/perf.data" --stdio --no-children --comm postgres --percentage relative --sort sym -g none 2>/dev/null |
			grep -v '^#' | grep -v '^$' | head -25
	} >"$RES/profile.txt"
	set -o pipefail
	rm -f "$TMP/perf.data"
	echo "written: $RES/profile.txt" >&2
fi

# ---- what xietong logged ----
grep -v '"level":"INFO"' "$TMP/xietong.log" | grep '"level"' >"$RES/xietong-warnings.log" || true
if [[ -s $RES/xietong-warnings.log ]]; then
	echo "xietong logged $(wc -l <"$RES/xietong-warnings.log") warnings/errors: $RES/xietong-warnings.log" >&2
else
	rm -f "$RES/xietong-warnings.log"
fi

# ---- 5. the report ----
"$B/dabench" report -dir "$RES" -quiet "$QUIET"
