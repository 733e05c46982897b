//! Names in the order Chinese readers expect: pinyin (黄 huáng, 陆 lù, 韦 wéi), not the
//! order of their code points. The browser's `Intl.Collator('zh-CN')` (ICU's pinyin
//! collation, no table in the wasm) compares each name's `model::names::collation_key`,
//! so polyphonic surnames sort by their surname reading (曾 zēng, 单 shàn); equal keys
//! fall back to the names themselves. Owns the comparison only.

use js_sys::{Array, Function, Intl, Object, Reflect};
use model::names::collation_key;
use std::cmp::Ordering;
use wasm_bindgen::JsValue;

thread_local! {
    /// `Intl.Collator('zh-CN').compare`, made once; `None` where the browser has no `Intl`.
    static COMPARE: Option<Function> = collator();
}

fn collator() -> Option<Function> {
    let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    if !intl.is_object() {
        return None;
    }
    let locales = Array::of1(&JsValue::from_str("zh-CN"));
    Some(Intl::Collator::new(&locales, &Object::new()).compare())
}

fn collate(compare: Option<&Function>, a: &str, b: &str) -> Ordering {
    let Some(f) = compare else {
        return a.cmp(b);
    };
    let n = f
        .call2(&JsValue::NULL, &JsValue::from_str(a), &JsValue::from_str(b))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    n.partial_cmp(&0.0).unwrap_or(Ordering::Equal)
}

/// Compares two names in pinyin order.
pub fn compare_names(a: &str, b: &str) -> Ordering {
    COMPARE.with(|f| {
        collate(f.as_ref(), &collation_key(a), &collation_key(b))
            .then_with(|| collate(f.as_ref(), a, b))
            .then_with(|| a.cmp(b))
    })
}

/// Sorts `items` by the name `name` reads from each, in pinyin order (stable).
pub fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by(|a, b| compare_names(name(a), name(b)));
}
