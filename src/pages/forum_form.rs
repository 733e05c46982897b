//! New and edit activity form. Everything typed is kept as a draft in IndexedDB
//! (debounced), so a reload or a killed tab loses nothing; Save writes a revision and drops
//! the draft. While a keystroke is not yet in the draft, leaving the page asks first.
//! A new 夜话 shows the concerns earlier forums left open (上次夜话遗留问题).

use crate::components::date_field::DateField;
use crate::components::pending_concerns::PendingConcerns;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::message::{error_slot, said, Said, UserMessage};
use crate::records::people::{team_choices, volunteer_choices};
use crate::records::{activity_form, draft_key, load_draft, save_activity, save_draft, today};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use model::date_input::FieldKind;
use model::doc::Segment;
use model::form::ActivityForm;

/// Quiet time after the last keystroke before the draft is written.
const DRAFT_DEBOUNCE_MS: u32 = 400;

/// The activity form screen (`/forums/new`, `/forums/:id/edit`).
#[component]
pub fn ForumFormPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let id = use_params_map().with_untracked(|p| p.get("id"));
    let key = draft_key(id.as_deref());
    let form = RwSignal::new(None::<ActivityForm>);
    let persisted = RwSignal::new(None::<ActivityForm>);
    let error = RwSignal::new(None::<Said>);
    {
        let (store, key, id) = (ctx.store(), key.clone(), id.clone());
        spawn_local(async move {
            let initial = match (load_draft(&store, &key).await, &id) {
                (Ok(Some(draft)), _) => draft,
                (_, Some(id)) => match activity_form(&store, id).await {
                    Ok(form) => form,
                    Err(e) => {
                        _ = error.try_set(Some(said(e)));
                        return;
                    }
                },
                (_, None) => ActivityForm::new_forum(&today()),
            };
            _ = persisted.try_set(Some(initial.clone()));
            _ = form.try_set(Some(initial));
        });
    }
    // Keep the draft in step with what is typed.
    let edits = RwSignal::new(0u32);
    let key_for_draft = key.clone();
    Effect::new(move |prev: Option<()>| {
        let Some(current) = form.get() else { return };
        if prev.is_none() || persisted.get_untracked().as_ref() == Some(&current) {
            return;
        }
        let n = edits.get_untracked() + 1;
        edits.set(n);
        let (store, key) = (ctx.store(), key_for_draft.clone());
        spawn_local(async move {
            TimeoutFuture::new(DRAFT_DEBOUNCE_MS).await;
            if edits.try_get_untracked() != Some(n) {
                return; // a newer keystroke, or the page is gone
            }
            match save_draft(&store, &key, &current).await {
                Ok(()) => _ = persisted.try_set(Some(current)),
                Err(e) => leptos::logging::error!("yehua: draft: {e}"),
            }
        });
    });
    let unsaved = move || form.with(|f| f.is_some()) && form.get() != persisted.get();
    let guard = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if unsaved() {
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    on_cleanup(move || guard.remove());
    let navigate = use_navigate();
    let saving = RwSignal::new(false);
    let save = Callback::new(move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(f), Some(profile)) = (form.get_untracked(), ctx.profile.get_untracked()) else {
            return;
        };
        let (store, navigate) = (ctx.store(), navigate.clone());
        saving.set(true);
        spawn_local(async move {
            match save_activity(&store, &profile, &f).await {
                Ok(id) => {
                    _ = persisted.try_set(Some(f));
                    ctx.notify_changed();
                    navigate(&format!("/forums/{id}"), Default::default());
                }
                Err(e) => {
                    leptos::logging::error!("yehua: save activity: {e}");
                    _ = error.try_set(Some(said(e)));
                }
            }
            _ = saving.try_set(false);
        });
    });
    let set = move |apply: fn(&mut ActivityForm, String)| {
        move |ev| {
            let v = event_target_value(&ev);
            form.update(|f| {
                if let Some(f) = f {
                    apply(f, v)
                }
            })
        }
    };
    let get = move |read: fn(&ActivityForm) -> String| {
        move || form.with(|f| f.as_ref().map(read).unwrap_or_default())
    };
    // A date or time field of the form: shows `read`, writes through `apply`.
    let when = move |kind: FieldKind,
                     name: &'static str,
                     read: fn(&ActivityForm) -> String,
                     apply: fn(&mut ActivityForm, String)| {
        view! {
            <DateField kind=kind name=name value=Signal::derive(get(read))
                on_input=Callback::new(move |v| form.update(|f| if let Some(f) = f { apply(f, v) }))/>
        }
    };
    let is_forum = move || form.with(|f| f.as_ref().is_some_and(|f| f.kind == "evening_forum"));
    let this_id = StoredValue::new(id.clone());
    view! {
        <h2>{if id.is_some() { t!(i18n, edit_forum).into_any() } else { t!(i18n, new_forum).into_any() }}</h2>
        <Show when=move || form.with(Option::is_some) fallback=move || view! { <p class="hint">{move || error.get().map(|e| e.message(i18n.get_locale()))}</p> }>
            <form class="form" on:submit=move |ev| save.run(ev) data-testid="forum-form" novalidate>
                <label>{t!(i18n, field_title)}<input name="title" prop:value=get(|f| f.title.clone()) on:input=set(|f, v| f.title = v)/></label>
                <label>{t!(i18n, field_kind)}
                    <select name="kind" prop:value=get(|f| f.kind.clone()) on:change=set(|f, v| f.set_kind(&v))>
                        {model::ActivityKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{labels::kind(i18n, *k)}</option> }).collect_view()}
                    </select>
                </label>
                <label>{t!(i18n, field_date)}{when(FieldKind::Date, "date", |f| f.date.clone(), |f, v| f.date = v)}</label>
                <div class="two">
                    <label>{t!(i18n, field_start)}{when(FieldKind::Time, "start", |f| f.start.clone(), |f, v| f.start = v)}</label>
                    <label>{t!(i18n, field_end)}{when(FieldKind::Time, "end", |f| f.end.clone(), |f, v| f.end = v)}</label>
                </div>
                <label>{t!(i18n, field_place)}<input name="place" prop:value=get(|f| f.place.clone()) on:input=set(|f, v| f.place = v)/></label>
                <label>{t!(i18n, field_host)}<input name="host" list="speakers" prop:value=get(|f| f.host.clone()) on:input=set(|f, v| f.host = v)/></label>
                <label>{t!(i18n, villagers_present)}<input name="villagers" inputmode="numeric" prop:value=get(|f| f.villagers.clone()) on:input=set(|f, v| f.villagers = v)/></label>
                <label>{t!(i18n, field_teams)}<input name="teams" prop:value=get(|f| f.teams.clone()) on:input=set(|f, v| f.teams = v)/></label>
                <AgendaEditor form=form/>
                <label>{t!(i18n, field_notes)}<textarea name="notes" rows="4" prop:value=get(|f| f.notes.clone()) on:input=set(|f, v| f.notes = v)></textarea></label>
                {error_slot(error, "field-error", Some("form-error"))}
                <p class="hint" data-testid="draft-status">
                    {move || if unsaved() { t_string!(i18n, draft_pending) } else { t_string!(i18n, draft_kept) }}
                </p>
                <button class="primary" type="submit" disabled=move || saving.get()>{t!(i18n, save)}</button>
            </form>
            <Show when=is_forum>
                <PendingConcerns exclude=this_id.get_value()/>
            </Show>
        </Show>
        <SpeakerList/>
    }
}

