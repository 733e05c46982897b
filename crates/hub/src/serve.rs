//! The HTTP listener: static app files with the right cache headers and compression.
//! Hashed assets are immutable; `index.html` and the service worker are never cached.

use axum::http::{header, HeaderValue, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The app folder has no index.html (the app was not built).
    #[error("no index.html in {0} — build the app first (trunk build --release)")]
    NoApp(PathBuf),
    /// The data folder could not be created.
    #[error("cannot create data folder {0}: {1}")]
    Data(PathBuf, std::io::Error),
    /// The address could not be bound or served.
    #[error("cannot listen on {0}: {1}")]
    Listen(SocketAddr, std::io::Error),
}

/// The router for the built app in `app`.
pub fn app_router(app: &Path) -> Router {
    let index = app.join("index.html");
    let files = ServeDir::new(app).fallback(ServeFile::new(index));
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_headers))
        .layer(CompressionLayer::new())
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

/// Serves until interrupted.
pub async fn run(data: &Path, listen: SocketAddr, app: &Path) -> Result<(), ServeError> {
    if !app.join("index.html").is_file() {
        return Err(ServeError::NoApp(app.to_owned()));
    }
    std::fs::create_dir_all(data).map_err(|e| ServeError::Data(data.to_owned(), e))?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| ServeError::Listen(listen, e))?;
    println!("yehua-hub: serving {} on http://{listen}/", app.display());
    axum::serve(listener, app_router(app))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| ServeError::Listen(listen, e))
}
