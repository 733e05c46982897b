//! A date, month, time or date-and-time field in the app's own order — yyyy-mm-dd and
//! 24-hour hh:mm — whatever language the browser speaks (its `<input type=date>` follows
//! the browser: mm/dd/yyyy and AM/PM in English). A text field with the number keyboard,
//! read by `model::date_input` (2026-12-5, 2026/12/05, 20261205 all become 2026-12-05 when
//! the field is left), and a calendar button that opens the browser's own picker and copies
//! its value in. Owns the field only.

use crate::i18n::*;
use leptos::prelude::*;
use model::date_input::{display, normalize, FieldKind};

/// The button's icons (20×20 strokes): a calendar page, or a clock for a time.
const CALENDAR: &str = "M4.5 4h11a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-11a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zM2.5 8h15M6.5 2.5v3M13.5 2.5v3";
const CLOCK: &str = "M10 2.5a7.5 7.5 0 1 0 0 15 7.5 7.5 0 0 0 0-15zM10 6v4.5l3 2";

/// The field. `value` is the stored form (`2026-12-05`); `on_input` receives each edit as
/// read: the stored form, or — what cannot be read yet — the text as typed (`strict`: an
/// empty string instead, so a filter never filters by half a date).
#[component]
pub fn DateField(
    kind: FieldKind,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    #[prop(optional)] name: &'static str,
    #[prop(optional)] testid: &'static str,
    #[prop(optional, into)] label: Option<Signal<String>>,
    #[prop(optional)] strict: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let read = move |typed: &str| match normalize(kind, typed) {
        Ok(v) => v,
        Err(_) if strict => String::new(),
        Err(_) => typed.trim().to_owned(),
    };
    let text = RwSignal::new(display(kind, &value.get_untracked()));
    let invalid = RwSignal::new(false);
    // Follow changes made elsewhere (a draft loaded, a form reset after 添加).
    Effect::new(move |_| {
        let v = value.get();
        if read(&text.get_untracked()) != v && normalize(kind, &v).is_ok() {
            text.set(display(kind, &v));
            invalid.set(false);
        }
    });
    let typed = move |ev| {
        let raw = event_target_value(&ev);
        invalid.set(false);
        text.set(raw.clone());
        on_input.run(read(&raw));
    };
    // Leaving the field shows what was read, or says how to write it.
    let left = move |_| match normalize(kind, &text.get_untracked()) {
        Ok(v) => text.set(display(kind, &v)),
        Err(_) => invalid.set(true),
    };
    let picker = NodeRef::<leptos::html::Input>::new();
    let open = move |_| {
        let Some(el) = picker.get_untracked() else {
            return;
        };
        el.set_value(&normalize(kind, &text.get_untracked()).unwrap_or_default());
        if el.show_picker().is_err() {
            el.click();
        }
    };
    let picked = move |ev| {
        let v = read(&event_target_value(&ev));
        text.set(display(kind, &v));
        invalid.set(false);
        on_input.run(v);
    };
    let placeholder = move || match kind {
        FieldKind::Date => t_string!(i18n, ph_date),
        FieldKind::Month => t_string!(i18n, ph_month),
        FieldKind::Time => t_string!(i18n, ph_time),
        FieldKind::DateTime => t_string!(i18n, ph_datetime),
    };
    let hint = move || match kind {
        FieldKind::Date => t_string!(i18n, bad_date),
        FieldKind::Month => t_string!(i18n, bad_month),
        FieldKind::Time => t_string!(i18n, bad_time),
        FieldKind::DateTime => t_string!(i18n, bad_datetime),
    };
    view! {
        <span class="date-field" class:invalid=move || invalid.get()>
            <input type="text" inputmode="numeric" autocomplete="off" enterkeyhint="done"
                name=(!name.is_empty()).then_some(name)
                data-testid=(!testid.is_empty()).then_some(testid)
                data-kind=kind.native_type()
                maxlength=kind.max_len().to_string()
                aria-label=move || label.map(|l| l.get())
                aria-invalid=move || invalid.get().to_string()
                placeholder=placeholder
                prop:value=text on:input=typed on:change=left/>
            <button type="button" class="pick" tabindex="-1" aria-label=move || if kind == FieldKind::Time { t_string!(i18n, pick_time) } else { t_string!(i18n, pick_date) } on:click=open>
                <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6">
                    <path d=if kind == FieldKind::Time { CLOCK } else { CALENDAR }/>
                </svg>
            </button>
            <input type=kind.native_type() class="native-picker" tabindex="-1" aria-hidden="true"
                node_ref=picker on:change=picked/>
            <Show when=move || invalid.get()>
                <span class="field-error date-hint" role="alert">{hint}</span>
            </Show>
        </span>
    }
}
