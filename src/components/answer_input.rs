//! One question as the villager answers it: big touch targets for choices, stars for a
//! rating, 是 / 否 buttons, a numeric keypad for numbers, and the question's error under it.
//! Writes the answer into the filling screen's answer map; checking is `model::survey`'s.

use crate::i18n::*;
use crate::message::UserMessage;
use leptos::prelude::*;
use model::survey::answer::AnswerError;
use model::survey::{Kind, Question};
use serde_json::{Map, Value};

/// The answer widget of `q`; `error` is this question's refusal, if any.
#[component]
pub fn AnswerInput(
    q: Question,
    no: usize,
    answers: RwSignal<Map<String, Value>>,
    #[prop(into)] error: Signal<Option<AnswerError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = q.id.clone();
    let current = {
        let id = id.clone();
        move || answers.with(|a| a.get(&id).cloned().unwrap_or(Value::Null))
    };
    let put = {
        let id = id.clone();
        move |v: Value| answers.update(|a| _ = a.insert(id.clone(), v))
    };
    let choice = |label: String, value: Value, multiple: bool| {
        let (current, put) = (current.clone(), put.clone());
        let selected = {
            let (current, value) = (current.clone(), value.clone());
            move || match current() {
                Value::Array(a) => a.contains(&value),
                v => v == value,
            }
        };
        let tap = move |_| {
            if multiple {
                let mut picked = current().as_array().cloned().unwrap_or_default();
                match picked.iter().position(|p| *p == value) {
                    Some(at) => _ = picked.remove(at),
                    None => picked.push(value.clone()),
                }
                put(Value::Array(picked));
            } else {
                put(value.clone());
            }
        };
        let role = if multiple { "checkbox" } else { "radio" };
        view! {
            <button type="button" class="choice" role=role class:selected=selected.clone() aria-checked=move || selected().to_string() on:click=tap>{label}</button>
        }
    };
    let body = match q.kind {
        Kind::Single | Kind::Multiple => {
            let multiple = q.kind == Kind::Multiple;
            q.options
                .iter()
                .map(|o| choice(o.clone(), Value::from(o.as_str()), multiple))
                .collect_view()
                .into_any()
        }
        Kind::YesNo => view! {
            {choice(t_string!(i18n, sv_yes).into(), Value::Bool(true), false)}
            {choice(t_string!(i18n, sv_no).into(), Value::Bool(false), false)}
        }
        .into_any(),
        Kind::Rating => (1..=5u64)
            .map(|n| {
                let (current, put) = (current.clone(), put.clone());
                let lit = move || current().as_u64().is_some_and(|v| v >= n);
                view! {
                    <button type="button" class="star" class:lit=lit aria-label=format!("{n}") on:click=move |_| put(Value::from(n))>"★"</button>
                }
            })
            .collect_view()
            .into_any(),
        Kind::Number => {
            let (current, put) = (current.clone(), put.clone());
            view! {
                <input class="answer-number" inputmode="decimal" name=id.clone()
                    prop:value=move || match current() { Value::String(s) => s, Value::Null => String::new(), v => v.to_string() }
                    on:input=move |ev| put(Value::String(event_target_value(&ev)))/>
            }
            .into_any()
        }
        Kind::Text => {
            let (current, put) = (current.clone(), put.clone());
            view! {
                <textarea class="answer-text" rows="2" name=id.clone()
                    prop:value=move || current().as_str().unwrap_or_default().to_owned()
                    on:input=move |ev| put(Value::String(event_target_value(&ev)))></textarea>
            }
            .into_any()
        }
    };
    let range = match (q.kind, q.min, q.max) {
        (Kind::Number, Some(lo), Some(hi)) => format!("（{lo} – {hi}）"),
        _ => String::new(),
    };
    view! {
        <fieldset class="answer" class:invalid=move || error.with(Option::is_some) data-testid="answer" data-question=q.id.clone() data-kind=q.kind.as_str()>
            <legend>{no}". "{q.label.clone()}{q.required.then_some(" *")}{range}</legend>
            <div class=format!("answer-body {}", q.kind.as_str())>{body}</div>
            <p class="field-error" role="alert">{move || error.get().map(|e| e.message(i18n.get_locale()))}</p>
        </fieldset>
    }
}
