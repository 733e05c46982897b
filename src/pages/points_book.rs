//! A volunteer's 志愿积分册 for print (`/volunteers/:id/points`, 打印积分册 on the
//! volunteer's page): name, 志愿者编号 when known, the station, every points entry oldest
//! first with its source (activity and rules version, reason, item), the running balance,
//! 积分透支 when it went below zero, signature lines and the verification QR. Built by
//! `model::paper::points_book` through `records::paper`.

use crate::components::loaded::loaded_found;
use crate::components::paper::{station_name, PaperFrame, Signatures};
use crate::ctx::use_app;
use crate::i18n::*;
use crate::records::{now, paper};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::paper::points_book::PointsBook;

/// The points book print screen.
#[component]
pub fn PointsBookPage() -> impl IntoView {
    let ctx = use_app();
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    let data = LocalResource::new(move || {
        let (store, id) = (ctx.store(), id.clone());
        async move { paper::points_book(&store, &id).await }
    });
    loaded_found(data, |book| view! { <BookView book/> }.into_any())
}

fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, kind: &str) -> &'static str {
    match kind {
        "earned" => t_string!(i18n, book_earned),
        "adjustment" => t_string!(i18n, points_adjust),
        _ => t_string!(i18n, points_redeemed),
    }
}

#[component]
fn BookView(book: PointsBook) -> impl IntoView {
    let i18n = use_i18n();
    let stamp = book.stamp(&now());
    let name = station_name(&book.person.station);
    let number = Some(book.person.number.clone()).filter(|n| !n.is_empty());
    let (balance, overdrawn) = (book.balance, book.overdrawn);
    view! {
        <PaperFrame stamp testid="points-book-print">
            <section class="sheet points-book" data-testid="points-book-sheet">
                <header class="sheet-head">
                    <div class="sheet-station">{name}</div>
                    <h1>{t!(i18n, book_title)}</h1>
                </header>
                <dl class="sheet-facts">
                    <dt>{t!(i18n, p_name)}</dt><dd data-testid="book-name">{book.person.name.clone()}</dd>
                    {number.map(|n| view! { <dt>{t!(i18n, p_number)}</dt><dd>{n}</dd> })}
                    <dt>{t!(i18n, points_balance)}</dt><dd data-testid="book-balance" data-value=balance>{balance}</dd>
                </dl>
                {overdrawn.then(|| view! { <p class="overdrawn" data-testid="book-overdrawn">{t!(i18n, book_overdrawn)}</p> })}
                <table class="sheet-table" data-testid="book-lines">
                    <thead><tr>
                        <th>{t!(i18n, p_date)}</th><th>{t!(i18n, book_kind)}</th><th>{t!(i18n, book_what)}</th>
                        <th class="nowrap">{t!(i18n, book_delta)}</th><th class="nowrap">{t!(i18n, book_balance)}</th>
                    </tr></thead>
                    <tbody>
                        {book.lines.into_iter().map(|l| {
                            let source = if l.rule_from.is_empty() {
                                l.what.clone()
                            } else {
                                format!("{}（{} {}）", l.what, t_string!(i18n, book_rule), l.rule_from)
                            };
                            view! {
                                <tr data-testid="book-line" data-kind=l.kind data-delta=l.delta>
                                    <td class="nowrap">{l.date}</td><td class="nowrap">{kind_label(i18n, l.kind)}</td>
                                    <td>{source}</td><td class="num">{format!("{:+}", l.delta)}</td><td class="num">{l.balance}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <Signatures/>
            </section>
        </PaperFrame>
    }
}
