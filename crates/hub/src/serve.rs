//! The HTTP listener: the CouchDB-compatible API under `/couch/` and the built app at
//! `/` — hashed assets immutable, `index.html` and the service worker never cached,
//! brotli/gzip compression, security headers. On a fresh data folder it creates the demo
//! station and user. Owns wiring only: the API is `couch`, storage is `store`, sockets and
//! connection limits are `serve/listen.rs`.

pub mod listen;

pub use listen::{serve_on, ConnLimits};

use crate::couch::{ApiConfig, Hub};
use crate::security;
use crate::store::{accounts, Store, StoreError};
use axum::http::{header, HeaderValue, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

/// The demo station created on first start.
pub const DEMO_STATION: &str = "330106001";
/// The demo station's name.
pub const DEMO_STATION_NAME: &str = "示范村新时代文明实践站";
/// The demo user's name.
pub const DEMO_USER: &str = "demo";
/// The demo user's password (documented in README; change it on a real hub).
pub const DEMO_PASSWORD: &str = "yehua-demo";

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The app folder has no index.html (the app was not built).
    #[error("no index.html in {0} — build the app first (trunk build --release)")]
    NoApp(PathBuf),
    /// The data folder or database could not be opened.
    #[error("cannot open the data folder: {0}")]
    Store(#[from] StoreError),
    /// The address could not be bound or served.
    #[error("cannot listen on {0}: {1}")]
    Listen(SocketAddr, std::io::Error),
    /// The demo station or user could not be created.
    #[error("cannot create the demo station and user: {0}")]
    Admin(#[from] crate::admin::AdminError),
}

/// Everything `serve` needs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// Folder for the hub's data.
    pub data: PathBuf,
    /// Address to listen on (port 0: any free port).
    pub listen: SocketAddr,
    /// The built app (Trunk's dist/), if any.
    pub app: Option<PathBuf>,
    /// Origins allowed to call the API from a browser (CORS with credentials).
    pub cors_origins: Vec<String>,
    /// Extra `connect-src` sources for the app's CSP (a CouchDB elsewhere).
    pub connect_src: Vec<String>,
    /// API limits.
    pub api: ApiConfig,
    /// Connection limits: the header deadline and the cap on open connections.
    pub conn: ConnLimits,
}

/// The whole router: API under `/couch`, the app (if any) everywhere else.
pub fn router(hub: Arc<Hub>, cfg: &ServeConfig) -> Router {
    let api_csp = Arc::new(security::Csp::Fixed(HeaderValue::from_static(
        security::API_CSP,
    )));
    let mut api = Router::new()
        .route("/couch", any(Hub::handle))
        .route("/couch/", any(Hub::handle))
        .route("/couch/{*rest}", any(Hub::handle))
        .with_state(hub)
        .layer(middleware::from_fn(move |req, next| {
            security::headers(Arc::clone(&api_csp), req, next)
        }));
    if let Some(cors) = security::cors(&cfg.cors_origins) {
        api = api.layer(cors);
    }
    let router = match &cfg.app {
        Some(app) => api.merge(app_router(app, &cfg.connect_src)),
        None => api,
    };
    // A bug must cost one request a 500, never the connection or a worker.
    // The request log: one line per request with method, path (never the query, which
    // may carry a password), status and milliseconds; headers are never logged (no
    // cookie, no Authorization).
    let log = TraceLayer::new_for_http()
        .make_span_with(|req: &Request<axum::body::Body>| {
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
        })
        .on_request(())
        .on_response(
            DefaultOnResponse::new()
                .level(tracing::Level::INFO)
                .latency_unit(LatencyUnit::Millis),
        )
        .on_body_chunk(())
        .on_eos(())
        .on_failure(());
    router
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::new())
        .layer(log)
}

