//! One question's card in the survey builder: kind, text, required, options (one per line),
//! number range, a "show only if" rule on an earlier single-choice or yes/no question, and
//! the move / duplicate / delete buttons. Edits the builder's draft list in place; the
//! operations themselves are `model::survey::edit`'s.

use crate::i18n::*;
use leptos::prelude::*;
use model::survey::answer::parse_number;
use model::survey::{edit, Kind, Question, ShowIf, Survey};
use serde_json::Value;

/// The zh-CN / en name of a question kind.
pub fn kind_label(i18n: leptos_i18n::I18nContext<Locale>, k: Kind) -> &'static str {
    match k {
        Kind::Single => t_string!(i18n, sv_kind_single),
        Kind::Multiple => t_string!(i18n, sv_kind_multiple),
        Kind::Text => t_string!(i18n, sv_kind_text),
        Kind::Rating => t_string!(i18n, sv_kind_rating),
        Kind::Number => t_string!(i18n, sv_kind_number),
        Kind::YesNo => t_string!(i18n, sv_kind_yes_no),
    }
}

/// The show-if choices for question `i`: every answer of every earlier gate question, as
/// (value of the `<option>`, label).
fn rule_choices(draft: &[Question], i: usize, yes: &str, no: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, e) in draft[..i.min(draft.len())].iter().enumerate() {
        let answers: Vec<(Value, String)> = match e.kind {
            Kind::YesNo => vec![
                (Value::Bool(true), yes.into()),
                (Value::Bool(false), no.into()),
            ],
            Kind::Single => e
                .options
                .iter()
                .filter(|o| !o.trim().is_empty())
                .map(|o| (Value::String(o.trim().into()), o.trim().into()))
                .collect(),
            _ => continue,
        };
        for (v, l) in answers {
            let rule = ShowIf {
                question: e.id.clone(),
                equals: v,
            };
            let value = serde_json::to_string(&rule).unwrap_or_default();
            out.push((value, format!("{}. {} = {l}", k + 1, e.label)));
        }
    }
    out
}

/// The builder card of question `i` of `draft`.
#[component]
pub fn QuestionEditor(
    i: usize,
    draft: RwSignal<Vec<Question>>,
    survey: RwSignal<Option<Survey>>,
    #[prop(into)] flagged: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let get = move |f: fn(&Question) -> String| {
        move || draft.with(|d| d.get(i).map(f).unwrap_or_default())
    };
    let set = move |apply: fn(&mut Question, String)| {
        move |ev| {
            let v = event_target_value(&ev);
            draft.update(|d| {
                if let Some(q) = d.get_mut(i) {
                    apply(q, v)
                }
            })
        }
    };
    let kind = move || draft.with(|d| d.get(i).map(|q| q.kind));
    let op = move |f: fn(&Survey, &mut Vec<Question>, usize)| {
        move |_| {
            let s = survey.get_untracked().unwrap_or_default();
            draft.update(|d| f(&s, d, i));
        }
    };
    let set_kind = move |ev| {
        let Some(k) = Kind::parse(&event_target_value(&ev)) else {
            return;
        };
        draft.update(|d| {
            if let Some(q) = d.get_mut(i) {
                q.kind = k;
                if k.has_options() && q.options.len() < 2 {
                    q.options.resize(2, String::new());
                }
            }
        })
    };
    let set_rule = move |ev| {
        let v = event_target_value(&ev);
        draft.update(|d| {
            if let Some(q) = d.get_mut(i) {
                q.show_if = serde_json::from_str(&v).ok();
            }
        })
    };
    let number = |s: String| parse_number(&s);
    view! {
        <li class="question-card" class:flagged=move || flagged.get() data-testid="question-card">
            <div class="question-head">
                <span class="question-no">{i + 1}"."</span>
                <select name="kind" aria-label=move || t_string!(i18n, sv_kind) on:change=set_kind prop:value=move || kind().map(Kind::as_str).unwrap_or_default()>
                    {Kind::ALL.into_iter().map(|k| view! { <option value=k.as_str()>{move || kind_label(i18n, k)}</option> }).collect_view()}
                </select>
                <label class="check"><input type="checkbox" name="required"
                    prop:checked=move || draft.with(|d| d.get(i).is_some_and(|q| q.required))
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| if let Some(q) = d.get_mut(i) { q.required = on }) }/>
                    {t!(i18n, sv_required)}</label>
            </div>
            <label>{t!(i18n, sv_question_text)}<input name="label" prop:value=get(|q| q.label.clone()) on:input=set(|q, v| q.label = v)/></label>
            <Show when=move || kind().is_some_and(Kind::has_options)>
                <label>{t!(i18n, sv_options)}<textarea name="options" rows="4" prop:value=get(|q| q.options.join("\n"))
                    on:input=set(|q, v| q.options = v.split('\n').map(str::to_owned).collect())></textarea></label>
            </Show>
            <Show when=move || kind() == Some(Kind::Number)>
                <div class="range">
                    <label>{t!(i18n, sv_min)}<input name="min" inputmode="decimal" prop:value=get(|q| q.min.map(|n| n.to_string()).unwrap_or_default()) on:change=move |ev| { let n = number(event_target_value(&ev)); draft.update(|d| if let Some(q) = d.get_mut(i) { q.min = n }) }/></label>
                    <label>{t!(i18n, sv_max)}<input name="max" inputmode="decimal" prop:value=get(|q| q.max.map(|n| n.to_string()).unwrap_or_default()) on:change=move |ev| { let n = number(event_target_value(&ev)); draft.update(|d| if let Some(q) = d.get_mut(i) { q.max = n }) }/></label>
                </div>
            </Show>
            <Show when=move || { i > 0 }>
                <label>{t!(i18n, sv_show_if)}
                    <select name="show_if" on:change=set_rule
                        prop:value=move || draft.with(|d| d.get(i).and_then(|q| q.show_if.as_ref()).map(|r| serde_json::to_string(r).unwrap_or_default()).unwrap_or_default())>
                        <option value="">{t!(i18n, sv_always)}</option>
                        {move || draft.with(|d| rule_choices(d, i, t_string!(i18n, sv_yes), t_string!(i18n, sv_no))).into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                    </select>
                </label>
            </Show>
            <div class="question-actions">
                <button type="button" name="up" aria-label="up" on:click=move |_| draft.update(|d| edit::move_by_one(d, i, true))>"↑"</button>
                <button type="button" name="down" aria-label="down" on:click=move |_| draft.update(|d| edit::move_by_one(d, i, false))>"↓"</button>
                <button type="button" name="duplicate" on:click=op(edit::duplicate)>{t!(i18n, sv_duplicate)}</button>
                <button type="button" name="delete" class="danger" on:click=move |_| draft.update(|d| edit::delete(d, i))>{t!(i18n, delete)}</button>
            </div>
        </li>
    }
}
