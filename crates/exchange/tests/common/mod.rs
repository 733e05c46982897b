//! Shared by the integration tests: the demo data as stored records, and the schema.
#![allow(dead_code)] // Each test file uses a part.

use couch::DocRecord;
use model::demo::{generate, DemoConfig};
use serde_json::{json, Value};
use std::path::PathBuf;

pub const STATION: &str = "330106001";

/// The repository's `docs/` folder.
pub fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs")
}

/// The demo data as a phone stores it, plus an edited activity (two generations), a
/// deleted concern and a conflicted volunteer (two phones edited the same person).
pub fn demo_records() -> Vec<DocRecord> {
    let mut records: Vec<DocRecord> = generate(&DemoConfig::default())
        .into_iter()
        .map(|doc| {
            let mut r = DocRecord::new(doc["_id"].as_str().unwrap().into());
            r.update(doc).unwrap();
            r
        })
        .collect();
    let edit = |r: &mut DocRecord, f: &dyn Fn(&mut Value)| {
        let mut d = r.winner_doc().unwrap();
        f(&mut d);
        r.update(d).unwrap();
    };
    let act = records
        .iter_mut()
        .find(|r| r.id.starts_with("activity:"))
        .unwrap();
    edit(act, &|d| d["notes"] = json!("补记：到场群众踊跃发言"));
    let concern = records
        .iter_mut()
        .find(|r| r.id.starts_with("concern:"))
        .unwrap();
    edit(concern, &|d| d["_deleted"] = json!(true));
    let vol = records
        .iter_mut()
        .find(|r| r.id.starts_with("volunteer:"))
        .unwrap();
    let mut rival = vol.clone();
    edit(vol, &|d| d["phone"] = json!("13900000001"));
    let mut other = rival.winner_doc().unwrap();
    other["phone"] = json!("13900000002");
    let rev = rival.update(other).unwrap();
    vol.put_replicated(rival.doc_with_revisions(&rev).unwrap())
        .unwrap();
    assert_eq!(vol.tree.conflicts().len(), 1);
    records
}

/// A validator for `docs/export.schema.json` (boon, with format assertions on).
pub struct Schema {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Schema {
    pub fn load() -> Self {
        let text = std::fs::read_to_string(docs_dir().join("export.schema.json")).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let id = value["$id"].as_str().unwrap().to_owned();
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        compiler.add_resource(&id, value).unwrap();
        let index = compiler.compile(&id, &mut schemas).unwrap();
        Self { schemas, index }
    }

    pub fn check(&self, instance: &Value) -> Result<(), String> {
        self.schemas
            .validate(instance, self.index)
            .map_err(|e| format!("{e:#}"))
    }
}
