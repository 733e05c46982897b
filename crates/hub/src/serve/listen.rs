//! The accept loop: HTTP/1.1 connections served by hyper with a deadline for every
//! request's headers and a cap on open connections, each request carrying the peer's
//! `ConnectInfo<SocketAddr>`, and a graceful stop. Owns sockets, connection limits and the
//! open-file limit only; what a request does is the router's business (`serve.rs`).
//!
//! - **Header deadline.** hyper (1.12, `proto/h1/conn.rs`) starts the header-read timer
//!   when it begins reading a request head: when a connection opens, and again when a
//!   kept-alive connection goes idle after an answer. A client that sends headers too
//!   slowly, or sends nothing, is closed after `header_timeout` — so the same deadline
//!   ends idle keep-alive connections and needs no second timer.
//! - **Cap.** A connection is accepted only once one of `max_connections` slots is free;
//!   until then newcomers wait in the kernel's backlog and hold no file descriptor here.
//!   The cap never exceeds what the open-file limit allows ([`ConnLimits::fitted`]).
//! - **Stop.** When `shutdown` resolves, nothing new is accepted, idle connections close,
//!   requests in flight finish, and `serve_on` returns when every connection has closed.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower_http::add_extension::AddExtension;

/// File descriptors kept back from connections: the listener, the SQLite files (database,
/// WAL and shared memory for the writer and each reader), standard streams, the runtime.
pub const RESERVED_FDS: u64 = 128;

/// How many connections the hub serves at once and how long it waits for headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnLimits {
    /// Time a client has to send a request's headers, counted from when the connection
    /// opens or, on a kept-alive connection, from the end of the previous answer.
    pub header_timeout: Duration,
    /// Connections served at once; more wait, unaccepted, in the kernel's backlog.
    pub max_connections: usize,
}

impl Default for ConnLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(20),
            max_connections: 4096,
        }
    }
}

impl ConnLimits {
    /// These limits with the cap lowered to what `open_files` descriptors allow: each
    /// connection holds its socket and, while it sends one, a file of the app, so at most
    /// half of what is left after [`RESERVED_FDS`]; never below one.
    pub fn fitted(&self, open_files: u64) -> Self {
        let fit = open_files.saturating_sub(RESERVED_FDS) / 2;
        let fit = usize::try_from(fit).unwrap_or(usize::MAX);
        Self {
            header_timeout: self.header_timeout,
            max_connections: self.max_connections.min(fit).max(1),
        }
    }
}

/// Raises this process's soft open-file limit to its hard limit and returns the soft
/// limit now in force (`rlimit` does the system calls; on macOS it also respects
/// `kern.maxfilesperproc`).
pub fn raise_open_file_limit() -> io::Result<u64> {
    rlimit::increase_nofile_limit(u64::MAX)
}

/// The soft open-file limit in force, if the system tells.
fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        rlimit::Resource::NOFILE
            .get()
            .ok()
            .map(|(soft, _hard)| soft)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Serves `router` on `listener` within `limits` (the cap lowered to fit the open-file
/// limit in force) until `shutdown` resolves and every connection has closed.
/// Errors of single connections (a reset, a header timeout) end only that connection.
pub async fn serve_on(
    listener: TcpListener,
    router: Router,
    limits: &ConnLimits,
    shutdown: impl Future<Output = ()>,
) {
    let limits = match open_file_limit() {
        Some(n) => limits.fitted(n),
        None => limits.clone(),
    };
    // acquire_many takes a u32: more connections than that never fit in a process anyway.
    let slots_total = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let slots = Arc::new(Semaphore::new(slots_total as usize));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // Take a slot first: while none is free, newcomers stay in the kernel's backlog.
        let permit = tokio::select! {
            biased;
            () = &mut shutdown => break,
            p = Arc::clone(&slots).acquire_owned() => match p {
                Ok(p) => p,
                Err(_closed) => break,
            },
        };
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            a = listener.accept() => a,
        };
        match accepted {
            Ok((stream, peer)) => {
                let conn = serve_connection(
                    http.clone(),
                    stream,
                    peer,
                    router.clone(),
                    stop_rx.clone(),
                    permit,
                );
                tokio::spawn(conn);
            }
            Err(e) if is_connection_error(&e) => {}
            Err(e) => {
                // Out of file descriptors or memory: wait a moment rather than spin.
                tracing::warn!("accept failed: {e}");
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a slot until it closes: all slots back means all closed.
    let _ = slots.acquire_many(slots_total).await;
}

/// One connection, from accept to close; its slot is freed when this returns.
async fn serve_connection(
    http: http1::Builder,
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    mut stop: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let service = TowerToHyperService::new(AddExtension::new(router, ConnectInfo(peer)));
    let conn = http.serve_connection(TokioIo::new(stream), service);
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        // A failed connection (reset, header timeout) is the client's business: not logged,
        // so a flood of them cannot fill the log either.
        _ = conn.as_mut() => return,
        _ = stop.wait_for(|stopping| *stopping) => {}
    }
    // Stopping: finish the request in flight, if any, then close.
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

/// Accept errors that concern one connection only (it went away before we took it).
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_fits_the_open_file_limit() {
        let limits = ConnLimits::default();
        assert_eq!(limits.fitted(1_048_576).max_connections, 4096);
        assert_eq!(limits.fitted(1024).max_connections, (1024 - 128) / 2);
        assert_eq!(limits.fitted(100).max_connections, 1, "never zero");
        assert_eq!(limits.fitted(1024).header_timeout, limits.header_timeout);
    }

    #[cfg(unix)]
    #[test]
    fn raising_the_open_file_limit_reaches_the_hard_limit() {
        let soft = raise_open_file_limit().unwrap();
        let (now, hard) = rlimit::Resource::NOFILE.get().unwrap();
        assert_eq!(soft, now);
        assert!(cfg!(target_os = "macos") || now == hard);
    }
}
