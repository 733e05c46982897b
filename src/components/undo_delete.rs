//! Delete with undo, shared by every screen that deletes: the deleted record (body and
//! tombstone revision) while its undo is offered, and the two actions. Writes through
//! `records`; the screen renders the toast.

use crate::ctx::use_app;
use crate::message::{said, Said};
use crate::records::{self, Deleted};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The state and actions of one deletable record.
#[derive(Debug, Clone, Copy)]
pub struct UndoDelete {
    /// The deleted record while its undo is offered.
    pub deleted: RwSignal<Option<Deleted>>,
    /// Writes the tombstone.
    pub remove: Callback<()>,
    /// Puts the old body back on top of the tombstone.
    pub undo: Callback<()>,
}

impl UndoDelete {
    /// For the record `id`; failures go to `error`, said in the cadre's language when shown. With
    /// `refresh_on_delete` the app's lists reload after the delete (a page showing the
    /// record); without, they reload only after undo (a card in a list keeps its toast).
    pub fn new(id: String, error: RwSignal<Option<Said>>, refresh_on_delete: bool) -> Self {
        let ctx = use_app();
        let fail = move |e: records::RecordError| {
            leptos::logging::error!("yehua: delete/undo: {e}");
            _ = error.try_set(Some(said(e)));
        };
        let deleted = RwSignal::new(None::<Deleted>);
        let remove = Callback::new(move |_: ()| {
            let (store, id) = (ctx.store(), id.clone());
            spawn_local(async move {
                match records::delete(&store, &id).await {
                    Ok(d) => {
                        _ = deleted.try_set(Some(d));
                        if refresh_on_delete {
                            ctx.notify_changed();
                        }
                    }
                    Err(e) => fail(e),
                }
            });
        });
        let undo = Callback::new(move |_: ()| restore(deleted, fail));
        Self {
            deleted,
            remove,
            undo,
        }
    }
}

/// Puts the record in `deleted` back on top of its tombstone (undo), then clears `deleted`
/// and reloads the app's lists; a failure goes to `fail`. Shared with screens that delete
/// one of several records from one place (the photo viewer).
pub fn restore(deleted: RwSignal<Option<Deleted>>, fail: impl Fn(records::RecordError) + 'static) {
    let ctx = use_app();
    let Some(d) = deleted.get_untracked() else {
        return;
    };
    let store = ctx.store();
    spawn_local(async move {
        match records::undo_delete(&store, &d).await {
            Ok(()) => {
                _ = deleted.try_set(None);
                ctx.notify_changed();
            }
            Err(e) => fail(e),
        }
    });
}
