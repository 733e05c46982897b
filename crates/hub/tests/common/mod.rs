//! Test support: a real hub on a random loopback port with a temporary data folder, and
//! a tiny blocking HTTP client that returns the status and the JSON body of any answer.

#![allow(dead_code)]

use base64::Engine as _;
use hub::couch::{ApiConfig, Hub};
use hub::serve::{ConnLimits, ServeConfig};
use hub::store::{accounts::Station, Store};
use serde_json::Value;
use std::sync::Arc;

/// A running hub.
pub struct TestHub {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The shared state (for in-process dispatch).
    pub hub: Arc<Hub>,
    /// The data folder (deleted on drop).
    pub dir: tempfile::TempDir,
    agent: ureq::Agent,
    _rt: tokio::runtime::Runtime,
}

/// Password of every test user.
pub const PW: &str = "password-1";

/// Starts a hub with stations 33 (county) > 3301 (township) > 330101, 330102 (villages)
/// and users: `a` (cadre of 330101), `b` (cadre of 330102), `hq` (hq of 3301),
/// `admin` (admin).
pub fn start() -> TestHub {
    start_with(ApiConfig::default())
}

/// [`start`] with API limits.
pub fn start_with(api: ApiConfig) -> TestHub {
    start_limited(api, ConnLimits::default())
}

/// [`start`] with API and connection limits.
pub fn start_limited(api: ApiConfig, conn: ConnLimits) -> TestHub {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("store");
    for (code, parent, level) in [
        ("33", None, "county"),
        ("3301", Some("33"), "township"),
        ("330101", Some("3301"), "village"),
        ("330102", Some("3301"), "village"),
    ] {
        let st = Station {
            code: code.into(),
            name: format!("站{code}"),
            parent: parent.map(Into::into),
            level: level.into(),
        };
        store
            .write_blocking(|tx| hub::admin::add_station(tx, &st))
            .expect("station");
    }
    for (name, station, role) in [
        ("a", "330101", "cadre"),
        ("b", "330102", "cadre"),
        ("hq", "3301", "hq"),
        ("admin", "33", "admin"),
    ] {
        hub::admin::add_user(&store, name, station, role, PW).expect("user");
    }
    let cfg = ServeConfig {
        data: dir.path().to_owned(),
        listen: "127.0.0.1:0".parse().unwrap(),
        app: None,
        cors_origins: vec!["http://app.example".into()],
        connect_src: vec![],
        api: api.clone(),
        conn,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let hub = Hub::new(store, api);
    let router = hub::serve::router(Arc::clone(&hub), &cfg);
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(cfg.listen))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    // The server `yehua-hub serve` runs: the same accept loop and limits.
    rt.spawn(async move {
        hub::serve::serve_on(listener, router, &cfg.conn, std::future::pending()).await;
    });
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    TestHub {
        base: format!("http://{addr}"),
        hub,
        dir,
        agent,
        _rt: rt,
    }
}

/// A response: status, headers we care about, JSON body (Null if none or not JSON).
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub body: Value,
    pub set_cookie: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Basic credentials of a test user.
pub fn basic(user: &str) -> String {
    basic_pw(user, PW)
}

/// Basic credentials with a given password.
pub fn basic_pw(user: &str, pw: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pw}"));
    format!("Basic {b64}")
}

impl TestHub {
    /// Sends a request; `auth` is a full Authorization or Cookie header value.
    pub fn req(&self, method: &str, path: &str, auth: Option<&str>, body: Option<&str>) -> Res {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = auth {
            let name = if a.starts_with("AuthSession=") {
                "Cookie"
            } else {
                "Authorization"
            };
            headers.push((name, a));
        }
        self.send(method, path, &headers, body.unwrap_or(""))
    }

    /// Sends a request with exactly these headers.
    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Res {
        const URI: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b'[')
            .add(b']')
            .add(b'{')
            .add(b'}')
            .add(b'<')
            .add(b'>');
        let url = format!(
            "{}{}",
            self.base,
            percent_encoding::utf8_percent_encode(path, URI)
        );
        let (status, headers, bytes) = self.run(method, &url, headers, body.as_bytes());
        let set_cookie = headers
            .iter()
            .find(|(k, _)| k == "set-cookie")
            .map(|(_, v)| v.clone());
        Res {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            set_cookie,
            headers,
        }
    }

    /// One request to `url`: the status, the headers and the body's bytes.
    fn run(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut b = ureq::http::Request::builder().method(method).uri(url);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let mut res = self
            .agent
            .run(b.body(body.to_vec()).unwrap())
            .expect("request");
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let bytes = res
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_default();
        (res.status().as_u16(), headers, bytes)
    }

    /// Sends a binary body as user `user` with `headers`; the status, the headers and the
    /// body's bytes.
    pub fn raw(
        &self,
        method: &str,
        path: &str,
        user: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let auth = basic(user);
        let mut all = vec![("Authorization", auth.as_str())];
        all.extend_from_slice(headers);
        self.run(method, &format!("{}{}", self.base, path), &all, body)
    }

    pub fn get(&self, path: &str, user: &str) -> Res {
        self.req("GET", path, Some(&basic(user)), None)
    }

    pub fn put(&self, path: &str, user: &str, body: &Value) -> Res {
        self.req("PUT", path, Some(&basic(user)), Some(&body.to_string()))
    }

    pub fn post(&self, path: &str, user: &str, body: &Value) -> Res {
        self.req("POST", path, Some(&basic(user)), Some(&body.to_string()))
    }

    pub fn delete(&self, path: &str, user: &str) -> Res {
        self.req("DELETE", path, Some(&basic(user)), None)
    }
}

/// The database of station `code`.
pub fn db(code: &str) -> String {
    format!("/couch/station_{code}")
}

/// The row of station `code` in an answer of `GET /couch/_yehua/status`.
pub fn status_row<'a>(answer: &'a Value, code: &str) -> &'a Value {
    answer["stations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no row {code} in {answer}"))
}
