#!/usr/bin/env python3
"""The server benchmark behind scripts/bench-server (which installs wrk and nginx and starts a
throwaway PostgreSQL first). For each size (default 1,000 and 100,000) and backend (SQLite, and
PostgreSQL when DEBRIEF_BENCH_POSTGRES_URL is set):

- writes N postmortems made from the corpus (each corpus document in turn, with a reference
  code of its own, a rare word) as Markdown files, and times `debrief import` of the tree;
- times `debrief export --all` and compares the database's size with the exported Markdown;
- starts `debrief serve` and runs wrk against one postmortem, the list, search (a rare, a medium
  and a common word), open action items and create, at 1 connection and at 50; and nginx serving
  the bytes of the same postmortem as a static file;
- reads the server's CPU time (/proc) around each run and its peak RSS at the end.

Prints a Markdown table per size and backend; asserts nothing. Usage:

    scripts/bench_server.py --debrief target/release/debrief --corpus ../shared/corpus \\
        [--sizes 1000,100000] [--seconds 5] [--out FILE]
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
RARE, MEDIUM, COMMON = "zref{:06d}", "memcached", "database"


def corpus_documents(corpus):
    docs = []
    for root, _, files in os.walk(corpus):
        for f in sorted(files):
            if f in ("README.md", "MANIFEST.tsv") or f.startswith("."):
                continue
            with open(os.path.join(root, f), "rb") as fh:
                raw = fh.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if text.strip():
                docs.append((f, text))
    docs.sort()
    return docs


def write_tree(docs, n, into):
    """N files in folders of 1,000; returns their total size in bytes."""
    total = 0
    for i in range(n):
        name, text = docs[i % len(docs)]
        folder = os.path.join(into, f"{i // 1000:03d}")
        if i % 1000 == 0:
            os.makedirs(folder, exist_ok=True)
        stem, ext = os.path.splitext(name)
        body = text.rstrip("\n") + f"\n\nReference code: {RARE.format(i)}\n"
        path = os.path.join(folder, f"{i:06d}-{stem[:40]}{ext or '.md'}")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(body)
        total += len(body.encode("utf-8"))
    return total


def tree_size(path):
    return sum(
        os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs
    )


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def ms(value):
    """A wrk latency (`850.00us`, `3.21ms`, `1.02s`) in milliseconds."""
    m = re.match(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        return float("nan")
    n, unit = float(m.group(1)), m.group(2)
    return n * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url, connections, seconds, headers=(), script=None):
    cmd = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "requests": requests,
        "p50": p50,
        "p99": p99,
        "non2xx": int(bad.group(1)) if bad else 0,
        "socket": errors.group(1).strip() if errors else "",
    }


def table(say, noun, plural, rows):
    """A Markdown table of wrk runs: (name, connections, wrk figures, CPU ms per request)."""
    say(f"| {noun} | connections | {plural}/s | p50 ms | p99 ms | CPU ms/{noun} | non-2xx |")
    say("|---|---|---|---|---|---|---|")
    for name, c, r, cpu in rows:
        cpu_s = "" if cpu != cpu else f"{cpu:.3f}"
        say(f"| {name} | {c} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
            f"{cpu_s} | {r['non2xx']}{' ' + r['socket'] if r['socket'] else ''} |")


def run(cmd, env=None):
    t = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr[-2000:]}")
    return time.monotonic() - t, p


def request(url, token, data=None, method="GET"):
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "text/markdown")
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()


class Server:
    def __init__(self, debrief, db, env):
        self.proc = subprocess.Popen(
            [debrief, "--database", db, "serve", "--bind", "127.0.0.1:0",
             "--writes-per-second", "100000"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
        )
        line = self.proc.stdout.readline()
        m = re.search(r"http://([\d.]+:\d+)", line)
        if not m:
            sys.exit(f"debrief serve did not start: {line!r}")
        self.addr = m.group(1)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)


class Nginx:
    def __init__(self, root):
        self.dir = tempfile.mkdtemp(prefix="debrief-bench-nginx-")
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as fh:
            fh.write(f"""
