//! The remote database over HTTP: `fetch` with `credentials: "include"` (the session
//! cookie), JSON in and out, a timeout per request, and traffic figures. Knows the
//! CouchDB endpoints by path only; the protocol's order of calls is in `push`/`pull`.

use super::batch::Exchange;
use super::SyncError;
use serde::{de::DeserializeOwned, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestCredentials, RequestInit, RequestMode, Response};

/// How long one request may take, body included, before it counts as a dropped link.
/// Long enough for a 100-document batch (~100 KB) at a few KB/s on a weak 2G signal.
/// Batches only grow on a link that moved the last one fast (`sync::batch`); if that link
/// then fails, the run fails and the next one starts small again.
const REQUEST_TIMEOUT_MS: u32 = 60_000;

/// Requests and bytes exchanged with a remote (shared by clones), and each request's
/// bytes and time since the replicator last took them (the batch-size rule learns the
/// link from them).
#[derive(Debug, Default)]
pub struct Traffic {
    requests: Cell<u32>,
    sent: Cell<u64>,
    received: Cell<u64>,
    exchanges: RefCell<Vec<Exchange>>,
}

/// A remote CouchDB-compatible database, e.g. `https://hq.example/couch/station_330106001`.
#[derive(Debug, Clone)]
pub struct Remote {
    url: String,
    traffic: Rc<Traffic>,
}

impl Remote {
    /// The database at `url` (no trailing slash needed).
    pub fn new(url: &str) -> Self {
        Self {
            url: url.trim_end_matches('/').to_owned(),
            traffic: Rc::default(),
        }
    }

    /// The database's URL, as used in the replication id.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Requests made so far through this remote (and its clones).
    pub fn requests(&self) -> u32 {
        self.traffic.requests.get()
    }

    /// Request and response body bytes so far (UTF-8 text as sent and received).
    pub fn bytes(&self) -> (u64, u64) {
        (self.traffic.sent.get(), self.traffic.received.get())
    }

    /// The requests finished since the last call: bytes both ways and milliseconds each.
    pub(crate) fn take_exchanges(&self) -> Vec<Exchange> {
        self.traffic.exchanges.take()
    }

    /// Creates the database if it does not exist (PouchDB's `create_target`). The hub
    /// refuses to create databases; its stations are made by `yehua-hub station add`.
    pub async fn ensure_exists(&self) -> Result<(), SyncError> {
        if self.get_opt::<serde_json::Value>("").await?.is_some() {
            return Ok(());
        }
        match self.send_raw("PUT", "", None).await? {
            // 412: created meanwhile by someone else.
            (s, _) if (200..300).contains(&s) || s == 412 => Ok(()),
            (s, text) => Err(SyncError::from_status(s, "create database", &text)),
        }
    }

    /// The database's information (`GET /db`: `doc_count`, `update_seq`, …).
    pub async fn info(&self) -> Result<serde_json::Value, SyncError> {
        self.get("").await
    }

    pub(crate) async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, SyncError> {
        let text = self.send("GET", path, None).await?;
        parse(path, &text)
    }

    /// GET that maps 404 to `None` (a checkpoint never written).
    pub(crate) async fn get_opt<T: DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Option<T>, SyncError> {
        match self.send_raw("GET", path, None).await? {
            (404, _) => Ok(None),
            (s, text) if (200..300).contains(&s) => parse(path, &text).map(Some),
            (s, text) => Err(SyncError::from_status(s, path, &text)),
        }
    }

    pub(crate) async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, SyncError> {
        self.with_body("POST", path, body).await
    }

    pub(crate) async fn put<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, SyncError> {
        self.with_body("PUT", path, body).await
    }

    async fn with_body<B: Serialize, T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: &B,
    ) -> Result<T, SyncError> {
        let body = serde_json::to_string(body).map_err(|e| SyncError::Protocol(e.to_string()))?;
        let text = self.send(method, path, Some(&body)).await?;
        parse(path, &text)
    }

    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Result<String, SyncError> {
        match self.send_raw(method, path, body).await? {
            (s, text) if (200..300).contains(&s) => Ok(text),
            (s, text) => Err(SyncError::from_status(s, path, &text)),
        }
    }

    /// One request: `path` is relative to the database (`_changes?...`, `_local/x`, or ``).
    async fn send_raw(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> Result<(u16, String), SyncError> {
        let url = if path.is_empty() {
            self.url.clone()
        } else {
            format!("{}/{path}", self.url)
        };
        self.traffic.requests.set(self.traffic.requests.get() + 1);
        let sent = body.map_or(0, |b| b.len() as u64);
        self.traffic.sent.set(self.traffic.sent.get() + sent);
        let started = js_sys::Date::now();
        let (status, text) = fetch_text(method, &url, body).await?;
        self.traffic
            .received
            .set(self.traffic.received.get() + text.len() as u64);
        let mut exchanges = self.traffic.exchanges.borrow_mut();
        if exchanges.len() >= 64 {
            // Nobody is measuring batches on this remote now: keep only the latest.
            exchanges.remove(0);
        }
        exchanges.push(Exchange {
            bytes: sent + text.len() as u64,
            ms: js_sys::Date::now() - started,
        });
        drop(exchanges);
        Ok((status, text))
    }
}

