//! `navigator.storage`: whether the site's data is persistent, asking for persistence,
//! and the usage / quota estimate shown in 设置.

use super::PwaError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{StorageEstimate, StorageManager};

/// The browser's estimate of this site's storage.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StorageInfo {
    /// Bytes used (IndexedDB, caches, …).
    pub usage: f64,
    /// Bytes this site may use.
    pub quota: f64,
}

impl StorageInfo {
    /// Used share of the quota, 0–100.
    pub fn percent(&self) -> f64 {
        if self.quota > 0.0 {
            (self.usage / self.quota * 100.0).clamp(0.0, 100.0)
        } else {
            0.0
        }
    }
}

/// A byte count for people: "812 KB", "3.4 MB", "1.2 GB".
pub fn format_bytes(bytes: f64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes.max(0.0);
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value >= 100.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

fn manager() -> Result<StorageManager, PwaError> {
    let navigator = web_sys::window()
        .ok_or(PwaError::Unsupported("window"))?
        .navigator();
    let has = js_sys::Reflect::has(&navigator, &"storage".into()).unwrap_or(false);
    if !has {
        return Err(PwaError::Unsupported("navigator.storage"));
    }
    Ok(navigator.storage())
}

/// Whether the browser has made this site's storage persistent.
pub async fn persisted() -> Result<bool, PwaError> {
    let v = JsFuture::from(manager()?.persisted()?).await?;
    Ok(v.as_bool().unwrap_or(false))
}

/// Asks for persistent storage; resolves to whether it is persistent now.
pub async fn persist() -> Result<bool, PwaError> {
    let v = JsFuture::from(manager()?.persist()?).await?;
    Ok(v.as_bool().unwrap_or(false))
}

/// Usage and quota.
pub async fn estimate() -> Result<StorageInfo, PwaError> {
    let v = JsFuture::from(manager()?.estimate()?).await?;
    let e: StorageEstimate = v.unchecked_into();
    Ok(StorageInfo {
        usage: e.get_usage().unwrap_or(0.0),
        quota: e.get_quota().unwrap_or(0.0),
    })
}