worker_processes 2;
daemon off;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type application/json;
  client_body_temp_path {self.dir};
  proxy_temp_path {self.dir};
  fastcgi_temp_path {self.dir};
  uwsgi_temp_path {self.dir};
  scgi_temp_path {self.dir};
  server {{ listen 127.0.0.1:0; root {root}; }}
}}
""")
        # nginx cannot listen on port 0: find a free port first.
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        with open(conf) as fh:
            text = fh.read().replace("127.0.0.1:0", f"127.0.0.1:{port}")
        with open(conf, "w") as fh:
            fh.write(text)
        self.proc = subprocess.Popen(["nginx", "-c", conf, "-p", self.dir],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addr = f"127.0.0.1:{port}"
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://{self.addr}/", timeout=1)
                break
            except Exception as e:  # 403/404 mean it is up
                if hasattr(e, "code"):
                    break
                time.sleep(0.1)

    def stop(self):
        self.proc.send_signal(signal.SIGQUIT)
        self.proc.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def bench(args, docs, n, backend, db, work, env):
    rows = []
    tree = os.path.join(work, "tree")
    markdown_bytes = write_tree(docs, n, tree)
    # The tree's pages reach the disk before the import is timed, not while it writes.
    os.sync()
    dbg = args.debrief
    # Import.
    secs, p = run([dbg, "--database", db, "--create", "import", tree], env)
    imported = re.search(r"(\d+) new", p.stdout + p.stderr)
    rows.append(("import", f"{n / secs:,.0f} documents/s ({secs:.1f} s; "
                 f"{imported.group(1) if imported else '?'} new)"))
    shutil.rmtree(tree)
    # Export, and the stored size beside the exported Markdown.
    out = os.path.join(work, "export")
    secs, _ = run([dbg, "--database", db, "export", "--all", out], env)
    exported = tree_size(out)
    shutil.rmtree(out)
    rows.append(("export --all", f"{n / secs:,.0f} documents/s ({secs:.1f} s)"))
    if backend == "SQLite":
        path = db[len("sqlite:"):]
        stored = sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
    else:
        q = subprocess.run(
            [os.path.join(env["DEBRIEF_PG_BIN"], "psql"), env["DEBRIEF_BENCH_POSTGRES_URL"],
             "-Atc", "SELECT pg_database_size(current_database())"],
            capture_output=True, text=True, check=True)
        stored = int(q.stdout.strip())
    rows.append(("stored size", f"{stored / 2**20:,.1f} MB for {exported / 2**20:,.1f} MB of "
                 f"exported Markdown = {stored / exported:.2f}x"))
    # A user and a token.
    pw = os.path.join(work, "pw")
    with open(pw, "w") as fh:
        fh.write("a bench password long enough\n")
    run([dbg, "--database", db, "user", "add", "bench", "--role", "admin", "--password-file", pw], env)
    _, p = run([dbg, "--database", db, "token", "create", "--user", "bench"], env)
    token = p.stdout.strip()
    auth = f"Authorization: Bearer {token}"
    server = Server(dbg, db, env)
    base = f"http://{server.addr}"
    # The postmortem holding one reference code: the same document on every backend (a
    # position in the list is not, where dates tie).
    found = json.loads(request(f"{base}/api/v1/search?q={RARE.format(n // 2)}&limit=1", token))
    pm_id = found["hits"][0]["id"]
    body = request(f"{base}/api/v1/postmortems/{pm_id}", token)
    static = os.path.join(work, "static")
    os.makedirs(static, exist_ok=True)
    # nginx's workers run as an unprivileged user: let them read the file.
    os.chmod(work, 0o755)
    os.chmod(static, 0o755)
    with open(os.path.join(static, "one.json"), "wb") as fh:
        fh.write(body)
    os.chmod(os.path.join(static, "one.json"), 0o644)
    targets = [
        ("GET one", f"/api/v1/postmortems/{pm_id}"),
        ("list", "/api/v1/postmortems?limit=25"),
        ("search rare", f"/api/v1/search?q={RARE.format(n // 3)}&limit=25"),
        ("search medium", f"/api/v1/search?q={MEDIUM}&limit=25"),
        ("search common", f"/api/v1/search?q={COMMON}&limit=25"),
        ("actions", "/api/v1/actions?open=true"),
        ("facets, list", "/api/v1/facets"),
        ("facets, common", f"/api/v1/facets?q={COMMON}"),
        # A label filter that selects nothing: what a walk of the whole library would cost.
        ("list, a tag on none", "/api/v1/postmortems?limit=25&tag=no-such-tag"),
        ("search common, a tag on none", f"/api/v1/search?q={COMMON}&limit=25&tag=no-such-tag"),
        ("facets, a tag on none", "/api/v1/facets?tag=no-such-tag"),
    ]
    runs = []
    pid = server.proc.pid
    for name, path in targets:
        request(base + path, token)  # warm
        for c in (1, 50):
            t0 = cpu_ticks(pid)
            r = wrk(base + path, c, args.seconds, [auth])
            cpu_ms = (cpu_ticks(pid) - t0) * 1000 / TICK / max(r["requests"], 1)
            runs.append((name, c, r, cpu_ms))
    # Create: a new postmortem per request.
    doc = docs[7][1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    lua = os.path.join(work, "create.lua")
    with open(lua, "w") as fh:
        fh.write('wrk.method = "POST"\n'
                 'wrk.headers["Content-Type"] = "text/markdown"\n'
                 f'wrk.body = "{doc}"\n')
    for c in (1, 50):
        t0 = cpu_ticks(pid)
        r = wrk(f"{base}/api/v1/postmortems", c, args.seconds, [auth], script=lua)
        cpu_ms = (cpu_ticks(pid) - t0) * 1000 / TICK / max(r["requests"], 1)
        runs.append(("create", c, r, cpu_ms))
    rss = peak_rss_mb(pid)
    server.stop()
    nginx = Nginx(static)
    nginx_rows = []
    for c in (1, 50):
        r = wrk(f"http://{nginx.addr}/one.json", c, args.seconds)
        nginx_rows.append(("nginx, the same bytes", c, r, float("nan")))
    nginx.stop()
    shutil.rmtree(static)
    return rows, runs + nginx_rows, rss, len(body)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--debrief", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--sizes", default="1000,100000")
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--out")
    args = ap.parse_args()
    docs = corpus_documents(args.corpus)
    lines = []

    def say(s=""):
        print(s, flush=True)
        lines.append(s)

    say(f"{len(docs)} corpus documents; wrk on the same {os.cpu_count()} cores; "
        f"{args.seconds} s per run")
    pg = os.environ.get("DEBRIEF_BENCH_POSTGRES_URL")
    for n in [int(s) for s in args.sizes.split(",")]:
        backends = [("SQLite", None)] + ([("PostgreSQL", pg)] if pg else [])
        for backend, url in backends:
            work = tempfile.mkdtemp(prefix="debrief-bench-server-")
            env = dict(os.environ)
            if url:
                # A fresh database for each size.
                psql = os.path.join(env["DEBRIEF_PG_BIN"], "psql")
                subprocess.run([psql, url, "-qc",
                                "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
                               check=True, capture_output=True)
                db = url
            else:
                db = f"sqlite:{work}/bench.db"
            try:
                rows, runs, rss, size = bench(args, docs, n, backend, db, work, env)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            say(f"\n### {n:,} postmortems on {backend}\n")
            for k, v in rows:
                say(f"- {k}: {v}")
            say(f"- peak RSS of `debrief serve` through the runs: {rss:,.0f} MB")
            say(f"- one postmortem's JSON: {size:,} bytes\n")
            table(say, "request", "requests", runs)
            one = {c: r for name, c, r, _ in runs if name == "GET one"}
            ng = {c: r for name, c, r, _ in runs if name.startswith("nginx")}
            say(f"\nGET one against nginx at 50 connections: "
                f"{one[50]['rps'] / ng[50]['rps']:.2f}x")
    if args.out:
        with open(args.out, "w") as fh:
            fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
