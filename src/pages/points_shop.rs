//! 积分超市 (`/points`): the station's items with price and stock left, redeeming for a
//! volunteer (chosen here, or already chosen when the volunteer's page led here:
//! `?volunteer=<id>`) in two taps — 兑换 on the item, then 确认 — refused with the balance
//! or the stock shown; a form to add an item or edit one (its stock typed as what is on the
//! shelf now), and 下架 to take one off. Links to the rules and the 光荣榜.
//! Reads and writes through `records::points`.

use crate::components::loaded::loaded;
use crate::components::name_picker::{NamePicker, Pick};
use crate::ctx::use_app;
use crate::i18n::*;
use crate::message::{error_slot, message_text, said, Said};
use crate::records::points::{redeem, save_item, shop, volunteer_points, withdraw_item, ShopRow};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

/// The shop screen.
#[component]
pub fn PointsShopPage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let volunteer = RwSignal::new(
        use_query_map()
            .with_untracked(|q| q.get("volunteer"))
            .unwrap_or_default(),
    );
    let items = LocalResource::new(move || {
        ctx.changed.track();
        let store = ctx.store();
        async move { shop(&store).await }
    });
    let balance = LocalResource::new(move || {
        ctx.changed.track();
        let (store, v) = (ctx.store(), volunteer.get());
        async move {
            match v.is_empty() {
                true => None,
                false => volunteer_points(&store, &v)
                    .await
                    .ok()
                    .map(|p| p.ledger.balance),
            }
        }
    });
    // The item whose 兑换 was tapped, waiting for 确认.
    let asking = RwSignal::new(None::<String>);
    let (message, error) = (RwSignal::new(None::<Said>), RwSignal::new(None::<Said>));
    let confirm = move |item: String| {
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let (store, v) = (ctx.store(), volunteer.get_untracked());
        spawn_local(async move {
            match redeem(&store, &profile, &v, &item, 1).await {
                Ok(_) => {
                    _ = asking.try_set(None);
                    _ = error.try_set(None);
                    _ = message.try_set(Some(Said::text(|l| {
                        td_string!(l, shop_redeemed).to_string()
                    })));
                    ctx.notify_changed();
                }
                Err(e) => {
                    _ = message.try_set(None);
                    _ = error.try_set(Some(said(e)));
                }
            }
        });
    };
    let editing = RwSignal::new(None::<ShopRow>);
    let withdraw = move |id: String| {
        let store = ctx.store();
        spawn_local(async move {
            match withdraw_item(&store, &id).await {
                Ok(_) => ctx.notify_changed(),
                Err(e) => _ = error.try_set(Some(said(e))),
            }
        });
    };
    let list = loaded(items, move |rows| {
        if rows.is_empty() {
            return view! { <p class="empty" data-testid="shop-empty">{t!(i18n, shop_empty)}</p> }
                .into_any();
        }
        rows.into_iter().map(|row| {
            let id = row.item.meta.id.clone();
            let (ask_id, confirm_id, shown_id) = (id.clone(), id.clone(), id.clone());
            let (name, price) = (row.item.name.clone(), row.item.points);
            let left = row.left.map_or_else(|| t_string!(i18n, shop_unlimited).to_owned(), |n| n.to_string());
            let left_attr = left.clone();
            view! {
                <li data-testid="shop-item" data-left=left_attr>
                    <div class="title-row">
                        <div class="row-title">{name}</div>
                        <button class="small" data-testid="redeem" disabled=move || volunteer.with(String::is_empty)
                            on:click=move |_| asking.set(Some(ask_id.clone()))>{t!(i18n, shop_redeem)}</button>
                    </div>
                    <div class="row-meta">{price}" "{t!(i18n, points_unit)}" · "{t!(i18n, shop_left)}" "{left}
                        " "<button class="quiet small" data-testid="item-edit" on:click={
                            let row = row.clone();
                            move |_| editing.set(Some(row.clone()))
                        }>{t!(i18n, edit)}</button>
                        <button class="quiet small" data-testid="item-withdraw" on:click={
                            let id = row.item.meta.id.clone();
                            move |_| withdraw(id.clone())
                        }>{t!(i18n, shop_withdraw)}</button>
                    </div>
                    <Show when=move || asking.get().as_deref() == Some(shown_id.as_str())>
                        <div class="actions">
                            <button class="primary" data-testid="redeem-ok" on:click={
                                let id = confirm_id.clone();
                                move |_| confirm(id.clone())
                            }>{t!(i18n, shop_confirm)}" −"{price}</button>
                            <button on:click=move |_| asking.set(None)>{t!(i18n, cancel)}</button>
                        </div>
                    </Show>
                </li>
            }
        }).collect_view().into_any()
    });
    view! {
        <div class="title-row">
            <h2>{t!(i18n, shop_title)}</h2>
            <a href="/points/roll" class="button small" data-testid="to-roll">{t!(i18n, roll_title)}</a>
            <a href="/points/rules" class="button small" data-testid="to-rules">{t!(i18n, rules_title)}</a>
        </div>
        <section class="form">
            <div class="field"><span class="label">{t!(i18n, shop_for)}</span>
                <NamePicker pick=Pick::Volunteer chosen=volunteer/></div>
            {move || balance.get().flatten().map(|b| view! {
                <p data-testid="shop-balance" data-value=b>{t!(i18n, points_balance)}" "<strong>{b}</strong>" "{t!(i18n, points_unit)}</p>
            })}
        </section>
        {move || message.get().map(|m| view! { <p class="ok" role="status" data-testid="shop-done">{message_text(m)}</p> })}
        {error_slot(error, "error", Some("shop-error"))}
        <ul class="doc-list" data-testid="shop-items">{list}</ul>
        <ItemForm editing/>
    }
}