impl Remote {
    /// The bytes of attachment `name` of document `id` (`GET /db/{id}/{name}`).
    pub async fn attachment(&self, id: &str, name: &str) -> Result<Vec<u8>, SyncError> {
        let path = format!("{}/{name}", encode(id));
        let url = format!("{}/{path}", self.url);
        self.count(0);
        let started = js_sys::Date::now();
        let response = fetch("GET", &url, None, "*/*").await?;
        let status = response.status();
        let buffer = JsFuture::from(response.array_buffer().map_err(js_unreachable)?)
            .await
            .map_err(js_unreachable)?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        self.counted(0, bytes.len() as u64, started);
        if !(200..300).contains(&status) {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            return Err(SyncError::from_status(status, &path, &text));
        }
        Ok(bytes)
    }

    /// `PUT /db/{id}?new_edits=false` as `multipart/related` (CouchDB's replicator's form):
    /// the JSON document (its attachments in `parts` marked `"follows": true`), then each
    /// part's bytes, binary, in the order of `parts` (the JSON's order, bound by filename
    /// too). The body is assembled as a browser `Blob`, so the photo's bytes are never
    /// copied into the wasm memory. Returns the bytes the body carried.
    pub(crate) async fn put_related(
        &self,
        id: &str,
        doc: &serde_json::Value,
        parts: &[(String, web_sys::Blob)],
    ) -> Result<u64, SyncError> {
        let boundary = format!("yehua-{:x}", (js_sys::Math::random() * 1e15) as u64);
        let pieces = js_sys::Array::new();
        let json = serde_json::to_string(doc).map_err(|e| SyncError::Protocol(e.to_string()))?;
        pieces
            .push(&format!("--{boundary}\r\nContent-Type: application/json\r\n\r\n{json}").into());
        for (name, blob) in parts {
            pieces.push(
                &format!(
                    "\r\n--{boundary}\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n\
                     Content-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n",
                    blob.size() as u64
                )
                .into(),
            );
            pieces.push(blob);
        }
        pieces.push(&format!("\r\n--{boundary}--").into());
        let body = web_sys::Blob::new_with_blob_sequence(&pieces).map_err(js_unreachable)?;
        let size = body.size() as u64;
        let path = format!("{}?new_edits=false", encode(id));
        let url = format!("{}/{path}", self.url);
        self.count(size);
        let started = js_sys::Date::now();
        let ctype = format!("multipart/related; boundary=\"{boundary}\"");
        let response = fetch("PUT", &url, Some((&body, &ctype)), "application/json").await?;
        let status = response.status();
        let text = text_of(&response).await?;
        self.counted(size, text.len() as u64, started);
        if !(200..300).contains(&status) {
            return Err(SyncError::from_status(status, &path, &text));
        }
        Ok(size)
    }

    fn count(&self, sent: u64) {
        self.traffic.requests.set(self.traffic.requests.get() + 1);
        self.traffic.sent.set(self.traffic.sent.get() + sent);
    }

    fn counted(&self, sent: u64, received: u64, started: f64) {
        self.traffic
            .received
            .set(self.traffic.received.get() + received);
        let mut exchanges = self.traffic.exchanges.borrow_mut();
        if exchanges.len() >= 64 {
            exchanges.remove(0);
        }
        exchanges.push(Exchange {
            bytes: sent + received,
            ms: js_sys::Date::now() - started,
        });
    }
}

/// A document id as one path segment.
fn encode(id: &str) -> String {
    String::from(js_sys::encode_uri_component(id))
}

