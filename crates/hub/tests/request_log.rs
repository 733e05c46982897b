//! The real binary's request log on stderr: one line per request with its method, path,
//! status and milliseconds — and never a password, a cookie, an Authorization header or a
//! query string.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_yehua-hub");

#[test]
fn each_request_is_logged_without_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("index.html"), "<!doctype html>").unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path().join("data"))
        .arg("--app")
        .arg(&app)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let out = BufReader::new(child.stdout.take().unwrap());
    let err = BufReader::new(child.stderr.take().unwrap());
    let t = tx.clone();
    std::thread::spawn(move || {
        out.lines()
            .map_while(Result::ok)
            .for_each(|l| _ = t.send(l))
    });
    std::thread::spawn(move || {
        err.lines()
            .map_while(Result::ok)
            .for_each(|l| _ = tx.send(l))
    });
    let mut seen = Vec::new();
    let base = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the hub printed its address");
        seen.push(line.clone());
        if let Some(rest) = line.split("on http://").nth(1) {
            break format!("http://{}", rest.trim_end_matches('/'));
        }
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    // A wrong password in the Authorization header, a cookie, and a query string.
    let answer = agent
        .get(format!(
            "{base}/couch/_session?password=hunter2-in-the-query"
        ))
        .header("Authorization", "Basic ZGVtbzp3cm9uZy1wYXNzd29yZC14eXo=")
        .header("Cookie", "AuthSession=cookie-secret-abc")
        .call()
        .unwrap();
    let status = answer.status().as_u16();
    let logged = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("a log line for the request");
        seen.push(line.clone());
        if line.contains("path=/couch/_session") && line.contains("status=") {
            break line;
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    while let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
        seen.push(line);
    }
    assert!(logged.contains("method=GET"), "{logged}");
    assert!(logged.contains(&format!("status={status}")), "{logged}");
    assert!(
        logged.contains("latency=") && logged.contains("ms"),
        "{logged}"
    );
    let all = seen.join("\n");
    for secret in [
        "hunter2",
        "ZGVtbzp3cm9uZy1wYXNzd29yZC14eXo",
        "wrong-password",
        "cookie-secret",
    ] {
        assert!(!all.contains(secret), "the log shows {secret}:\n{all}");
    }
}
