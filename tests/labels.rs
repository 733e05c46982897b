//! The words a screen shows for a wire value (`locales/zh-CN.json`, through `src/labels.rs`)
//! are the words the CSV tables print for headquarters (`model`'s `zh()`), for every value:
//! a label changed in one place and not the other fails here.
#![cfg(not(target_arch = "wasm32"))]

use model::concern::Rating;
use model::{ActivityKind, ConcernCategory, ConcernStatus};
use serde_json::Value;

fn zh_locale() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/zh-CN.json"))
        .expect("locales/zh-CN.json");
    serde_json::from_str(&text).expect("zh-CN.json is JSON")
}

fn check(locale: &Value, key: String, zh: &str) {
    assert_eq!(locale[&key].as_str(), Some(zh), "locale key {key}");
}

#[test]
fn screens_and_csv_tables_use_the_same_words() {
    let l = zh_locale();
    for k in ActivityKind::ALL {
        check(&l, format!("kind_{}", k.as_str()), k.zh());
    }
    for s in ConcernStatus::ALL {
        check(&l, format!("status_{}", s.as_str()), s.zh());
    }
    for c in ConcernCategory::ALL {
        check(&l, format!("cat_{}", c.as_str()), c.zh());
    }
    for r in Rating::ALL {
        check(&l, format!("rating_{}", r.as_str()), r.zh());
    }
}
