//! The built app as the hub serves it: app routes fall back to index.html, a missing file
//! is a 404 (never HTML a browser would run as a script), hashed assets are immutable.

use std::net::SocketAddr;

/// Serves `router` on a free loopback port; the runtime must live as long as the test.
fn serve(router: axum::Router) -> (tokio::runtime::Runtime, SocketAddr) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move {
        let limits = hub::serve::ConnLimits::default();
        hub::serve::serve_on(listener, router, &limits, std::future::pending()).await;
    });
    (rt, addr)
}

#[test]
fn routes_fall_back_to_index_but_missing_files_are_404() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>夜话</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("yehua-0123abcd.js"), "export {}").unwrap();
    let (_rt, addr) = serve(hub::serve::app_router(dir.path(), &[]));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let get = |path: &str| agent.get(&format!("http://{addr}{path}")).call().unwrap();

    let mut route = get("/forums/activity:0190a0b0-0000-7000-8000-000000000001");
    assert_eq!(route.status(), 200);
    assert!(route.body_mut().read_to_string().unwrap().contains("夜话"));
    assert_eq!(route.headers().get("cache-control").unwrap(), "no-cache");

    assert_eq!(get("/sw.js").status(), 404);
    assert_eq!(get("/yehua-deadbeef.wasm").status(), 404);
    assert_eq!(get("/../Cargo.toml").status(), 404);

    let asset = get("/yehua-0123abcd.js");
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.headers().get("cache-control").unwrap(),
        "public, max-age=31536000, immutable"
    );
}

/// One raw HTTP/1.1 GET (no client decoding anything): the head and the body bytes.
fn raw_get(addr: SocketAddr, path: &str, accept: Option<&str>) -> (String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let accept = accept.map_or(String::new(), |a| format!("Accept-Encoding: {a}\r\n"));
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: hub\r\n{accept}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    let end = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(all[..end].to_vec())
        .unwrap()
        .to_lowercase();
    (head, all[end + 4..].to_vec())
}

#[test]
fn the_builds_compressed_copies_are_sent_as_they_are() {
    // scripts/precompress.mjs writes NAME.br and NAME.gz beside each text file; the hub
    // (with its on-the-fly compression layer in front) must send those bytes unchanged to a
    // browser that accepts the encoding, and the file itself to one that accepts none.
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app");
    std::fs::create_dir(&app).unwrap();
    std::fs::write(app.join("index.html"), "<!doctype html><title>夜话</title>").unwrap();
    let wasm = "yehua-0123abcd_bg.wasm";
    let raw = vec![7u8; 4096];
    std::fs::write(app.join(wasm), &raw).unwrap();
    std::fs::write(app.join(format!("{wasm}.br")), b"brotli copy").unwrap();
    std::fs::write(app.join(format!("{wasm}.gz")), b"gzip copy").unwrap();

    let store = hub::store::Store::open(&dir.path().join("data")).unwrap();
    let cfg = hub::serve::ServeConfig {
        data: dir.path().join("data"),
        listen: "127.0.0.1:0".parse().unwrap(),
        app: Some(app.clone()),
        cors_origins: vec![],
        connect_src: vec![],
        api: Default::default(),
        conn: Default::default(),
    };
    let router = hub::serve::router(hub::couch::Hub::new(store, cfg.api.clone()), &cfg);
    let (_rt, addr) = serve(router);

    let path = format!("/{wasm}");
    let (head, body) = raw_get(addr, &path, Some("gzip, deflate, br"));
    assert!(head.contains("content-encoding: br"), "{head}");
    assert_eq!(body, b"brotli copy");
    assert!(head.contains("content-type: application/wasm"), "{head}");
    assert!(
        head.contains("immutable"),
        "hashed assets stay immutable: {head}"
    );
    assert!(head.contains("vary: accept-encoding"), "{head}");

    let (head, body) = raw_get(addr, &path, Some("gzip"));
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert_eq!(body, b"gzip copy");

    let (head, body) = raw_get(addr, &path, None);
    assert!(!head.contains("content-encoding"), "{head}");
    assert_eq!(body, raw);
}
