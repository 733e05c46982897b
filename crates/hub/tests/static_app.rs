//! The built app as the hub serves it: app routes fall back to index.html, a missing file
//! is a 404 (never HTML a browser would run as a script), hashed assets are immutable.

use std::net::SocketAddr;

#[test]
fn routes_fall_back_to_index_but_missing_files_are_404() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>夜话</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("yehua-0123abcd.js"), "export {}").unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let router = hub::serve::app_router(dir.path(), &[]);
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
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