/// The router for the built app in `app`.
pub fn app_router(app: &Path, connect_src: &[String]) -> Router {
    let index = app.join("index.html");
    let csp = Arc::new(security::Csp::app(index.clone(), connect_src.to_vec()));
    // The build writes NAME.br and NAME.gz beside each text file (scripts/precompress.mjs):
    // sent as they are, they are smaller than compressing on the fly and cost no CPU.
    let files = ServeDir::new(app)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(index)
                .precompressed_br()
                .precompressed_gzip(),
        );
    let root = app.to_path_buf();
    Router::new()
        .fallback_service(files)
        // The answer depends on Accept-Encoding (a .br or .gz copy, or the file), so a cache
        // between the hub and the phone must key on it.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        .layer(middleware::from_fn(move |req, next| {
            missing_file_is_404(root.clone(), req, next)
        }))
        .layer(middleware::from_fn(cache_headers))
        .layer(middleware::from_fn(move |req, next| {
            security::headers(Arc::clone(&csp), req, next)
        }))
}

/// App routes (`/forums/…`) fall back to index.html, but a missing *file* (a name with an
/// extension, such as an old `sw.js` or a stale hashed asset) is a 404, never HTML that a
/// browser would try to run as a script.
async fn missing_file_is_404(
    root: std::path::PathBuf,
    req: Request<axum::body::Body>,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let name = path.rsplit('/').next().unwrap_or_default();
    let relative = path.trim_start_matches('/');
    let escapes = relative.split('/').any(|s| s == "..");
    if name.contains('.') && (escapes || !root.join(relative).is_file()) {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    next.run(req).await
}

async fn cache_headers(req: Request<axum::body::Body>, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let name = path.rsplit('/').next().unwrap_or_default();
    let hashed = name.contains('-')
        && (name.ends_with(".wasm") || name.ends_with(".js") || name.ends_with(".css"));
    let value = if hashed && name != "sw.js" {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// Creates the demo station and user if the data folder is fresh; true if it did.
pub fn seed_demo(store: &Store) -> Result<bool, ServeError> {
    if !store.read_blocking(|tx| accounts::is_empty(tx))? {
        return Ok(false);
    }
    store.write_blocking(|tx| {
        crate::admin::add_station(
            tx,
            &accounts::Station {
                code: DEMO_STATION.into(),
                name: DEMO_STATION_NAME.into(),
                parent: None,
                level: "village".into(),
            },
        )
    })?;
    crate::admin::add_user(store, DEMO_USER, DEMO_STATION, "cadre", DEMO_PASSWORD)?;
    Ok(true)
}

/// Binds, prints the address, and serves until interrupted.
pub async fn run(cfg: ServeConfig) -> Result<(), ServeError> {
    if let Some(app) = &cfg.app {
        if !app.join("index.html").is_file() {
            return Err(ServeError::NoApp(app.clone()));
        }
    }
    let store = Store::open(&cfg.data)?;
    if seed_demo(&store)? {
        println!(
            "yehua-hub: new data folder — created demo station {DEMO_STATION} ({DEMO_STATION_NAME}) \
             and user `{DEMO_USER}` with password `{DEMO_PASSWORD}`; log in with them, then change it \
             with `yehua-hub user add {DEMO_USER} --station {DEMO_STATION}`"
        );
    }
    let hub = Hub::new(store, cfg.api.clone());
    hub.warm_status();
    let listener = tokio::net::TcpListener::bind(cfg.listen)
        .await
        .map_err(|e| ServeError::Listen(cfg.listen, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Listen(cfg.listen, e))?;
    match &cfg.app {
        Some(app) => println!("yehua-hub: serving {} on http://{addr}/", app.display()),
        None => println!("yehua-hub: serving the API on http://{addr}/"),
    }
    println!("yehua-hub: sync API at http://{addr}/couch/");
    // More descriptors, more connections: `serve_on` fits the cap to the limit in force.
    let conn = match listen::raise_open_file_limit() {
        Ok(open_files) => cfg.conn.fitted(open_files),
        Err(e) => {
            tracing::warn!("cannot raise the open-file limit: {e}");
            cfg.conn.clone()
        }
    };
    println!(
        "yehua-hub: at most {} connections at once; request headers within {} s",
        conn.max_connections,
        conn.header_timeout.as_secs_f64()
    );
    let app = router(hub, &cfg);
    serve_on(listener, app, &conn, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    Ok(())
}
