//! The error summary at the top of `main` (GOV.UK pattern): a titled list of
//! links, one per problem, each leading to its field. It is focused when the page
//! loads (`autofocus`, so also without JavaScript) and announced through the
//! `role=alert` child.

use crate::error::FieldError;
use crate::lang::lang;
use leptos::prelude::*;

#[component]
pub fn ErrorSummary(
    /// The problems to list; nothing is rendered while empty.
    #[prop(into)]
    errors: Signal<Vec<FieldError>>,
    /// A problem that belongs to no field (e.g. too many attempts).
    #[prop(into, optional)]
    general: Signal<Option<String>>,
) -> impl IntoView {
    let l = lang();
    let visible = move || !errors.with(Vec::is_empty) || general.with(Option::is_some);

    view! {
        <Show when=visible>
            <div class="error-summary" tabindex="-1" autofocus>
                <div role="alert">
                    <h2 class="error-summary-title" id="error-summary-title">
                        {l.pick("Hay un problema", "There is a problem")}
                    </h2>
                    {move || general.get().map(|m| view! { <p class="error-summary-general">{m}</p> })}
                    <ul class="error-summary-list">
                        <For
                            each=move || errors.get()
                            key=|e| (e.field.clone(), e.message.clone())
                            let(e)
                        >
                            <li>
                                <a href=format!("#{}", e.field)>{e.message.clone()}</a>
                            </li>
                        </For>
                    </ul>
                </div>
            </div>
        </Show>
    }
}
