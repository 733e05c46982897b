//! The one way a screen shows what it reads: a hint while it loads, the failure in the
//! current language when the store failed (never an empty list in its place), then the
//! view of what was read. Renders what a resource gave; never reads the store itself.

use crate::i18n::*;
use crate::message::{ErrorNote, UserMessage};
use leptos::prelude::*;

/// What a screen reads: the value, or why it could not be read.
pub type Reading<T, E> = LocalResource<Result<T, E>>;

/// A record read by id: the page once built, the error, or `None` when it is not here.
pub type Loading<T, E = crate::store::StoreError> = Reading<Option<T>, E>;

/// Shows `data` as it loads: a hint, the error, or `page` of what was read. The whole
/// view is rebuilt when `data` changes: for a list with inputs above it, put only the
/// list inside (or show `failure` beside a keyed `<For>`).
pub fn loaded<T, E>(
    data: Reading<T, E>,
    page: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    E: UserMessage + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    move || match data.get() {
        None => view! { <p class="hint" data-testid="loading">{t!(i18n, loading)}</p> }.into_any(),
        Some(Err(error)) => view! { <ErrorNote error testid="load-error"/> }.into_any(),
        Some(Ok(value)) => page(value),
    }
}

/// Like `loaded`, with 本机无此记录 when the record is not on this phone.
pub fn loaded_found<T, E>(
    data: Loading<T, E>,
    page: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    E: UserMessage + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    loaded(data, move |found| match found {
        None => {
            view! { <p class="hint" data-testid="not-found">{t!(i18n, p_not_found)}</p> }.into_any()
        }
        Some(value) => page(value),
    })
}

/// The failure of `data`, if it failed (beside a list that shows `ok_or_empty`).
pub fn failure<T, E>(data: Reading<T, E>) -> impl IntoView
where
    T: Clone + 'static,
    E: UserMessage + Clone + Send + Sync + 'static,
{
    move || {
        data.get()
            .and_then(Result::err)
            .map(|error| view! { <ErrorNote error testid="load-error"/> })
    }
}

/// The rows of `data` once read, none while loading or after a failure (which `failure`
/// shows); `empty` tells the two apart, so "no records" is said only of a real empty list.
pub fn rows<T, E>(data: Reading<Vec<T>, E>) -> Vec<T>
where
    T: Clone + 'static,
    E: Clone + 'static,
{
    data.get().and_then(Result::ok).unwrap_or_default()
}

/// Whether `data` was read and holds no rows (the only time to say 还没有记录).
pub fn empty<T, E>(data: Reading<Vec<T>, E>) -> bool
where
    T: Clone + 'static,
    E: Clone + 'static,
{
    data.get().is_some_and(|r| r.is_ok_and(|v| v.is_empty()))
}
