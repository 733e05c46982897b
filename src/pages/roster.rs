//! 签到 roster of one activity (`/forums/:id/roster`): every active volunteer, members of the
//! activity's teams first, each group in pinyin order (`collate`), with one big tap to
//! check in and another to check out, a role, 全部签退 (after saying how many it checks out
//! and asking), a count of who is here, and each finished stay's length. Writes through
//! `records::people`.

use crate::components::loaded::failure;
use crate::components::qr_scanner::QrScanner;
use crate::ctx::use_app;
use crate::i18n::*;
use crate::labels;
use crate::message::{error_slot, said, Said};
use crate::records::people::{check_in, check_out, check_out_all, set_role, ROLES};
use crate::records::roster::{roster, Line};
use crate::records::RecordError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use model::id::attendance_id;

/// The roster screen.
#[component]
pub fn RosterPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let activity_id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    let error = RwSignal::new(None::<Said>);
    let act = activity_id.clone();
    let data = LocalResource::new(move || {
        ctx.changed.track();
        let (store, act) = (ctx.store(), act.clone());
        async move { roster(&store, &act).await }
    });
    let done = move |r: Result<(), RecordError>| match r {
        Ok(()) => ctx.notify_changed(),
        Err(e) => _ = error.try_set(Some(said(e))),
    };
    // 全部签退 first says how many it will check out; 确定 does it.
    let asking = RwSignal::new(false);
    let all_out = {
        let act = activity_id.clone();
        move |_| {
            asking.set(false);
            let (store, act) = (ctx.store(), act.clone());
            spawn_local(async move { done(check_out_all(&store, &act).await.map(|_| ())) });
        }
    };
    let scanning = RwSignal::new(false);
    let scanned = {
        let act = activity_id.clone();
        Callback::new(move |vid: String| {
            let Some(profile) = ctx.profile.get_untracked() else {
                return;
            };
            let (store, act) = (ctx.store(), act.clone());
            spawn_local(
                async move { done(check_in(&store, &profile, &act, &vid, "service").await) },
            );
        })
    };
    let lines = move || {
        data.get()
            .and_then(Result::ok)
            .map(|(_, l)| l)
            .unwrap_or_default()
    };
    let here = move || {
        lines()
            .iter()
            .filter(|l| l.attendance.as_ref().is_some_and(|a| a.check_out.is_none()))
            .count()
    };
    let came = move || lines().iter().filter(|l| l.attendance.is_some()).count();
    view! {
        <h2>{t!(i18n, roster_title)}" · "{move || data.get().and_then(Result::ok).map(|(a, _)| a.title)}</h2>
        <div class="roster-head">
            <span data-testid="here-count">{t!(i18n, here_now)}" "{here}</span>" · "
            <span data-testid="came-count">{t!(i18n, checked_in_total)}" "{came}</span>
            <button data-testid="check-out-all" disabled=move || here() == 0 on:click=move |_| asking.set(true)>{t!(i18n, check_out_all)}</button>
            <button data-testid="scan" on:click=move |_| scanning.set(true)>{t!(i18n, scan_card)}</button>
        </div>
        <Show when=move || { asking.get() && here() > 0 }>
            <div class="panel confirm" role="alertdialog" data-testid="check-out-all-ask">
                <p>{move || t!(i18n, check_out_all_ask, n = here())}</p>
                <div class="actions">
                    <button class="primary" data-testid="check-out-all-ok" on:click=all_out.clone()>{t!(i18n, confirm)}</button>
                    <button data-testid="check-out-all-cancel" on:click=move |_| asking.set(false)>{t!(i18n, cancel)}</button>
                </div>
            </div>
        </Show>
        <Show when=move || scanning.get()>
            <QrScanner on_scan=scanned on_close=Callback::new(move |_| scanning.set(false))/>
        </Show>
        {error_slot(error, "field-error", None)}
        {failure(data)}
        <ul class="roster" data-testid="roster">
            <For each=lines key=|l| (l.volunteer.meta.id.clone(), l.attendance.as_ref().map(|a| a.meta.rev.clone())) let:line>
                <RosterLine line=line activity_id=activity_id.clone() done=done/>
            </For>
        </ul>
    }
}

#[component]
fn RosterLine(
    line: Line,
    activity_id: String,
    done: impl Fn(Result<(), RecordError>) + Copy + 'static,
) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let vid = line.volunteer.meta.id.clone();
    let name = line.volunteer.name.clone();
    let aid = attendance_id(&activity_id, &vid);
    let hm = |t: Option<&str>| t.and_then(|s| s.get(11..16)).unwrap_or_default().to_owned();
    let action = match &line.attendance {
        None => {
            let tap = move |_| {
                let Some(profile) = ctx.profile.get_untracked() else {
                    return;
                };
                let (store, act, vid) = (ctx.store(), activity_id.clone(), vid.clone());
                spawn_local(async move {
                    done(check_in(&store, &profile, &act, &vid, "service").await)
                });
            };
            view! { <button class="big in" data-testid="check-in" on:click=tap>{t!(i18n, check_in)}</button> }.into_any()
        }
        Some(a) if a.check_out.is_none() => {
            let (aid2, aid3) = (aid.clone(), aid.clone());
            let role = a.role().to_owned();
            let out = move |_| {
                let (store, aid) = (ctx.store(), aid2.clone());
                spawn_local(async move { done(check_out(&store, &aid).await) });
            };
            let change = move |ev| {
                let (store, aid, r) = (ctx.store(), aid3.clone(), event_target_value(&ev));
                spawn_local(async move { done(set_role(&store, &aid, &r).await) });
            };
            view! {
                <span class="since">{hm(Some(&a.check_in))}</span>
                <select class="role" data-testid="role" prop:value=role on:change=change>
                    {ROLES.iter().map(|r| view! { <option value=*r>{move || labels::role(i18n, r)}</option> }).collect_view()}
                </select>
                <button class="big out" data-testid="check-out" on:click=out>{t!(i18n, check_out)}</button>
            }
            .into_any()
        }
        Some(a) => {
            // A stay shorter than a minute (checked out by mistake the minute after) says so
            // instead of a bare 14:32–14:32.
            let minutes = a.service(None).map(|s| s.minutes).unwrap_or(0);
            let span = if minutes == 0 {
                view! { {hm(Some(&a.check_in))}" · "{t!(i18n, under_a_minute)} }.into_any()
            } else {
                view! { {hm(Some(&a.check_in))}"–"{hm(a.check_out.as_deref())}" · "{minutes}" "{t!(i18n, minutes)} }.into_any()
            };
            view! { <span class="done" data-testid="checked-out" data-minutes=minutes>{span}</span> }.into_any()
        }
    };
    view! {
        <li class="roster-line" data-testid="roster-line" class:member=line.member>
            <span class="name">{name}</span>
            {action}
        </li>
    }
}
