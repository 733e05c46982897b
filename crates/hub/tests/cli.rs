//! The real binary: `station add`, `user add` (password on stdin), `serve` on a random
//! port with the demo seed, `check`, and the crash test — kill -9 during a stream of
//! `_bulk_docs`, restart, and find the file intact with exactly the acknowledged batches.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_yehua-hub");

fn run(args: &[&str], stdin: &str) -> (bool, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// Starts `serve` on a free port; returns the child, its base URL and its first lines.
fn serve(data: &Path) -> (Child, String, String) {
    let app = data.with_extension("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(
        app.join("index.html"),
        "<!doctype html><script type=module>1</script>",
    )
    .unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data)
        .arg("--app")
        .arg(&app)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the hub exited before printing its address: {seen}");
        };
        seen.push_str(&line);
        seen.push('\n');
        if let Some(rest) = line.split("on http://").nth(1) {
            let base = format!("http://{}", rest.trim_end_matches('/'));
            // Keep draining stdout so the hub never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines {});
            return (child, base, seen);
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

fn call(
    method: &str,
    url: &str,
    auth: (&str, &str),
    body: Option<&Value>,
) -> Result<(u16, Value), String> {
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", auth.0, auth.1));
    let req = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .header("Authorization", format!("Basic {token}"))
        .header("Content-Type", "application/json")
        .body(body.map(Value::to_string).unwrap_or_default())
        .unwrap();
    let mut res = agent().run(req).map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let text = res
        .body_mut()
        .with_config()
        .limit(1 << 26)
        .read_to_string()
        .map_err(|e| e.to_string())?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

#[test]
fn fresh_folder_gets_the_demo_and_cli_manages_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut child, base, seen) = serve(&data);
    assert!(
        seen.contains("demo") && seen.contains("yehua-demo"),
        "{seen}"
    );
    let (status, body) = call(
        "GET",
        &format!("{base}/couch/_all_dbs"),
        ("demo", "yehua-demo"),
        None,
    )
    .unwrap();
    assert_eq!((status, body), (200, json!(["station_330106001"])));
    child.kill().unwrap();
    child.wait().unwrap();

    let d = data.to_str().unwrap();
    let (ok, out) = run(
        &[
            "station", "add", "3301", "--name", "镇", "--level", "township", "--data", d,
        ],
        "",
    );
    assert!(ok, "{out}");
    let (ok, out) = run(
        &[
            "station", "add", "330102", "--name", "村", "--parent", "9999", "--data", d,
        ],
        "",
    );
    assert!(!ok && out.contains("no station"), "{out}");
    let (ok, out) = run(
        &["station", "add", "Bad Code", "--name", "x", "--data", d],
        "",
    );
    assert!(!ok, "{out}");
    let (ok, out) = run(
        &[
            "user",
            "add",
            "zhang",
            "--station",
            "3301",
            "--role",
            "hq",
            "--data",
            d,
        ],
        "short\n",
    );
    assert!(!ok && out.contains("at least"), "{out}");
    let (ok, out) = run(
        &[
            "user",
            "add",
            "zhang",
            "--station",
            "3301",
            "--role",
            "boss",
            "--data",
            d,
        ],
        "long enough\n",
    );
    assert!(!ok && out.contains("unknown role"), "{out}");
    let (ok, out) = run(
        &[
            "user",
            "add",
            "zhang",
            "--station",
            "3301",
            "--role",
            "hq",
            "--data",
            d,
        ],
        "长长的密码 ok\n",
    );
    assert!(ok, "{out}");
    let (ok, out) = run(&["check", "--data", d], "");
    assert!(ok && out.contains("ok"), "{out}");

    let (mut child, base, seen) = serve(&data);
    assert!(!seen.contains("demo station"), "no second seed: {seen}");
    let (status, body) = call(
        "GET",
        &format!("{base}/couch/_all_dbs"),
        ("zhang", "长长的密码 ok"),
        None,
    )
    .unwrap();
    assert_eq!((status, body), (200, json!(["station_3301"])));
    let (status, _) = call(
        "GET",
        &format!("{base}/couch/_all_dbs"),
        ("zhang", "wrong"),
        None,
    )
    .unwrap();
    assert_eq!(status, 401);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn kill_9_during_bulk_docs_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    assert!(
        run(
            &["station", "add", "990001", "--name", "测", "--data", d],
            ""
        )
        .0
    );
    assert!(
        run(
            &["user", "add", "w", "--station", "990001", "--data", d],
            "writer-pass\n"
        )
        .0
    );
    // Three rounds, each killed at a different point of the stream.
    for round in 0..3usize {
        crash_round(&data, round, 10 + 7 * round);
    }
}

fn crash_round(data: &Path, round: usize, after: usize) {
    const BATCH: usize = 50;
    let d = data.to_str().unwrap();
    let (mut child, base, _) = serve(data);
    let url = format!("{base}/couch/station_990001/_bulk_docs");

    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<usize>::new()));
    let writer = {
        let acked = acked.clone();
        std::thread::spawn(move || {
            for k in 0.. {
                let docs: Vec<Value> = (0..BATCH)
                    .map(|j| json!({"_id": format!("b{round}{k:05}-{j:02}"), "text": "夜话".repeat(40), "k": k}))
                    .collect();
                match call(
                    "POST",
                    &url,
                    ("w", "writer-pass"),
                    Some(&json!({"docs": docs})),
                ) {
                    Ok((201, _)) => acked.lock().unwrap().push(k),
                    _ => return k, // the batch in flight when the hub died
                }
            }
            unreachable!()
        })
    };
    while acked.lock().unwrap().len() < after {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let in_flight = writer.join().unwrap();
    let acked: BTreeSet<usize> = acked.lock().unwrap().iter().copied().collect();
    assert!(acked.len() >= after);

    let (ok, out) = run(&["check", "--data", d], "");
    assert!(ok && out.trim() == "ok", "integrity check: {out}");

    let (mut child, base, _) = serve(data);
    let (status, body) = call(
        "GET",
        &format!("{base}/couch/station_990001/_all_docs"),
        ("w", "writer-pass"),
        None,
    )
    .unwrap();
    assert_eq!(status, 200);
    let mut per_batch = std::collections::BTreeMap::<usize, usize>::new();
    for row in body["rows"].as_array().unwrap() {
        let id = row["id"].as_str().unwrap();
        if !id.starts_with(&format!("b{round}")) {
            continue;
        }
        let k: usize = id[2..7].parse().unwrap();
        *per_batch.entry(k).or_default() += 1;
    }
    for k in &acked {
        assert_eq!(
            per_batch.get(k),
            Some(&BATCH),
            "acknowledged batch {k} is complete"
        );
    }
    for (k, n) in &per_batch {
        assert!(
            acked.contains(k) || *k == in_flight,
            "batch {k} was never sent"
        );
        assert_eq!(*n, BATCH, "batch {k} is all or nothing");
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
