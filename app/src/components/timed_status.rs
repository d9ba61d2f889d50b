//! A polite live region whose message changes at set moments after the page
//! loads: "one minute left", "the code expired", "your session closes soon".
//! An island: without JavaScript it shows only its first message, and the
//! page says the deadline as a clock time anyway.

use leptos::prelude::*;

/// `later`: (seconds after the page loaded, message), each announced once.
#[island]
pub fn TimedStatus(
    class: Option<String>,
    initial: Option<String>,
    later: Vec<(u32, String)>,
) -> impl IntoView {
    let message = RwSignal::new(initial);
    #[cfg(feature = "hydrate")]
    for (after, text) in later {
        gloo_timers::callback::Timeout::new(after.saturating_mul(1_000), move || {
            message.set(Some(text))
        })
        .forget();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = later;
    view! { <p class=class aria-live="polite" aria-atomic="true">{move || message.get()}</p> }
}
