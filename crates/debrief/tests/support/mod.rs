//! What the process-level tests share: a `debrief` command, a running `debrief serve`, a
//! minimal HTTP client, users with tokens, and a PostgreSQL cluster a test can kill.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

pub const PASSWORD: &str = "a long enough password";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_debrief")
}

/// Checks the JSON file `doc` against the JSON Schema file `schema` with Python's jsonschema
/// (the draft the schema names, else draft 7): the first errors, with their paths, when it does
/// not validate.
pub fn json_schema_errors(schema: &Path, doc: &Path) -> Result<(), String> {
    let check = Command::new("python3")
        .args([
            "-c",
            "import json, sys, jsonschema\nschema = json.load(open(sys.argv[1]))\ndoc = json.load(open(sys.argv[2]))\ncls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft7Validator)\ncls.check_schema(schema)\nerrors = list(cls(schema).iter_errors(doc))\nfor e in errors[:5]: print(list(e.absolute_path), e.message)\nsys.exit(1 if errors else 0)",
        ])
        .arg(schema)
        .arg(doc)
        .output()
        .expect("python3 runs");
    if check.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        ))
    }
}

pub fn cli(db: &str, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("--database")
        .arg(db)
        // The tests make their databases as they go.
        .arg("--create")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A fresh directory for one test under the system's temporary directory.
pub fn scratch(name: &str) -> Scratch {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "debrief-test-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    Scratch(d)
}

/// A test's directory: removed when the test is done, kept (its path printed) when the test
/// fails, so its databases and logs can be looked at.
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept for a look: {}", self.0.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

/// A running `debrief serve`, stopped (SIGTERM, then waited for) when dropped.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Server {
    pub fn start(db: &str) -> Server {
        Server::start_with(db, &[])
    }

    /// A server started with more `serve` options.
    pub fn start_with(db: &str, options: &[&str]) -> Server {
        let mut child = Command::new(bin())
            .args([
                "--database",
                db,
                "--create",
                "serve",
                "--bind",
                "127.0.0.1:0",
            ])
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .rsplit("http://")
            .next()
            .unwrap()
            .trim_end_matches('/')
            .to_string();
        assert!(addr.contains(':'), "the server did not start: {line}");
        Server { child, addr }
    }

    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let status = self.child.wait().unwrap();
        std::mem::forget(self);
        status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.0.eq_ignore_ascii_case(name))
            .map(|h| h.1.as_str())
    }
}

/// A minimal HTTP/1.1 client: one request per connection.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, &[u8])>,
) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some((ct, b)) = body {
        req.push_str(&format!(
            "Content-Type: {ct}\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    if let Some((_, b)) = body {
        s.write_all(b).unwrap();
    }
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    let chunked = headers
        .iter()
        .any(|h| h.0.eq_ignore_ascii_case("transfer-encoding") && h.1.contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    Reply {
        status,
        headers,
        body,
    }
}

pub fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n.min(rest.len())]);
        s = rest.get(n + 2..).unwrap_or("");
    }
    out
}

/// A user with a token, through the CLI.
pub fn user_with_token(db: &str, dir: &Path, name: &str, role: &str) -> String {
    add_user(db, dir, name, role);
    let o = cli(db, &["token", "create", "--user", name]);
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

/// A user with the password [`PASSWORD`], through the CLI.
pub fn add_user(db: &str, dir: &Path, name: &str, role: &str) {
    let pw = dir.join("pw");
    std::fs::write(&pw, PASSWORD).unwrap();
    let o = cli(
        db,
        &[
            "user",
            "add",
            name,
            "--role",
            role,
            "--password-file",
            pw.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

pub fn seed() -> Option<PathBuf> {
    let p =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/seed-postmortem.txt");
    if p.is_file() {
        Some(p)
    } else {
        require(&format!("{}", p.display()));
        None
    }
}

/// A new empty database on the test cluster (`DEBRIEF_TEST_POSTGRES_URL`, made by
/// `scripts/with-postgres`), named after the test and this process; its URL.
pub fn fresh_postgres(base: &str, name: &str) -> String {
    let db = format!("{name}_{}", std::process::id());
    let bin =
        std::env::var("DEBRIEF_PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into());
    let o = Command::new(format!("{bin}/psql"))
        .arg(base)
        .args(["-q", "-c", &format!("CREATE DATABASE {db}")])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    base.replace("/debrief?", &format!("/{db}?"))
}

pub fn require(what: &str) {
    assert!(
        std::env::var_os("DEBRIEF_REQUIRE_ALL").is_none(),
        "{what} is missing; scripts/test provides it"
    );
    println!("skipped: {what} is missing (scripts/test provides it)");
}

/// A PostgreSQL cluster of this test's own, so it can be killed and restarted.
pub struct Cluster {
    dir: Scratch,
    bin: String,
    owner: String,
}

impl Cluster {
    fn pg(&self, tool: &str) -> Command {
        let me = Command::new("id").arg("-un").output().unwrap();
        let path = format!("{}/{tool}", self.bin);
        if String::from_utf8_lossy(&me.stdout).trim() == self.owner {
            Command::new(path)
        } else {
            let mut c = Command::new("runuser");
            c.args(["-u", &self.owner, "--", &path]);
            c
        }
    }

    pub fn create() -> Option<Cluster> {
        let (Ok(bin), Ok(owner)) = (
            std::env::var("DEBRIEF_PG_BIN"),
            std::env::var("DEBRIEF_PG_OWNER"),
        ) else {
            require("DEBRIEF_PG_BIN and DEBRIEF_PG_OWNER");
            return None;
        };
        let dir = scratch("pg-cluster");
        let _ = Command::new("chown")
            .args([&format!("{owner}:{owner}"), dir.to_str().unwrap()])
            .status();
        let c = Cluster { dir, bin, owner };
        let o = c
            .pg("initdb")
            .args([
                "-D",
                c.data().as_str(),
                "-U",
                &c.owner,
                "--auth=trust",
                "-E",
                "UTF8",
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        c.start();
        let o = c
            .pg("createdb")
            .args(["-h", c.dir.to_str().unwrap(), "-U", &c.owner, "debrief"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        Some(c)
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    pub fn url(&self) -> String {
        format!(
            "postgres://{}@localhost/debrief?host={}",
            self.owner,
            self.dir.display()
        )
    }

    pub fn start(&self) {
        let opts = format!(
            "-c listen_addresses='' -k {} -c fsync=on",
            self.dir.display()
        );
        let log = self.dir.join("server.log").display().to_string();
        let o = self
            .pg("pg_ctl")
            .args(["-D", &self.data(), "-l", &log, "-w", "-o", &opts, "start"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }

    /// As a crash: no shutdown checkpoint, connections cut.
    pub fn kill(&self) {
        let o = self
            .pg("pg_ctl")
            .args(["-D", &self.data(), "-m", "immediate", "stop"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .pg("pg_ctl")
            .args(["-D", &self.data(), "-m", "immediate", "stop"])
            .output();
        // The directory goes with `dir`.
    }
}
