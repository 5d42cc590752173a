#!/bin/sh
# crashtest.sh: no notification is lost to a crash.
#
# Runs `redline run` against the newsroom bench (../shared/bench/newsroom)
# with a webhook receiver (hookrecv) that answers 503 to half the
# requests, kills redline with SIGKILL at random points KILLS times
# (advancing the newsroom a round every other time, so pages change) and
# restarts it; then lets it run with the receiver fully up until the
# outbox holds nothing pending, and checks that every revision in the store
# has exactly one delivered webhook (count of distinct Redline-Delivery keys
# at the receiver), none missing. Duplicates (a delivery accepted just
# before a kill, sent again after the restart with the same key) are
# counted and reported.
#
# Usage, from the repository root:
#   sh internal/hookrecv/crashtest.sh [WORKDIR] [KILLS] [REPLICAS]
set -eu
W=${1:-/tmp/redline-crash}
KILLS=${2:-20}
REPLICAS=${3:-1}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
NEWSROOM=${NEWSROOM:-$ROOT/../shared/bench/newsroom}
rm -rf "$W" && mkdir -p "$W"
go build -o "$W/redline" "$ROOT/cmd/redline"
go build -o "$W/hookrecv" "$ROOT/internal/hookrecv"
(cd "$NEWSROOM" && go build -o "$W/newsroom" .)

PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

(cd "$NEWSROOM" && exec "$W/newsroom" serve -replicas "$REPLICAS" -port 18377) >"$W/newsroom.log" 2>&1 &
PIDS="$PIDS $!"
"$W/hookrecv" -addr 127.0.0.1:18378 -secret crash -out "$W/deliveries.jsonl" -fail 0.5 >"$W/hookrecv.log" 2>&1 &
RECV=$!
PIDS="$PIDS $RECV"
for _ in $(seq 50); do curl -fs http://127.0.0.1:18377/_admin/urls >"$W/urls.txt" 2>/dev/null && break; sleep 0.2; done

{
	echo "notifiers:"
	echo "  hook: {type: webhook, url: 'http://127.0.0.1:18378/hook', secret: crash}"
	echo "outbox: {min_backoff: 1s, max_backoff: 10s, max_attempts: 1000}"
	echo "defaults:"
	echo "  schedule: '@every 10s'"
	echo "  confirm_delay: 1s"
	echo "  timeout: 5s"
	echo "  notify: [{to: hook, on: [new, body, headline, metadata]}]"
	echo "watches:"
	sed "s|.*|  - {url: '&'}|" "$W/urls.txt"
} >"$W/redline.yaml"
RL="$W/redline --db $W/redline.db --config $W/redline.yaml"

i=0
while [ "$i" -lt "$KILLS" ]; do
	i=$((i + 1))
	$RL run --listen off --log-level warn >>"$W/redline.log" 2>&1 &
	pid=$!
	# 1 to 12 seconds, drawn from /dev/urandom.
	t=$(($(od -An -N1 -tu1 /dev/urandom) % 12 + 1))
	sleep "$t"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	echo "kill $i after ${t}s"
	if [ $((i % 2)) -eq 0 ]; then curl -fs -X POST http://127.0.0.1:18377/_admin/advance >/dev/null; fi
done

# The receiver comes back for good; redline runs until nothing is pending.
kill "$RECV"
wait "$RECV" 2>/dev/null || true
"$W/hookrecv" -addr 127.0.0.1:18378 -secret crash -out "$W/deliveries.jsonl" -fail 0 >>"$W/hookrecv.log" 2>&1 &
RECV=$!
PIDS="$PIDS $RECV"
# No more changes meanwhile: the schedule is stretched so no new check
# runs; the final run only delivers.
sed -i "s|schedule: '@every 10s'|schedule: '@daily'|" "$W/redline.yaml"
$RL run --listen off --log-level warn >>"$W/redline.log" 2>&1 &
pid=$!
zero=0
for _ in $(seq 180); do
	sleep 1
	n=$($RL outbox --state pending --format json --limit 0 | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	if [ "$n" -eq 0 ]; then zero=$((zero + 1)); else zero=0; fi
	[ "$zero" -ge 5 ] && break
done
kill -TERM "$pid"
wait "$pid" || true

$RL list --format json >"$W/watches.json"
$RL outbox --format json --limit 0 >"$W/outbox.json"
python3 - "$W" <<'EOF'
import json, sys
w = sys.argv[1]
watches = json.load(open(w + "/watches.json"))
items = json.load(open(w + "/outbox.json"))
lines = [json.loads(l) for l in open(w + "/deliveries.jsonl") if l.strip()]
revisions = sum(x["revisions"] for x in watches)
by_state = {}
for it in items:
    by_state[it["state"]] = by_state.get(it["state"], 0) + 1
want = {it["delivery"] for it in items}
got = {l["delivery"] for l in lines}
per_rev = {(it["watch_id"], it["revision"]) for it in items}
print(f"revisions in the store: {revisions}; outbox items: {len(items)} {by_state}")
print(f"receiver: {len(lines)} deliveries accepted, {len(got)} distinct keys, {len(lines) - len(got)} duplicates (same key again)")
missing = want - got
extra = got - want
ok = revisions == len(per_rev) == len(items) and not missing and not extra and by_state.get("sent", 0) == len(items)
print(f"missing: {len(missing)}, unknown keys: {len(extra)} -> {'OK' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)
EOF