/// The agenda: segments with title, speaker and minutes; add, remove, move up.
#[component]
fn AgendaEditor(form: RwSignal<Option<ActivityForm>>) -> impl IntoView {
    let i18n = use_i18n();
    let len = move || form.with(|f| f.as_ref().map_or(0, |f| f.agenda.len()));
    let seg = move |i: usize, read: fn(&Segment) -> String| {
        move || {
            form.with(|f| {
                f.as_ref()
                    .and_then(|f| f.agenda.get(i))
                    .map(read)
                    .unwrap_or_default()
            })
        }
    };
    let edit = move |i: usize, apply: fn(&mut Segment, String)| {
        move |ev| {
            let v = event_target_value(&ev);
            form.update(|f| {
                if let Some(s) = f.as_mut().and_then(|f| f.agenda.get_mut(i)) {
                    apply(s, v)
                }
            })
        }
    };
    let change = move |op: fn(&mut ActivityForm, usize), i: usize| {
        move |_| {
            form.update(|f| {
                if let Some(f) = f {
                    op(f, i)
                }
            })
        }
    };
    view! {
        <fieldset class="agenda" data-testid="agenda">
            <legend>{t!(i18n, agenda)}</legend>
            <For each=move || 0..len() key=|i| *i let:i>
                <div class="segment" data-testid="segment">
                    <input class="seg-title" aria-label=move || t_string!(i18n, segment_title) prop:value=seg(i, |s| s.title.clone()) on:input=edit(i, |s, v| s.title = v)/>
                    <input class="seg-speaker" list="speakers" placeholder=move || t_string!(i18n, segment_speaker) prop:value=seg(i, |s| s.speaker.clone()) on:input=edit(i, |s, v| s.speaker = v)/>
                    <input class="seg-minutes" inputmode="numeric" aria-label=move || t_string!(i18n, segment_minutes) prop:value=seg(i, |s| s.minutes.to_string()) on:input=edit(i, |s, v| s.minutes = v.trim().parse().unwrap_or(0))/>
                    <button type="button" class="icon" aria-label=move || t_string!(i18n, move_up) on:click=change(ActivityForm::move_up, i)>"↑"</button>
                    <button type="button" class="icon" aria-label=move || t_string!(i18n, remove) on:click=change(|f, i| { if i < f.agenda.len() { f.agenda.remove(i); } }, i)>"✕"</button>
                </div>
            </For>
            <button type="button" data-testid="add-segment" on:click=move |_| form.update(|f| if let Some(f) = f { f.agenda.push(Segment::default()) })>{t!(i18n, add_segment)}</button>
        </fieldset>
    }
}

/// Names to pick a speaker or host from: volunteers and teams on this phone, in pinyin
/// order.
#[component]
fn SpeakerList() -> impl IntoView {
    let ctx = use_app();
    let names = LocalResource::new(move || {
        let store = ctx.store();
        async move {
            let mut names: Vec<String> = Vec::new();
            if let Ok(v) = volunteer_choices(&store).await {
                names.extend(v.into_iter().map(|c| c.name));
            }
            if let Ok(t) = team_choices(&store).await {
                names.extend(t.into_iter().map(|c| c.name));
            }
            crate::collate::sort_by_name(&mut names, |n| n.as_str());
            names
        }
    });
    view! {
        <datalist id="speakers">
            {move || names.get().unwrap_or_default().into_iter().map(|n| view! { <option value=n/> }).collect_view()}
        </datalist>
    }
}
