//! One villager concern, each fact labelled (反映人 / 承办 / 期限 with 已超期 / 结果), and
//! the next step of its loop: 派单 (a team picked from the station's, due date), 办结
//! (what was done), 评价 (满意 / 基本满意 / 不满意 + comment), 重新打开 after 不满意, and
//! delete with undo. A team typed by an earlier build shows as written, flagged
//! 未关联服务队, with 关联服务队 to pick the team it meant. A resolved concern opens its
//! 办结照片 (the photos that show it done, `photo_gallery`). Calls `records`; never opens
//! the store itself.

use crate::components::date_field::DateField;
use crate::components::name_picker::{NamePicker, Pick};
use crate::components::photo_gallery::PhotoGallery;
use crate::components::undo_delete::UndoDelete;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::message::{error_slot, said, Said, UserMessage};
use crate::records::{self, people::team_name, photos::Subject, today, RecordError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use model::concern::{Rating, Step};
use model::date_input::FieldKind;
use model::{Concern, ConcernStatus};

/// The action panel currently open on a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Closed,
    Dispatch,
    Resolve,
    Rate,
    Link,
    Photos,
}

/// A concern with its actions, as listed (the winning body).
#[component]
pub fn ConcernCard(concern: Concern) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let (id, status, category) = (concern.meta.id.clone(), concern.status, concern.category);
    let (text, villager, assigned, due_on, done) = (
        concern.text.clone(),
        concern.villager.clone(),
        concern.assigned_team().to_owned(),
        concern.due().to_owned(),
        concern.resolution().to_owned(),
    );
    let photo_of = StoredValue::new(id.clone());
    let overdue = concern.is_overdue(&today());
    let unlinked = concern.unlinked_team().map(str::to_owned);
    let can_link = unlinked.is_some();
    let team_label = {
        let assigned = assigned.clone();
        let linked = unlinked.is_none();
        LocalResource::new(move || {
            let (store, assigned) = (ctx.store(), assigned.clone());
            async move {
                match linked {
                    true => team_name(&store, &assigned).await,
                    false => Ok(None),
                }
            }
        })
    };
    let panel = RwSignal::new(Panel::Closed);
    let (team, due, resolution, comment) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let error = RwSignal::new(None::<Said>);
    let run = {
        let id = id.clone();
        Callback::new(move |step: Step| {
            let (store, id) = (ctx.store(), id.clone());
            spawn_local(async move {
                match records::step_concern(&store, &id, &step).await {
                    Ok(()) => ctx.notify_changed(),
                    Err(e) => report(error, &e),
                }
            });
        })
    };
    let UndoDelete {
        deleted,
        remove,
        undo,
    } = UndoDelete::new(id.clone(), error, false);
    let rating = concern.rating().to_owned();
    // The labelled facts that are there, joined by " · " (nothing for what is missing).
    let facts = {
        let (villager, assigned, due_on, done, rating) = (
            villager.clone(),
            assigned.clone(),
            due_on.clone(),
            done.clone(),
            rating.clone(),
        );
        move || {
            let mut parts: Vec<AnyView> = Vec::new();
            if !villager.is_empty() {
                parts.push(view! { <span class="fact" data-testid="concern-villager">{t!(i18n, concern_by)}" "{villager.clone()}</span> }.into_any());
            }
            if let Some(written) = unlinked.clone() {
                parts.push(view! {
                    <span class="fact" data-testid="concern-team">{t!(i18n, concern_team)}" "{written}" "
                        <span class="tag unlinked" data-testid="team-unlinked">{t!(i18n, team_unlinked)}</span>
                    </span>
                }.into_any());
            } else if !assigned.is_empty() {
                let name = move || match team_label.get() {
                    Some(Ok(Some(name))) => name,
                    Some(Ok(None)) => t_string!(i18n, team_unknown).to_owned(),
                    Some(Err(e)) => e.message(i18n.get_locale()),
                    None => String::new(),
                };
                parts.push(view! { <span class="fact" data-testid="concern-team">{t!(i18n, concern_team)}" "{name}</span> }.into_any());
            }
            if !due_on.is_empty() {
                parts.push(view! {
                    <span class="fact" data-testid="concern-due">{t!(i18n, concern_due)}" "{due_on.clone()}
                        {overdue.then(|| view! { " "<span class="tag overdue" data-testid="overdue">{t!(i18n, overdue)}</span> })}
                    </span>
                }.into_any());
            }
            if !done.is_empty() {
                parts.push(view! { <span data-testid="concern-result">{t!(i18n, concern_result)}" "{done.clone()}</span> }.into_any());
            }
            if !rating.is_empty() {
                let r = rating.clone();
                parts.push(
                    view! { <span>{move || labels::rating_text(i18n, &r)}</span> }.into_any(),
                );
            }
            parts
                .into_iter()
                .enumerate()
                .map(|(i, part)| view! { {(i > 0).then_some(" · ")}{part} })
                .collect_view()
        }
    };
    view! {
        <Show when=move || deleted.with(Option::is_none) fallback=move || view! {
            <div class="toast" role="status" data-testid="undo-toast">{t!(i18n, deleted)}" "<button on:click=move |_| undo.run(())>{t!(i18n, undo)}</button></div>
        }>
        <div class="concern" data-testid="concern" data-status=status.as_str()>
            <div class="row-title">{text.clone()}</div>
            <div class="row-meta">
                <span class="tag">{move || labels::category(i18n, category)}</span>" "
                <span class="tag status" data-testid="concern-status">{move || labels::status(i18n, status)}</span>
            </div>
            <div class="row-meta facts" data-testid="concern-facts">{facts()}</div>
            <div class="actions">
                {concern.is_pending().then(|| view! { <button data-testid="dispatch" on:click=move |_| panel.set(Panel::Dispatch)>{t!(i18n, dispatch)}</button> })}
                {(status == ConcernStatus::Assigned).then(|| view! { <button data-testid="resolve" on:click=move |_| panel.set(Panel::Resolve)>{t!(i18n, resolve)}</button> })}
                {(status == ConcernStatus::Resolved).then(|| view! { <button data-testid="rate" on:click=move |_| panel.set(Panel::Rate)>{t!(i18n, rate)}</button> })}
                {(status == ConcernStatus::Rated && rating == Rating::Unsatisfied.as_str()).then(|| view! { <button on:click=move |_| run.run(Step::Reopen)>{t!(i18n, reopen)}</button> })}
                {matches!(status, ConcernStatus::Resolved | ConcernStatus::Rated).then(|| view! { <button data-testid="concern-photos" on:click=move |_| panel.set(Panel::Photos)>{t!(i18n, concern_photos)}</button> })}
                {can_link.then(|| view! { <button data-testid="link-team" on:click=move |_| panel.set(Panel::Link)>{t!(i18n, team_link)}</button> })}
                <button class="quiet" data-testid="delete-concern" on:click=move |_| remove.run(())>{t!(i18n, delete)}</button>
            </div>
            <Show when=move || panel.get() == Panel::Dispatch>
                <div class="panel">
                    <div class="field"><span class="label">{t!(i18n, assigned_team)}</span><NamePicker pick=Pick::Team chosen=team/></div>
                    <label class="due">{t!(i18n, due_date)}
                        <DateField kind=FieldKind::Date value=due on_input=Callback::new(move |v| due.set(v)) testid="dispatch-due"/>
                    </label>
                    <button class="primary" data-testid="dispatch-ok" on:click=move |_| run.run(Step::Dispatch { team: team.get(), due: due.get() })>{t!(i18n, confirm)}</button>
                </div>
            </Show>
            <Show when=move || panel.get() == Panel::Link>
                <div class="panel">
                    <div class="field"><span class="label">{t!(i18n, assigned_team)}</span><NamePicker pick=Pick::Team chosen=team/></div>
                    <button class="primary" data-testid="link-ok" on:click=move |_| run.run(Step::LinkTeam { team: team.get() })>{t!(i18n, confirm)}</button>
                </div>
            </Show>
            <Show when=move || panel.get() == Panel::Resolve>
                <div class="panel">
                    <textarea data-testid="resolution" rows="2" placeholder=move || t_string!(i18n, resolution) bind:value=resolution></textarea>
                    <button class="primary" data-testid="resolve-ok" on:click=move |_| run.run(Step::Resolve { resolution: resolution.get() })>{t!(i18n, confirm)}</button>
                </div>
            </Show>
            <Show when=move || panel.get() == Panel::Rate>
                <div class="panel">
                    <input data-testid="rating-comment" placeholder=move || t_string!(i18n, rating_comment) bind:value=comment/>
                    <div class="choices">
                        {Rating::ALL.into_iter().map(|r| view! {
                            <button data-testid=format!("rate-{}", r.as_str()) on:click=move |_| run.run(Step::Rate { rating: r, comment: comment.get() })>{move || labels::rating(i18n, r)}</button>
                        }).collect_view()}
                    </div>
                </div>
            </Show>
            <Show when=move || panel.get() == Panel::Photos>
                <PhotoGallery subject=Subject::Concern(photo_of.get_value()) subject_id=photo_of.get_value() evidence=true/>
            </Show>
            {error_slot(error, "field-error", None)}
        </div>
        </Show>
    }
}

fn report(error: RwSignal<Option<Said>>, e: &RecordError) {
    leptos::logging::error!("yehua: concern: {e}");
    _ = error.try_set(Some(said(e.clone())));
}
