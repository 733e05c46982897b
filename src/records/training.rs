//! 演示模式 (training mode): demo data in a database of its own, which never syncs and is
//! never exported, and the clean-up of demo data an older build wrote into a real
//! station's store.
//!
//! The mode is a local record in the real store (`training`), read when the app opens
//! (`app.rs` then opens [`TRAINING_DB`] instead); switching is a write here and a reload.
//! Owns those records and the removal; which documents are demo data is
//! `model::demo::is_demo`. Must not render anything.

use crate::profile::{Profile, PROFILE_KEY};
use crate::store::{Removed, Store, StoreError, SCHEMA_VERSION};
use crate::sync::service::SyncSettings;

/// The training store's database name.
pub const TRAINING_DB: &str = "yehua-training";
/// The local record (in the real store) that says the app opens in training mode.
const MODE_KEY: &str = "training";

/// Whether the real store says to open in training mode.
pub async fn is_on(real: &Store) -> Result<bool, StoreError> {
    Ok(real.get_local::<bool>(MODE_KEY).await?.unwrap_or(false))
}

/// Opens the training store, giving it the real station's profile the first time.
pub async fn open(profile: Option<&Profile>) -> Result<(Store, Option<Profile>), StoreError> {
    let store = Store::open_named(TRAINING_DB, SCHEMA_VERSION).await?;
    let own: Option<Profile> = store.get_local(PROFILE_KEY).await?;
    let profile = match (own, profile) {
        (Some(p), _) => Some(p),
        (None, Some(p)) => {
            store.put_local(PROFILE_KEY, p).await?;
            Some(p.clone())
        }
        (None, None) => None,
    };
    Ok((store, profile))
}

/// Switches the mode the app opens in next (the caller reloads the page).
pub async fn switch(on: bool) -> Result<(), StoreError> {
    let real = Store::open().await?;
    let done = if on {
        real.put_local(MODE_KEY, &true).await
    } else {
        real.delete_local(MODE_KEY).await
    };
    real.close();
    done
}

/// The live documents in `store` that the demo button of an earlier build wrote.
pub async fn legacy_demo(store: &Store) -> Result<Vec<String>, StoreError> {
    // The home screen asks after every save: a few reads answer for a store without them.
    if store
        .get_records(model::demo::legacy_sample())
        .await?
        .is_empty()
    {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = model::demo::legacy_ids().iter().cloned().collect();
    let found = store.get_records(&ids).await?;
    let mut live: Vec<String> = found
        .into_iter()
        .filter(|(_, r)| !r.is_deleted())
        .map(|(id, _)| id)
        .collect();
    live.sort();
    Ok(live)
}

/// Removes the demo documents of an earlier build from a real station's store: those the
/// server never received are purged, those it holds get tombstones the next sync sends.
pub async fn remove_legacy_demo(store: &Store, profile: &Profile) -> Result<Removed, StoreError> {
    let ids = legacy_demo(store).await?;
    let sent_up_to = match SyncSettings::saved(store).await? {
        Some(s) => crate::sync::sent_up_to(store, &s.own_db(&profile.station_code)).await?,
        None => 0,
    };
    store.take_back(&ids, sent_up_to).await
}
