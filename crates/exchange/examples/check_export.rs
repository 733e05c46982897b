//! Checks export files the way headquarters would before importing them: each against
//! `docs/export.schema.json` (boon, format assertions on) and through `exchange::parse`.
//! The end-to-end test runs it on the file the app downloaded:
//!
//! ```sh
//! cargo build -p yehua-exchange --example check_export
//! target/debug/examples/check_export yehua-330106001-20261120.json
//! ```
//!
//! Prints `ok <file> <documents>` per file; exits 1 at the first file that fails.

use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let schema_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/export.schema.json");
    let schema: Value = match std::fs::read_to_string(&schema_path)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => {
            eprintln!("cannot read {}: {e}", schema_path.display());
            return ExitCode::FAILURE;
        }
    };
    let id = schema["$id"]
        .as_str()
        .unwrap_or("export.schema.json")
        .to_owned();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    if let Err(e) = compiler.add_resource(&id, schema) {
        eprintln!("the schema cannot be added: {e:#}");
        return ExitCode::FAILURE;
    }
    let index = match compiler.compile(&id, &mut schemas) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("the schema does not compile: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: check_export FILE...");
        return ExitCode::FAILURE;
    }
    for f in files {
        let bytes = match std::fs::read(&f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{f}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let parsed = match exchange::parse(&bytes) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{f}: refused by exchange::parse ({}): {e}", e.code());
                return ExitCode::FAILURE;
            }
        };
        let value: Value = match serde_json::from_slice(&bytes) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("{f}: {e}");
                return ExitCode::FAILURE;
            }
        };
        if let Err(e) = schemas.validate(&value, index) {
            eprintln!("{f}: does not match the schema: {e:#}");
            return ExitCode::FAILURE;
        }
        println!("ok {f} {}", parsed.docs.len());
    }
    ExitCode::SUCCESS
}
