//! A volunteer's 志愿服务记录证明 for print (`/volunteers/:id/certificate`, 打印证明 on the
//! volunteer's page): a period chosen first (this year so far by default), then name,
//! 志愿者编号 when known, the station, each activity with date, role and counted hours, the
//! total, the issuing station and a seal area, and the certificate's verification QR.

use crate::components::date_field::DateField;
use crate::components::loaded::loaded_found;
use crate::components::paper::{role_text, station_name, PaperFrame};
use crate::ctx::use_app;
use crate::i18n::*;
use crate::records::{now, paper, today};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::date_input::FieldKind;
use model::paper::certificate::Certificate;
use model::paper::hours;

/// The certificate print screen.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let ctx = use_app();
    let i18n = use_i18n();
    let id = use_params_map()
        .with_untracked(|p| p.get("id"))
        .unwrap_or_default();
    let today = today();
    let from = RwSignal::new(format!("{}-01-01", &today[..4]));
    let to = RwSignal::new(today);
    let data = LocalResource::new(move || {
        let (store, id, from, to) = (ctx.store(), id.clone(), from.get(), to.get());
        async move { paper::certificate(&store, &id, &from, &to).await }
    });
    view! {
        <div class="form two no-print" data-testid="cert-period">
            <label>{t!(i18n, p_from_date)}
                <DateField kind=FieldKind::Date name="from" value=from on_input=Callback::new(move |v| from.set(v))/></label>
            <label>{t!(i18n, p_to_date)}
                <DateField kind=FieldKind::Date name="to" value=to on_input=Callback::new(move |v| to.set(v))/></label>
        </div>
        {loaded_found(data, |cert| view! { <CertificateView cert/> }.into_any())}
    }
}

#[component]
fn CertificateView(cert: Certificate) -> impl IntoView {
    let i18n = use_i18n();
    let stamp = cert.stamp(&now());
    let name = station_name(&cert.person.station);
    let total = hours(cert.total_minutes());
    let count = cert.entries.len();
    let Certificate {
        person,
        from,
        to,
        entries,
        ..
    } = cert;
    let number = Some(person.number.clone()).filter(|n| !n.is_empty());
    view! {
        <PaperFrame stamp testid="certificate-print">
            <section class="sheet certificate" data-testid="certificate-sheet">
                <header class="sheet-head">
                    <h1 class="cert-title">{t!(i18n, p_cert_title)}</h1>
                </header>
                <p>{t!(i18n, p_cert_intro)}</p>
                <dl class="sheet-facts">
                    <dt>{t!(i18n, p_name)}</dt><dd data-testid="cert-name">{person.name.clone()}</dd>
                    {number.map(|n| view! { <dt>{t!(i18n, p_number)}</dt><dd data-testid="cert-number">{n}</dd> })}
                    <dt>{t!(i18n, p_station)}</dt><dd>{name.clone()}</dd>
                    <dt>{t!(i18n, p_cert_period)}</dt><dd>{from}" "{t!(i18n, p_to)}" "{to}</dd>
                    <dt>{t!(i18n, p_cert_count)}</dt><dd>{count}</dd>
                    <dt>{t!(i18n, p_cert_total)}</dt><dd data-testid="cert-total">{total.clone()}</dd>
                </dl>
                <table class="sheet-table" data-testid="cert-entries">
                    <thead><tr><th>{t!(i18n, p_date)}</th><th>{t!(i18n, p_col_title)}</th><th>{t!(i18n, p_role)}</th><th>{t!(i18n, p_hours)}</th></tr></thead>
                    <tbody>
                        {entries.into_iter().map(|e| {
                            let role = e.role.clone();
                            view! { <tr data-testid="cert-entry"><td class="nowrap">{e.date}</td><td>{e.title}</td><td class="nowrap">{move || role_text(i18n, &role)}</td><td class="num">{hours(e.minutes)}</td></tr> }
                        }).collect_view()}
                        <tr class="total"><td colspan="3">{t!(i18n, p_total)}</td><td class="num">{total}</td></tr>
                    </tbody>
                </table>
                <p class="cert-basis">{t!(i18n, p_cert_basis)}</p>
                <div class="cert-issuer">
                    <div>{t!(i18n, p_issuer)}{t!(i18n, p_colon)}{name}</div>
                    <div class="seal">{t!(i18n, p_seal)}</div>
                    <div>{t!(i18n, p_date)}{t!(i18n, p_colon)}{today()}</div>
                </div>
            </section>
        </PaperFrame>
    }
}
