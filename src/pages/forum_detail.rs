//! One activity (`/forums/:id`): its details and agenda, its satisfaction survey (the
//! 满意度调查 button and figure, `components::forum_survey`), the concerns raised at it with
//! a one-step form to add another (text + category + optional villager), the concerns earlier
//! forums left open, its photos (`components::photo_gallery`), where it stands with
//! headquarters (已审核, 退回：reason, 待审核（已修改）; `records::reviews`), edit, 打印 (its
//! record page, `forum_print`), and delete with undo.

use crate::components::concern_card::ConcernCard;
use crate::components::forum_survey::ForumSurvey;
use crate::components::loaded::{failure, loaded_found, rows};
use crate::components::pending_concerns::PendingConcerns;
use crate::components::photo_gallery::PhotoGallery;
use crate::components::undo_delete::UndoDelete;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::message::{error_slot, said, ErrorNote, Said};
use crate::records;
use crate::records::photos::Subject;
use crate::store::{Relation, StoreError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use model::review::ReviewState;
use model::{Activity, Concern, ConcernCategory};

/// The activity screen.
#[component]
pub fn ForumDetailPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    let doc = {
        let id = id.clone();
        LocalResource::new(move || {
            ctx.changed.track();
            let (store, id) = (ctx.store(), id.clone());
            async move { records::find::<Activity>(&store, &id).await }
        })
    };
    let error = RwSignal::new(None::<Said>);
    let UndoDelete {
        deleted,
        remove,
        undo,
    } = UndoDelete::new(id.clone(), error, true);
    let this = id.clone();
    view! {
        <Show when=move || deleted.with(Option::is_some)>
            <div class="toast" role="status" data-testid="undo-toast">
                {t!(i18n, deleted)}" "<button data-testid="undo" on:click=move |_| undo.run(())>{t!(i18n, undo)}</button>
            </div>
        </Show>
        {error_slot(error, "field-error", None)}
        {loaded_found(doc, move |d| view! { <Details doc=d on_delete=move |_| remove.run(())/> }.into_any())}
        <Show when=move || deleted.with(Option::is_none)>
            <ForumSurvey activity_id=this.clone()/>
            <PhotoGallery subject=Subject::Activity(this.clone()) subject_id=this.clone()/>
            <AddConcern activity_id=this.clone()/>
            <ActivityConcerns activity_id=this.clone()/>
        </Show>
        <PendingConcerns exclude=Some(id.clone())/>
    }
}

#[component]
fn Details<F: Fn(leptos::ev::MouseEvent) + 'static>(doc: Activity, on_delete: F) -> impl IntoView {
    let i18n = use_i18n();
    let (start, end, kind) = (&doc.start, &doc.end, doc.kind);
    let when = format!(
        "{} {}–{}",
        start.get(..10).unwrap_or_default(),
        start.get(11..16).unwrap_or_default(),
        end.get(11..16).unwrap_or_default()
    );
    let present = doc.villagers_present;
    // Place and host, each followed by " · ", left out when empty (no "· ·").
    let where_who: String = [&doc.place, &doc.host]
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| format!("{p} · "))
        .collect();
    let review = doc.clone();
    view! {
        <article class="activity" data-testid="activity">
            <h2>{doc.title.clone()}</h2>
            <ReviewNote doc=review/>
            <p class="row-meta"><span class="tag">{move || labels::kind(i18n, kind)}</span>" "{when}</p>
            <p class="row-meta" data-testid="activity-where">{where_who}{t!(i18n, villagers_present)}" "{present}</p>
            <ol class="agenda-view">
                {doc.agenda.iter().map(|seg| view! { <li>{seg.line()}</li> }).collect_view()}
            </ol>
            <p class="notes">{doc.notes.clone()}</p>
            <div class="actions">
                <A href=format!("/forums/{}/roster", doc.meta.id) attr:class="button primary" attr:data-testid="open-roster">{t!(i18n, roster_title)}</A>
                <A href=format!("/forums/{}/edit", doc.meta.id) attr:class="button" attr:data-testid="edit-forum">{t!(i18n, edit)}</A>
                <A href=format!("/forums/{}/print", doc.meta.id) attr:class="button" attr:data-testid="print-forum">{t!(i18n, p_print_forum)}</A>
                <button class="quiet" data-testid="delete-forum" on:click=on_delete>{t!(i18n, delete)}</button>
            </div>
        </article>
    }
}

