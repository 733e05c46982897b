//! Opening a connection to a database (the app's, the training store's, a test's), and
//! upgrading it on the way.
//!
//! Owns the open: one connection, the migrations of `schema.rs` run in its own upgrade
//! through the transaction [`upgrade_transaction`] finds; where it finds none, the open
//! refuses the upgrade (the database stays as it was), [`migrate`] runs them on a
//! connection of its own and the open is made again. A blocked open (another tab holds an
//! older version) is reported as [`StoreError::Blocked`] at once. Owns no schema.

use super::schema;
use super::StoreError;
use futures::channel::oneshot;
use futures::future::{select, Either};
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbTransaction};

/// Opens `name` at `version`, migrating it up to `version` first if it is older.
pub(super) async fn open(name: &str, version: u32) -> Result<Database, StoreError> {
    let no_transaction = Rc::new(Cell::new(false));
    let flag = Rc::clone(&no_transaction);
    let (blocked, was_blocked) = oneshot::channel::<()>();
    let mut blocked = Some(blocked);
    let request = Database::open(name.to_owned())
        .with_version(version)
        .with_on_blocked(move |_| {
            if let Some(b) = blocked.take() {
                _ = b.send(());
            }
            Ok(())
        })
        .with_on_upgrade_needed(move |event, db| {
            let Some(tx) = upgrade_transaction() else {
                flag.set(true);
                return Err(js_sys::Error::new("yehua: no upgrade transaction").into());
            };
            let old = event.old_version() as u32;
            schema::upgrade(db.as_sys(), &tx, old, version).map_err(Into::into)
        });
    // The request runs to its end in a task of its own, so a blocked open that is reported
    // still upgrades, with its handlers, once the other tab lets go (and is then closed).
    let (done, opened) = oneshot::channel();
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(Ok(db)) = done.send(request.await) {
            db.close();
        }
    });
    let opened = match select(opened, was_blocked).await {
        Either::Left((Ok(opened), _)) => opened,
        Either::Left((Err(_), _)) => return Err(StoreError::Idb("open dropped".into())),
        Either::Right(_) => return Err(StoreError::Blocked),
    };
    match opened {
        Ok(db) => Ok(db),
        Err(_) if no_transaction.get() => {
            migrate(name, version).await?;
            Database::open(name)
                .with_version(version)
                .await
                .map_err(StoreError::from_open)
        }
        Err(e) => Err(StoreError::from_open(e)),
    }
}

/// The versionchange transaction of the `upgradeneeded` event being dispatched now, read
/// from `window.event` — how an upgrade handler that is handed only the database (as
/// `indexed_db_futures` 0.6 hands it) reaches the transaction that adding an index needs.
/// `None` outside such a dispatch, or where the browser has no `window.event`.
fn upgrade_transaction() -> Option<IdbTransaction> {
    let event = web_sys::window()?.event();
    let event = event.dyn_into::<web_sys::IdbVersionChangeEvent>().ok()?;
    let request = event.target()?.dyn_into::<IdbOpenDbRequest>().ok()?;
    request.transaction()
}

/// Opens `name` at `version` on a connection of its own, running every migration above the
/// stored version, then closes it again: the way to migrate where
/// [`upgrade_transaction`] finds no transaction. Fails with `VersionError` when the stored
/// version is newer.
async fn migrate(name: &str, version: u32) -> Result<(), StoreError> {
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or_else(|| StoreError::Idb("indexedDB is not available".into()))?;
    let request = factory
        .open_with_u32(name, version)
        .map_err(StoreError::from_js)?;
    let done = open_promise(&request, version);
    let db = JsFuture::from(done).await.map_err(StoreError::from_js)?;
    db.unchecked_into::<IdbDatabase>().close();
    Ok(())
}

/// Wraps the open request's events in a promise; the upgrade runs inside it.
fn open_promise(request: &IdbOpenDbRequest, target: u32) -> js_sys::Promise {
    let request = request.clone();
    js_sys::Promise::new(&mut move |resolve, reject| {
        let req = request.clone();
        let on_upgrade = Closure::once_into_js(move |event: web_sys::IdbVersionChangeEvent| {
            let old = event.old_version() as u32;
            let db: IdbDatabase = req.result().expect("upgrade has a result").unchecked_into();
            let tx = req.transaction().expect("upgrade runs in a transaction");
            if schema::upgrade(&db, &tx, old, target).is_err() {
                tx.abort().ok();
            }
        });
        request.set_onupgradeneeded(Some(on_upgrade.unchecked_ref()));
        let req = request.clone();
        let ok = resolve.clone();
        let on_success = Closure::once_into_js(move || {
            ok.call1(&JsValue::NULL, &req.result().unwrap_or(JsValue::NULL))
                .ok();
        });
        request.set_onsuccess(Some(on_success.unchecked_ref()));
        let req = request.clone();
        let fail = reject.clone();
        let on_error = Closure::once_into_js(move || {
            let err = req
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL);
            fail.call1(&JsValue::NULL, &err).ok();
        });
        request.set_onerror(Some(on_error.unchecked_ref()));
        let on_blocked = Closure::once_into_js(move || {
            reject.call1(&JsValue::NULL, &"blocked".into()).ok();
        });
        request.set_onblocked(Some(on_blocked.unchecked_ref()));
    })
}