/// The form that adds an item, or edits the one `editing` holds (its stock as what is on
/// the shelf now).
#[component]
fn ItemForm(editing: RwSignal<Option<ShopRow>>) -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let (name, price, stock, error) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(None::<Said>),
    );
    Effect::new(move |_| {
        if let Some(row) = editing.get() {
            name.set(row.item.name);
            price.set(row.item.points.to_string());
            stock.set(row.left.map(|n| n.max(0).to_string()).unwrap_or_default());
        }
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(profile) = ctx.profile.get_untracked() else {
            return;
        };
        let points = price.get_untracked().trim().parse::<u32>().ok();
        let stock_text = stock.get_untracked();
        let limit = stock_text.trim().parse::<u32>().ok();
        let (Some(points), true) = (points, limit.is_some() || stock_text.trim().is_empty()) else {
            error.set(Some(Said::text(|l| {
                td_string!(l, shop_item_bad).to_string()
            })));
            return;
        };
        let store = ctx.store();
        spawn_local(async move {
            let row = editing.get_untracked();
            match save_item(
                &store,
                &profile,
                row.as_ref(),
                &name.get_untracked(),
                points,
                limit,
            )
            .await
            {
                Ok(_) => {
                    for field in [name, price, stock] {
                        _ = field.try_set(String::new());
                    }
                    _ = editing.try_set(None);
                    _ = error.try_set(None);
                    ctx.notify_changed();
                }
                Err(e) => _ = error.try_set(Some(said(e))),
            }
        });
    };
    view! {
        <form class="form" on:submit=add data-testid="item-form" novalidate>
            <h3>{move || if editing.with(Option::is_some) { t_string!(i18n, shop_edit_item) } else { t_string!(i18n, shop_new_item) }}</h3>
            <label>{t!(i18n, shop_item_name)}<input name="item_name" bind:value=name/></label>
            <label>{t!(i18n, shop_item_points)}<input name="item_points" inputmode="numeric" bind:value=price/></label>
            <label>{t!(i18n, shop_item_stock)}<input name="item_stock" inputmode="numeric" bind:value=stock/></label>
            {error_slot(error, "field-error", None)}
            <div class="actions">
                <button class="primary" type="submit" data-testid="item-save">
                    {move || if editing.with(Option::is_some) { t_string!(i18n, save) } else { t_string!(i18n, add) }}
                </button>
                <Show when=move || editing.with(Option::is_some)>
                    <button type="button" on:click=move |_| {
                        editing.set(None);
                        for field in [name, price, stock] {
                            field.set(String::new());
                        }
                    }>{t!(i18n, cancel)}</button>
                </Show>
            </div>
        </form>
    }
}
