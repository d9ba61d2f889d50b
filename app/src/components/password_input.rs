//! The new-clave field (GOV.UK's password input): one field, a show/hide
//! button whose state is announced, and live strength feedback. An island: the
//! button and the meter appear only once it is live; without JavaScript the
//! field works as a plain password input.

use crate::components::text_field::ErrorMessage;
use crate::domain::password::Strength;
use leptos::prelude::*;

#[component]
pub fn PasswordInput(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
    /// `new-password` (with strength feedback) or `current-password`.
    autocomplete: &'static str,
    #[prop(default = 12)] min_chars: usize,
) -> impl IntoView {
    view! {
        <PasswordField
            id=id.to_owned()
            label=label.to_owned()
            hint=hint.map(str::to_owned)
            error=error.get_untracked()
            autocomplete=autocomplete.to_owned()
            min_chars=min_chars
        />
    }
}

/// The strength of what is typed, counted on its NFKC form like the server's
/// check; the browser normalises (no Unicode tables in the WASM).
fn strength_of(typed: &str, min_chars: usize) -> Strength {
    #[cfg(feature = "hydrate")]
    let normalised: String = js_sys::JsString::from(typed).normalize("NFKC").into();
    #[cfg(not(feature = "hydrate"))]
    let normalised = typed.to_owned();
    crate::domain::password::strength_of_normalised(&normalised, min_chars)
}

#[island]
fn PasswordField(
    id: String,
    label: String,
    hint: Option<String>,
    error: Option<String>,
    autocomplete: String,
    min_chars: usize,
) -> impl IntoView {
    let l = crate::lang::lang();
    let has_error = error.is_some();
    let error = Signal::stored(error);
    let shown = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let live = RwSignal::new(false);
    // Announced only after the button is used, never on page load.
    let toggled = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| live.set(true));
    let new_password = autocomplete == "new-password";
    let has_hint = hint.is_some();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let strength_id = format!("{id}-strength");
    let described_by = {
        let (hint_id, error_id, strength_id) =
            (hint_id.clone(), error_id.clone(), strength_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if has_error {
                ids.push(error_id.clone());
            }
            if new_password && live.get() {
                ids.push(strength_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let level = move || typed.with(|t| strength_of(t, min_chars));
    let id = StoredValue::new(id);
    view! {
        <div class="field" class:field-error=has_error>
            <label class="label" for=id.get_value()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            <ErrorMessage id=error_id.clone() error=error/>
            <div class="password-wrapper">
                <input
                    class="input password-input"
                    id=id.get_value()
                    name=id.get_value()
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    spellcheck="false"
                    autocapitalize="none"
                    aria-describedby=described_by
                    aria-invalid=has_error.then_some("true")
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
                <Show when=move || live.get()>
                    <button
                        type="button"
                        class="button button-secondary password-toggle"
                        aria-controls=id.get_value()
                        on:click=move |_| {
                            toggled.set(true);
                            shown.update(|s| *s = !*s);
                        }
                    >
                        {move || {
                            if shown.get() {
                                l.pick("Ocultar", "Hide")
                            } else {
                                l.pick("Mostrar", "Show")
                            }
                        }}
                        <span class="visually-hidden">{l.pick(" la clave", " password")}</span>
                    </button>
                </Show>
            </div>
            <p class="visually-hidden" aria-live="polite">
                {move || {
                    toggled
                        .get()
                        .then(|| {
                            if shown.get() {
                                l.pick("Su clave se muestra.", "Your password is shown.")
                            } else {
                                l.pick("Su clave está oculta.", "Your password is hidden.")
                            }
                        })
                }}
            </p>
            <Show when=move || new_password && live.get()>
                <div class="strength" id=strength_id.clone() aria-live="polite">
                    <meter
                        class="strength-meter"
                        min="0"
                        max="4"
                        aria-hidden="true"
                        value=move || match level() {
                            Strength::Empty => 0,
                            Strength::TooShort { .. } => 1,
                            Strength::Weak => 2,
                            Strength::Fair => 3,
                            Strength::Strong => 4,
                        }
                    ></meter>
                    <p class="strength-label">
                        {l.pick("Seguridad: ", "Strength: ")}
                        <strong>{move || level().label(l)}</strong> ". "
                        {move || level().hint(l)}
                    </p>
                </div>
            </Show>
        </div>
    }
}
