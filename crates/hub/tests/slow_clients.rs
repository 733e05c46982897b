//! Slow and idle clients cannot take the hub down: a connection that stops mid-header is
//! closed after the header deadline, a full house of such connections only makes the next
//! client wait (in the kernel's backlog) until they time out, and an idle kept-alive
//! connection is closed too. A real hub on loopback, spoken to in raw bytes.
//!
//! Timing: every assertion is a bound the server guarantees (nothing is closed or freed
//! before the deadline, which starts after our `started`), or a generous upper bound.

mod common;

use hub::couch::ApiConfig;
use hub::serve::ConnLimits;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A request for the welcome document, which needs no login.
const WELCOME: &[u8] = b"GET /couch/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
/// The same, closing the connection after the answer.
const WELCOME_CLOSE: &[u8] =
    b"GET /couch/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
/// A request cut off in the middle of its headers.
const HALF: &[u8] = b"GET /couch/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag";
/// Far more than any answer on loopback should take, however busy the machine.
const GENEROUS: Duration = Duration::from_secs(20);

fn start(header_timeout: Duration, max_connections: usize) -> common::TestHub {
    common::start_limited(
        ApiConfig::default(),
        ConnLimits {
            header_timeout,
            max_connections,
        },
    )
}

fn connect(hub: &common::TestHub) -> TcpStream {
    let addr = hub.base.trim_start_matches("http://");
    let stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(GENEROUS)).unwrap();
    stream
}

/// Reads one answer (headers and a Content-Length body); returns the status line.
fn read_answer(stream: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("an answer");
        assert_eq!(n, 1, "closed mid-answer: {}", String::from_utf8_lossy(&buf));
        buf.push(byte[0]);
    }
    let head = String::from_utf8(buf).unwrap();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().unwrap())
        })
        .expect("a Content-Length");
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    head.lines().next().unwrap().to_owned()
}

/// Waits until the hub closes `stream` (EOF or reset); fails if it is still open after
/// `limit`.
fn wait_closed(stream: &mut TcpStream, limit: Duration) {
    stream.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 512];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return,
            Err(e) => panic!("still open after {limit:?}: {e}"),
        }
    }
}

#[test]
fn half_a_header_is_closed_after_the_timeout_while_others_are_answered() {
    let timeout = Duration::from_secs(3);
    let hub = start(timeout, 64);
    let started = Instant::now();
    let mut stalled = connect(&hub);
    stalled.write_all(HALF).unwrap();

    let mut other = connect(&hub);
    other.write_all(WELCOME_CLOSE).unwrap();
    assert_eq!(read_answer(&mut other), "HTTP/1.1 200 OK");
    assert!(
        started.elapsed() < timeout,
        "answered while the other connection was still stalled"
    );

    wait_closed(&mut stalled, timeout + GENEROUS);
    assert!(started.elapsed() >= timeout, "closed before the deadline");
}

#[test]
fn a_full_house_of_stalled_connections_only_delays_the_next_client() {
    let timeout = Duration::from_secs(3);
    let cap = 8;
    let hub = start(timeout, cap);
    let started = Instant::now();
    let mut stalled: Vec<TcpStream> = (0..cap)
        .map(|_| {
            let mut s = connect(&hub);
            s.write_all(HALF).unwrap();
            s
        })
        .collect();
    // The kernel completes the handshake and queues the request, but the hub does not
    // accept it while every slot is taken: no slot frees before `started + timeout`.
    let mut next = connect(&hub);
    next.write_all(WELCOME_CLOSE).unwrap();
    let quiet_until = started + timeout * 2 / 3;
    let quiet = quiet_until.saturating_duration_since(Instant::now());
    if !quiet.is_zero() {
        next.set_read_timeout(Some(quiet)).unwrap();
        let mut byte = [0u8; 1];
        match next.read(&mut byte) {
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            other => panic!("client {} was served beyond the cap: {other:?}", cap + 1),
        }
    }

    next.set_read_timeout(Some(timeout + GENEROUS)).unwrap();
    assert_eq!(read_answer(&mut next), "HTTP/1.1 200 OK");
    assert!(started.elapsed() >= timeout, "answered before a slot freed");
    for s in &mut stalled {
        wait_closed(s, GENEROUS);
    }
}

#[test]
fn an_idle_kept_alive_connection_is_closed_after_the_timeout() {
    let timeout = Duration::from_secs(2);
    let hub = start(timeout, 64);
    let mut conn = connect(&hub);
    conn.write_all(WELCOME).unwrap();
    assert_eq!(read_answer(&mut conn), "HTTP/1.1 200 OK");
    // Kept alive: a second request on the same connection is answered.
    conn.write_all(WELCOME).unwrap();
    assert_eq!(read_answer(&mut conn), "HTTP/1.1 200 OK");
    let idle_since = Instant::now();

    wait_closed(&mut conn, timeout + GENEROUS);
    // The deadline starts as the answer is written, just before we read it.
    assert!(idle_since.elapsed() >= timeout / 2, "closed too soon");
}
