//! The page frame: skip link, header, main, footer with the office hours.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Office hours of the contact centre (SPEC §2.3).
pub const OFFICE_HOURS: &str = "lunes a domingo, de 08:00 a 17:00 (hora de Ecuador)";

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    mark_hydrated();
    view! {
        <a class="skip-link" href="#contenido">"Saltar al contenido principal"</a>
        <header class="site-header">
            <div class="container header-inner">
                <A href="/" attr:class="brand">
                    <span class="brand-name">"Instituto de Seguridad Social"</span>
                    <span class="brand-service">"Clave de servicios en línea"</span>
                </A>
                <a class="help-link" href="#ayuda">"Ayuda"</a>
            </div>
        </header>
        <main id="contenido" class="container" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer" id="ayuda">
            <div class="container">
                <h2 class="footer-title">"Ayuda y contacto"</h2>
                <OfficeHours/>
                <p>
                    <A href="/contacto">"Contacto y ayuda"</A>
                    " — también si vive en el exterior o su cuenta está bloqueada."
                </p>
                <p>
                    "El Instituto nunca le pedirá su clave por teléfono, correo electrónico ni mensajes."
                </p>
            </div>
        </footer>
    }
}

#[component]
pub fn OfficeHours() -> impl IntoView {
    view! {
        <p class="office-hours">
            "Atención al público: " <strong>{OFFICE_HOURS}</strong> "."
        </p>
    }
}

/// `<title>` of a page: "Error: " first when the page shows errors.
#[component]
pub fn PageTitle(
    #[prop(into)] text: String,
    #[prop(into, optional)] error: Signal<bool>,
) -> impl IntoView {
    let full = move || {
        if error.get() {
            format!("Error: {text} – Clave")
        } else {
            format!("{text} – Clave")
        }
    };
    focus_heading_unless_first_page();
    view! { <Title text=full/> }
}

/// Every page renders one `PageTitle` once its content is ready; except for the
/// page the browser loaded, that means the user moved to a new step, so focus
/// goes to its `h1` (or its error summary) and screen readers announce it.
fn focus_heading_unless_first_page() {
    #[cfg(feature = "hydrate")]
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        static FIRST_PAGE_SEEN: AtomicBool = AtomicBool::new(false);
        if FIRST_PAGE_SEEN.swap(true, Ordering::Relaxed) {
            Effect::new(|_| {
                request_animation_frame(|| {
                    crate::components::focus_first("main .error-summary, main h1")
                });
            });
        }
    }
}

/// A link back to the previous step, placed before the heading.
#[component]
pub fn BackLink(#[prop(into)] href: String) -> impl IntoView {
    view! {
        <A href=href attr:class="back-link">"Volver"</A>
    }
}

/// Marks the body once the page is interactive (tests and styles read it).
fn mark_hydrated() {
    #[cfg(feature = "hydrate")]
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// Focuses the first element matching `selector`, if any.
#[cfg(feature = "hydrate")]
pub fn focus_first_impl(selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
