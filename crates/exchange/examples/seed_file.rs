//! Writes the export file of a believable station year for tests and benchmarks to seed a
//! phone through 导入 (a real station's data, so it syncs and exports as the cadre's own
//! would): the demo generator with a seed of its own and no demo marker.
//!
//! ```sh
//! cargo build -p yehua-exchange --example seed_file
//! target/debug/examples/seed_file 330106001 120 seed.json   # station, activities, file
//! target/debug/examples/seed_file 330106001 120 old.json legacy
//! ```
//!
//! `legacy` writes instead what the demo button of an earlier build put in a real store
//! (the default seed, no marker): the tests of its removal import it.

use couch::DocRecord;
use exchange::{build, Filter};
use model::demo::{generate, DemoConfig};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (station, activities, out, legacy) = match &args[..] {
        [s, a, o] => (s, a, o, false),
        [s, a, o, l] if l == "legacy" => (s, a, o, true),
        _ => {
            eprintln!("usage: seed_file STATION ACTIVITIES FILE [legacy]");
            return ExitCode::FAILURE;
        }
    };
    let Ok(activities) = activities.parse::<usize>() else {
        eprintln!("ACTIVITIES must be a number: {activities}");
        return ExitCode::FAILURE;
    };
    let defaults = DemoConfig::default();
    let cfg = DemoConfig {
        seed: if legacy { defaults.seed } else { 7 },
        station: station.clone(),
        activities,
        marked: false,
        ..defaults
    };
    let records: Vec<DocRecord> = generate(&cfg)
        .into_iter()
        .filter_map(|d| {
            let mut r = DocRecord::new(d["_id"].as_str()?.to_owned());
            r.update(d).ok()?;
            Some(r)
        })
        .collect();
    let file = build(
        station,
        "2026-11-20T21:00:00+08:00",
        "0.1.0",
        &Filter::default(),
        &records,
    );
    match serde_json::to_vec(&file).map(|bytes| std::fs::write(out, bytes)) {
        Ok(Ok(())) => {
            println!("{out}: {} documents", records.len());
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            eprintln!("cannot write {out}: {e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("cannot serialize: {e}");
            ExitCode::FAILURE
        }
    }
}
