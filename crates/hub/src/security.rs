//! Security headers: a strict Content-Security-Policy for the app (computed from the built
//! `index.html`, whose inline bootstrap script Trunk emits is allowed by its SHA-256 hash
//! and nothing else inline is), a deny-everything policy for API responses, the usual
//! hardening headers on both, and CORS for clients served from other origins. Knows
//! nothing of the API's contents.

use axum::http::{header, HeaderName, HeaderValue, Method, Request};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use std::time::SystemTime;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The policy of the API's JSON: nothing may load, nothing may frame it.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// The `'sha256-…'` source of every inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let open = &rest[..open_end];
        let body_start = open_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else {
            break;
        };
        let body = &rest[body_start..body_start + close];
        if !open.contains("src=") && !body.is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
            out.push(format!("'sha256-{b64}'"));
        }
        rest = &rest[body_start + close..];
    }
    out
}

/// The app's Content-Security-Policy: same-origin everything, wasm compilation allowed,
/// the inline scripts of `index_html` allowed by hash, and `connect_src` added to the
/// places the app may sync with (for a CouchDB on another origin).
pub fn app_csp(index_html: &str, connect_src: &[String]) -> String {
    let mut script = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    script.extend(inline_script_hashes(index_html));
    let mut connect = vec!["'self'".to_owned()];
    connect.extend(connect_src.iter().cloned());
    format!(
        "default-src 'self'; script-src {}; style-src 'self'; img-src 'self' data: blob:; \
         font-src 'self'; connect-src {}; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        script.join(" "),
        connect.join(" ")
    )
}

/// A Content-Security-Policy: fixed, or the app's, recomputed whenever the built
/// `index.html` changes (a rebuild changes the inline script and so its hash).
pub enum Csp {
    /// Always this value.
    Fixed(HeaderValue),
    /// [`app_csp`] of this `index.html`.
    App {
        /// The built `index.html`.
        index: PathBuf,
        /// Extra `connect-src` sources.
        connect_src: Vec<String>,
        /// The file's modification time when the value was computed, and the value.
        cache: Mutex<(Option<SystemTime>, HeaderValue)>,
    },
}

impl Csp {
    /// The policy for the app built at `index`.
    pub fn app(index: PathBuf, connect_src: Vec<String>) -> Self {
        let csp = Csp::App {
            index,
            connect_src,
            cache: Mutex::new((None, HeaderValue::from_static("default-src 'self'"))),
        };
        csp.current();
        csp
    }

    /// The policy now.
    pub fn current(&self) -> HeaderValue {
        match self {
            Csp::Fixed(v) => v.clone(),
            Csp::App {
                index,
                connect_src,
                cache,
            } => {
                let mtime = std::fs::metadata(index).and_then(|m| m.modified()).ok();
                let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
                if cache.0.is_none() || cache.0 != mtime {
                    let html = std::fs::read_to_string(index).unwrap_or_default();
                    if let Ok(v) = HeaderValue::from_str(&app_csp(&html, connect_src)) {
                        *cache = (mtime, v);
                    }
                }
                cache.1.clone()
            }
        }
    }
}

/// Adds `csp` and the hardening headers to every response.
pub async fn headers(csp: Arc<Csp>, req: Request<axum::body::Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, csp.current());
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        // The roster scans volunteer QR cards with the camera; nothing else is allowed.
        HeaderValue::from_static("camera=(self), microphone=(), geolocation=()"),
    );
    res
}

/// CORS for the API, allowing credentials from exactly `origins` (none: no CORS layer).
pub fn cors(origins: &[String]) -> Option<CorsLayer> {
    let values: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    if values.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(values))
            .allow_credentials(true)
            .allow_methods([
                Method::GET,
                Method::HEAD,
                Method::POST,
                Method::PUT,
                Method::DELETE,
            ])
            .allow_headers([
                header::ACCEPT,
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_MATCH,
            ])
            .max_age(Duration::from_secs(3600)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<script type="module">alert(1)</script><script src="/a.js"></script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hashes[0],
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
        let csp = app_csp(html, &["https://couch.example".into()]);
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
        assert!(csp.contains("connect-src 'self' https://couch.example"));
    }

    #[test]
    fn app_policy_follows_a_rebuilt_index() {
        let dir = tempfile::tempdir().unwrap();
        let index = dir.path().join("index.html");
        std::fs::write(&index, "<script>one()</script>").unwrap();
        let csp = Csp::app(index.clone(), vec![]);
        let first = csp.current();
        assert_eq!(csp.current(), first);
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&index, "<script>two()</script>").unwrap();
        let second = csp.current();
        assert_ne!(first, second);
        let two = inline_script_hashes("<script>two()</script>").remove(0);
        assert!(second.to_str().unwrap().contains(&two));
    }
}