/// One binary request: `body` is a `Blob` with its content type; the raw response.
async fn fetch(
    method: &str,
    url: &str,
    body: Option<(&web_sys::Blob, &str)>,
    accept: &str,
) -> Result<Response, SyncError> {
    let window = web_sys::window().ok_or_else(|| SyncError::Unreachable("no window".into()))?;
    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Include);
    if let Some((b, _)) = body {
        init.set_body(b);
    }
    let controller = AbortController::new().map_err(js_unreachable)?;
    init.set_signal(Some(&controller.signal()));
    let request = Request::new_with_str_and_init(url, &init).map_err(js_unreachable)?;
    let headers = request.headers();
    headers.set("Accept", accept).map_err(js_unreachable)?;
    if let Some((_, ctype)) = body {
        headers.set("Content-Type", ctype).map_err(js_unreachable)?;
    }
    let _timeout = gloo_timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || {
        controller.abort();
    });
    Ok(JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(js_unreachable)?
        .unchecked_into())
}

/// Signs in at `server` (e.g. `https://hq.example/couch`) with CouchDB's cookie session
/// (`POST /_session`) and returns the account's roles (`cadre:<code>`, `hq:<code>`,
/// `_admin`). The password is sent once and not kept; the browser keeps the HttpOnly
/// cookie and sends it with every later request.
pub async fn login(server: &str, name: &str, password: &str) -> Result<Vec<String>, SyncError> {
    let url = format!("{}/_session", server.trim_end_matches('/'));
    let body = serde_json::json!({"name": name, "password": password}).to_string();
    #[derive(serde::Deserialize)]
    struct Answer {
        #[serde(default)]
        roles: Vec<String>,
    }
    match fetch_text("POST", &url, Some(&body)).await? {
        (s, text) if (200..300).contains(&s) => {
            Ok(parse::<Answer>("_session", &text).map_or_else(|_| Vec::new(), |a| a.roles))
        }
        (s, text) => Err(SyncError::from_status(s, "_session", &text)),
    }
}

/// The databases the signed-in user may read at `server` (`GET /_all_dbs`).
pub async fn all_dbs(server: &str) -> Result<Vec<String>, SyncError> {
    let url = format!("{}/_all_dbs", server.trim_end_matches('/'));
    match fetch_text("GET", &url, None).await? {
        (s, text) if (200..300).contains(&s) => parse("_all_dbs", &text),
        (s, text) => Err(SyncError::from_status(s, "_all_dbs", &text)),
    }
}

/// Ends the session at `server` (`DELETE /_session`); the cookie is cleared.
pub async fn logout(server: &str) -> Result<(), SyncError> {
    let url = format!("{}/_session", server.trim_end_matches('/'));
    match fetch_text("DELETE", &url, None).await? {
        (s, _) if (200..300).contains(&s) => Ok(()),
        (s, text) => Err(SyncError::from_status(s, "_session", &text)),
    }
}

/// Sends `blob` (a picked file, never copied into the wasm memory) with `content_type`;
/// the status and the answer's text.
pub(crate) async fn send_blob(
    method: &str,
    url: &str,
    blob: &web_sys::Blob,
    content_type: &str,
) -> Result<(u16, String), SyncError> {
    let response = fetch(method, url, Some((blob, content_type)), "application/json").await?;
    Ok((response.status(), text_of(&response).await?))
}

pub(crate) async fn fetch_text(
    method: &str,
    url: &str,
    body: Option<&str>,
) -> Result<(u16, String), SyncError> {
    let window = web_sys::window().ok_or_else(|| SyncError::Unreachable("no window".into()))?;
    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Include);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(b));
    }
    let controller = AbortController::new().map_err(js_unreachable)?;
    init.set_signal(Some(&controller.signal()));
    let request = Request::new_with_str_and_init(url, &init).map_err(js_unreachable)?;
    let headers = request.headers();
    headers
        .set("Accept", "application/json")
        .map_err(js_unreachable)?;
    if body.is_some() {
        headers
            .set("Content-Type", "application/json")
            .map_err(js_unreachable)?;
    }
    // Aborts the request (and its body stream) if the link stalls; dropped when done.
    let _timeout = gloo_timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || {
        controller.abort();
    });
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(js_unreachable)?
        .unchecked_into();
    Ok((response.status(), text_of(&response).await?))
}

/// The text of an answer's body (empty if it has none).
async fn text_of(response: &Response) -> Result<String, SyncError> {
    Ok(JsFuture::from(response.text().map_err(js_unreachable)?)
        .await
        .map_err(js_unreachable)?
        .as_string()
        .unwrap_or_default())
}

fn parse<T: DeserializeOwned>(path: &str, text: &str) -> Result<T, SyncError> {
    serde_json::from_str(text).map_err(|e| {
        let head: String = text.chars().take(200).collect();
        SyncError::Protocol(format!("{path}: {e}: {head}"))
    })
}

fn js_unreachable(e: JsValue) -> SyncError {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    SyncError::Unreachable(text)
}
