//! A labelled native select with hint and inline error (works without
//! JavaScript; screen readers read the hint and the error with it).

use super::text_field::ErrorMessage;
use leptos::prelude::*;

#[component]
pub fn SelectField(
    /// The select's `id` and `name`.
    id: &'static str,
    #[prop(into)] label: String,
    #[prop(optional)] hint: Option<&'static str>,
    /// `(value, text)` pairs; an empty first option asks to choose.
    options: Vec<(String, String)>,
    #[prop(into)] placeholder: String,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] value: Signal<Option<String>>,
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
    view! {
        <div class="field" class:field-error=move || error.with(Option::is_some)>
            <label class="label" for=id>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <ErrorMessage id=error_id error=error/>
            <select
                class="select"
                id=id
                name=id
                aria-describedby=described_by
                aria-invalid=move || error.with(Option::is_some).then_some("true")
            >
                <option value="">{placeholder}</option>
                {options
                    .into_iter()
                    .map(|(v, text)| {
                        let selected = {
                            let v = v.clone();
                            move || value.get().is_some_and(|c| c == v)
                        };
                        view! { <option value=v selected=selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}
