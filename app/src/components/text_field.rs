//! A labelled text input with hint and inline error, wired with
//! `aria-describedby` so the hint and the error are read with the field.

use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The input's `id` and `name`.
    id: &'static str,
    #[prop(into)] label: String,
    /// Put the label inside the page's `h1` (one question per page).
    #[prop(optional)]
    heading: bool,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] value: Signal<Option<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let label_view = view! { <label class="label" for=id>{label}</label> };
    let label_view = if heading {
        view! { <h1 class="label-wrapper" tabindex="-1">{label_view}</h1> }.into_any()
    } else {
        label_view.into_any()
    };
    view! {
        <div class="field" class:field-error=move || error.with(Option::is_some)>
            {label_view}
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <ErrorMessage id=error_id.clone() error=error/>
            <input
                class=format!("input {}", class.unwrap_or_default())
                id=id
                name=id
                type=input_type
                inputmode=inputmode
                autocomplete=autocomplete
                spellcheck="false"
                aria-describedby=described_by
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                // The attribute only: it fills the field on a server render, and
                // never overwrites what the user is typing once the page is live.
                value=move || value.get().unwrap_or_default()
            />
        </div>
    }
}

/// The inline message of a field (GOV.UK error message): read with the field
/// through its `aria-describedby`, prefixed "Error:" for screen readers.
#[component]
pub fn ErrorMessage(id: String, #[prop(into)] error: Signal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|m| {
            view! {
                <p class="error-message" id=id.clone()>
                    <span class="visually-hidden">"Error: "</span>
                    {m}
                </p>
            }
        })
    }
}
