//! The printed paper's data: every live winner read once (as the dashboard does), the page
//! built by `model::paper`, and a scanned stamp checked against this phone's data. Owns
//! only the reading; what a page prints and how a stamp compares are `model::paper`'s.

use super::exchange::{read_all, winners};
use crate::store::{Store, StoreError};
use model::paper::certificate::Certificate;
use model::paper::forum::ForumRecord;
use model::paper::month::{Ledger, Notice};
use model::paper::points_book::PointsBook;
use model::paper::stamp::{verify, Stamp, StampError, Verdict};
use model::paper::{current_parts, subject_title, Library};
use serde_json::Value;

/// Every live winner on this phone — without demo data, which is nobody's work, unless
/// this is the training store (which holds nothing else).
async fn docs(store: &Store) -> Result<Vec<Value>, StoreError> {
    let records = read_all(store, &|_, _| {}).await?;
    let mut docs = winners(&records);
    if store.name() != super::training::TRAINING_DB {
        docs.retain(|d| !model::demo::is_demo(d));
    }
    Ok(docs)
}

/// Activity `id`'s record page, `None` when it is not on this phone.
pub async fn forum(store: &Store, id: &str) -> Result<Option<ForumRecord>, StoreError> {
    let docs = docs(store).await?;
    Ok(Library::new(&docs).forum(id))
}

/// The month's 台账 of `station`, `None` when the station has no figures that month.
pub async fn ledger(
    store: &Store,
    station: &str,
    month: &str,
) -> Result<Option<Ledger>, StoreError> {
    let docs = docs(store).await?;
    Ok(Library::new(&docs).ledger(&docs, station, month))
}

/// The month's 公示 of `station`, `None` when nothing of it is here that month.
pub async fn notice(
    store: &Store,
    station: &str,
    month: &str,
) -> Result<Option<Notice>, StoreError> {
    let docs = docs(store).await?;
    Ok(Library::new(&docs).notice(station, month))
}

/// Volunteer `id`'s 积分册, `None` when the volunteer is not here.
pub async fn points_book(store: &Store, id: &str) -> Result<Option<PointsBook>, StoreError> {
    let docs = docs(store).await?;
    Ok(Library::new(&docs).points_book(&docs, id))
}

/// Volunteer `id`'s certificate from `from` to `to`, `None` when the volunteer is not here.
pub async fn certificate(
    store: &Store,
    id: &str,
    from: &str,
    to: &str,
) -> Result<Option<Certificate>, StoreError> {
    let docs = docs(store).await?;
    Ok(Library::new(&docs).certificate(id, from, to))
}

/// The CSV 志愿服务时长（报送） of `station` from `from` to `to`.
pub async fn hours_csv(
    store: &Store,
    station: &str,
    from: &str,
    to: &str,
    organiser: &str,
) -> Result<String, StoreError> {
    let docs = docs(store).await?;
    Ok(Library::new(&docs).hours_csv(station, from, to, organiser))
}

/// Why a scanned code could not be checked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CheckError {
    /// Not a paper stamp, or a damaged one.
    #[error(transparent)]
    Stamp(#[from] StampError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks a scanned text against this phone's data.
pub async fn check(
    store: &Store,
    scanned: &str,
) -> Result<(Stamp, Verdict, Option<String>), CheckError> {
    let stamp = Stamp::decode(scanned)?;
    let docs = docs(store).await?;
    let lib = Library::new(&docs);
    let now = current_parts(&lib, &docs, &stamp);
    let verdict = verify(&stamp, now.as_deref());
    let title = subject_title(&lib, &stamp);
    Ok((stamp, verdict, title))
}
