//! The release builds keep their promises: the hub unwinds, so a panic costs one request
//! (CatchPanicLayer) and not the process; the app Trunk builds stays the smallest wasm and
//! aborts. Reads the workspace Cargo.toml and the profile index.html hands to Trunk.

use toml::Value;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn profile<'a>(manifest: &'a Value, name: &str) -> &'a Value {
    manifest
        .get("profile")
        .and_then(|p| p.get(name))
        .unwrap_or_else(|| panic!("no [profile.{name}] in Cargo.toml"))
}

#[test]
fn the_hub_unwinds_and_the_app_aborts() {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let manifest: Value = toml::from_str(&text).unwrap();

    // `cargo build --release -p yehua-hub`: cargo's default is unwind, so absent is fine.
    let release = profile(&manifest, "release");
    let hub_panic = release.get("panic").and_then(Value::as_str);
    assert_ne!(hub_panic, Some("abort"), "the hub must unwind");

    // `trunk build --release` uses index.html's data-cargo-profile-release.
    let html = std::fs::read_to_string(root().join("index.html")).unwrap();
    let attr = "data-cargo-profile-release=\"";
    let start = html.find(attr).expect("index.html names the app's profile") + attr.len();
    let name = &html[start..start + html[start..].find('"').unwrap()];
    assert_ne!(name, "release", "the app needs a profile of its own");
    let app = profile(&manifest, name);
    assert_eq!(app.get("inherits").and_then(Value::as_str), Some("release"));
    assert_eq!(app.get("panic").and_then(Value::as_str), Some("abort"));
    assert_eq!(app.get("opt-level").and_then(Value::as_str), Some("z"));
    assert_eq!(app.get("lto").and_then(Value::as_bool), Some(true));
    assert_eq!(
        app.get("codegen-units").and_then(Value::as_integer),
        Some(1)
    );
}
