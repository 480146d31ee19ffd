#!/usr/bin/env python3
"""The hook benchmark behind scripts/bench-hooks: Alertmanager deliveries per second against
`debrief serve`, on SQLite and (when DEBRIEF_BENCH_POSTGRES_URL is set) PostgreSQL.

Two kinds of delivery, each at 1 connection and at 50, under wrk:

- new: each delivery carries an alert never seen before (a fingerprint of its own) for one of
  100 alert groups, so each adds a timeline entry and saves a revision of the group's draft;
- repeat: the same delivery again and again, as Alertmanager re-sends a group at each interval,
  which changes nothing.

Reads the server's CPU time (/proc) around each run. Prints a Markdown table; asserts nothing.

    scripts/bench_hooks.py --debrief target/release/debrief [--seconds 5] [--out FILE]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_server import TICK, Server, cpu_ticks, peak_rss_mb, table, wrk  # noqa: E402

NEW = r'''
local n = 0
local id = 0
local counter = 0
function setup(thread)
  n = n + 1
  thread:set("id", n)
end
function init(args)
  id = tonumber(wrk.thread:get("id")) or 0
  wrk.headers["Content-Type"] = "application/json"
end
request = function()
  counter = counter + 1
  local group = counter % 100
  local body = string.format(
    '{"version":"4","status":"firing","receiver":"debrief","groupKey":"{}:{alertname=\\"Bench%d\\"}",' ..
    '"groupLabels":{"alertname":"Bench%d"},"commonLabels":{"alertname":"Bench%d","service":"queue"},' ..
    '"alerts":[{"status":"firing","labels":{"alertname":"Bench%d","instance":"i-%d-%d","service":"queue"},' ..
    '"annotations":{"summary":"consumer lag above 5 minutes"},"startsAt":"2026-03-14T10:%02d:%02dZ",' ..
    '"endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus.test/graph","fingerprint":"%02d%014d"}]}',
    group, group, group, group, id, counter, math.floor(counter / 60) % 60, counter % 60, id, counter)
  return wrk.format("POST", nil, nil, body)
end
'''


def repeat_script(body):
    escaped = body.replace("\\", "\\\\").replace('"', '\\"')
    return ('wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.body = "{escaped}"\n')


def bench(args, backend, db, work, env):
    dbg = args.debrief
    subprocess.run([dbg, "--database", db, "--create", "init"], env=env,
                   capture_output=True, check=True)
    secret = subprocess.run([dbg, "--database", db, "hook", "create", "bench"], env=env,
                            capture_output=True, text=True, check=True).stdout.strip()
    server = Server(dbg, db, env)
    url = f"http://{server.addr}/api/v1/hooks/alertmanager/bench"
    auth = f"Authorization: Bearer {secret}"
    repeat = json.dumps({
        "version": "4", "status": "firing", "receiver": "debrief",
        "groupKey": "{}:{alertname=\"Repeated\"}", "groupLabels": {"alertname": "Repeated"},
        "commonLabels": {"alertname": "Repeated"},
        "alerts": [{"status": "firing", "labels": {"alertname": "Repeated", "instance": f"i-{k}"},
                    "annotations": {"summary": "disk above 95%"},
                    "startsAt": "2026-03-14T09:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                    "generatorURL": "", "fingerprint": f"{k:016x}"} for k in range(2)],
    })
    req = urllib.request.Request(url, data=repeat.encode(), method="POST")
    req.add_header("Authorization", f"Bearer {secret}")
    req.add_header("Content-Type", "application/json")
    urllib.request.urlopen(req).read()
    scripts = {"new": os.path.join(work, "new.lua"), "repeat": os.path.join(work, "repeat.lua")}
    with open(scripts["new"], "w") as fh:
        fh.write(NEW)
    with open(scripts["repeat"], "w") as fh:
        fh.write(repeat_script(repeat))
    runs = []
    pid = server.proc.pid
    for name in ("new", "repeat"):
        for c in (1, 50):
            t0 = cpu_ticks(pid)
            r = wrk(url, c, args.seconds, [auth], script=scripts[name])
            cpu_ms = (cpu_ticks(pid) - t0) * 1000 / TICK / max(r["requests"], 1)
            runs.append((name, c, r, cpu_ms))
    rss = peak_rss_mb(pid)
    server.stop()
    return runs, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--debrief", required=True)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--out")
    args = ap.parse_args()
    lines = []

    def say(s=""):
        print(s, flush=True)
        lines.append(s)

    say(f"Alertmanager deliveries; wrk on the same {os.cpu_count()} cores; {args.seconds} s per run")
    pg = os.environ.get("DEBRIEF_BENCH_POSTGRES_URL")
    for backend, url in [("SQLite", None)] + ([("PostgreSQL", pg)] if pg else []):
        work = tempfile.mkdtemp(prefix="debrief-bench-hooks-")
        env = dict(os.environ)
        if url:
            psql = os.path.join(env["DEBRIEF_PG_BIN"], "psql")
            subprocess.run([psql, url, "-qc", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
                           check=True, capture_output=True)
            db = url
        else:
            db = f"sqlite:{work}/bench.db"
        try:
            runs, rss = bench(args, backend, db, work, env)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        say(f"\n### {backend}\n")
        say(f"- peak RSS of `debrief serve`: {rss:,.0f} MB\n")
        table(say, "delivery", "deliveries", runs)
    if args.out:
        with open(args.out, "w") as fh:
            fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