/// Where the activity stands with headquarters, when it has been reviewed: 已审核,
/// 退回：reason (for the cadre to correct) or 已修改，待审核 (edited since the review).
#[component]
fn ReviewNote(doc: Activity) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let state = LocalResource::new(move || {
        // A review arrives by sync without the activity changing.
        ctx.changed.track();
        let (store, doc) = (ctx.store(), doc.clone());
        async move { records::reviews::state_of(&store, &doc).await }
    });
    move || {
        match state.get() {
        Some(Ok(ReviewState::Approved)) => view! {
            <p class="review approved" data-testid="review-state" data-state="approved">{t!(i18n, rv_approved)}</p>
        }
        .into_any(),
        Some(Ok(ReviewState::Returned(reason))) => view! {
            <p class="review returned" data-testid="review-state" data-state="returned">
                {t!(i18n, rv_returned)}{reason}
            </p>
        }
        .into_any(),
        Some(Ok(ReviewState::Changed)) => view! {
            <p class="review changed" data-testid="review-state" data-state="changed">{t!(i18n, rv_changed)}</p>
        }
        .into_any(),
        Some(Err(e)) => view! { <ErrorNote error=e/> }.into_any(),
        _ => ().into_any(),
    }
    }
}

/// Adds a concern in one step: text, a category chip, an optional villager name.
#[component]
fn AddConcern(activity_id: String) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let (text, villager) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let category = RwSignal::new(ConcernCategory::Other);
    let error = RwSignal::new(None::<Said>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let (store, act) = (ctx.store(), activity_id.clone());
        spawn_local(async move {
            match records::add_concern(
                &store,
                &profile,
                &act,
                &text.get_untracked(),
                category.get_untracked().as_str(),
                &villager.get_untracked(),
            )
            .await
            {
                Ok(()) => {
                    _ = text.try_set(String::new());
                    _ = villager.try_set(String::new());
                    _ = category.try_set(ConcernCategory::Other);
                    _ = error.try_set(None);
                    ctx.notify_changed();
                }
                Err(e) => _ = error.try_set(Some(said(e))),
            }
        });
    };
    view! {
        <form class="form add-concern" on:submit=add data-testid="add-concern" novalidate>
            <h3>{t!(i18n, add_concern)}</h3>
            <textarea name="concern" rows="2" placeholder=move || t_string!(i18n, concern_text) bind:value=text></textarea>
            <div class="chips" role="radiogroup">
                {ConcernCategory::ALL.iter().map(|&c| {
                    view! {
                        <button type="button" class="chip" role="radio" data-category=c.as_str()
                            aria-checked=move || (category.get() == c).to_string()
                            on:click=move |_| category.set(c)>{move || labels::category(i18n, c)}</button>
                    }
                }).collect_view()}
            </div>
            <input name="villager" placeholder=move || t_string!(i18n, villager_name) bind:value=villager/>
            {error_slot(error, "field-error", None)}
            <button class="primary" type="submit" data-testid="add-concern-ok">{t!(i18n, add)}</button>
        </form>
    }
}

/// The concerns raised at this activity.
#[component]
fn ActivityConcerns(activity_id: String) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let list = LocalResource::new(move || {
        ctx.changed.track();
        let (store, id) = (ctx.store(), activity_id.clone());
        async move {
            let mut v = store
                .related_as::<Concern>(Relation::ConcernsByActivity, &id)
                .await?;
            v.sort_by(|a, b| a.meta.created_at.cmp(&b.meta.created_at));
            Ok::<_, StoreError>(v)
        }
    });
    view! {
        <section data-testid="activity-concerns">
            <h3>{t!(i18n, concerns_here)}</h3>
            {failure(list)}
            <For each=move || rows(list) key=|c| (c.meta.id.clone(), c.meta.rev.clone()) let:c>
                <ConcernCard concern=c/>
            </For>
        </section>
    }
}
