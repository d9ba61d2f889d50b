//! The page frame: skip link, header, main, footer with the office hours.

use crate::domain::steps::Step;
use crate::lang::{here, lang, Lang, LanguageSwitch};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

/// Whether the contact centre is open, computed on the server when the page is
/// rendered, and the current (or next) day's window as instants, with its
/// Ecuador clock times for comparison in the browser (the [`LocalOfficeHours`]
/// island's props).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeStatus {
    pub open: bool,
    pub opens_at: i64,
    pub closes_at: i64,
    /// "08:00" and "17:00": the window as Ecuador's clock shows it.
    pub opens_ecuador: String,
    pub closes_ecuador: String,
}

#[cfg(feature = "ssr")]
fn office_status_now() -> OfficeStatus {
    use crate::domain::ecuador_time::clock_at as clock;
    use crate::domain::office_hours::{current_or_next, is_open};
    let now = chrono::Utc::now();
    let w = current_or_next(now);
    OfficeStatus {
        open: is_open(now),
        opens_at: w.opens.timestamp(),
        closes_at: w.closes.timestamp(),
        opens_ecuador: clock(w.opens),
        closes_ecuador: clock(w.closes),
    }
}

/// The header's two lines, read as one name with a pause between them.
fn institute(l: Lang) -> &'static str {
    l.pick("Instituto de Seguridad Social", "Social Security Institute")
}

fn service(l: Lang) -> &'static str {
    l.pick("Clave de servicios en línea", "Online services password")
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    // Computed once per page, on the server (the page is never rendered
    // anywhere else).
    #[cfg(feature = "ssr")]
    provide_context(office_status_now());
    let l = lang();
    // Outside `main`, which it replaces at every step.
    let here = here();
    let step = Step::at(here.split('?').next().unwrap_or_default());
    let wizard = step
        .is_some_and(Step::hosts_wizard)
        .then(|| view! { <crate::wizard::Wizard/> });
    let step_form = step.is_some_and(|s| s.page().form);
    view! {
        <a class="skip-link" href="#contenido">
            {l.pick("Saltar al contenido principal", "Skip to main content")}
        </a>
        <header class="site-header">
            <div class="container header-inner">
                // The two lines are one name, read with a pause between them
                // whatever the browser makes of two blocks.
                <A
                    href=Step::Home.path()
                    attr:class="brand"
                    attr:aria-label=format!("{}, {}", institute(l), service(l))
                >
                    <span class="brand-name">{institute(l)}</span>
                    <span class="brand-service">{service(l)}</span>
                </A>
                <div class="header-tools">
                    <LanguageSwitch here step_form/>
                    <a class="help-link" href="#ayuda">
                        {l.pick("Ayuda", "Help")}
                    </a>
                </div>
            </div>
        </header>
        <main id="contenido" class="container" tabindex="-1">
            {children()}
        </main>
        {wizard}
        <footer class="site-footer" id="ayuda">
            <div class="container">
                <h2 class="footer-title">{l.pick("Ayuda y contacto", "Help and contact")}</h2>
                <OfficeHours/>
                <ul class="footer-links">
                    <li>
                        <A href=Step::Contact.path()>{l.pick("Contacto y ayuda", "Contact and help")}</A>
                    </li>
                    <li>
                        <A href=Step::Callback.path()>
                            {l.pick("Pedir que le llamemos", "Ask us to call you")}
                        </A>
                        {l.pick(
                            " — si vive en el exterior o su cuenta está bloqueada.",
                            " — if you live abroad or your account is locked.",
                        )}
                    </li>
                </ul>
                <p>
                    {l.pick(
                        "El Instituto nunca le pedirá su clave por teléfono, correo electrónico ni mensajes.",
                        "The Institute will never ask for your password by phone, e-mail or message.",
                    )}
                </p>
            </div>
        </footer>
    }
}

/// The office hours and "abierto ahora / cerrado ahora" (decided on the
/// server). With `local`, where people abroad read it, an island adds the same
/// window in the visitor's own time zone when its clock differs from Ecuador's.
#[component]
pub fn OfficeHours(#[prop(optional)] local: bool) -> impl IntoView {
    let l = lang();
    let status = use_context::<OfficeStatus>();
    let now = status.as_ref().map(|s| {
        if s.open {
            view! { <strong class="office-open">{l.pick("Abierto ahora.", "Open now.")}</strong> }
        } else {
            view! { <strong class="office-closed">{l.pick("Cerrado ahora.", "Closed now.")}</strong> }
        }
    });
    let local = status
        .filter(|_| local)
        .map(|status| view! { <LocalOfficeHours status/> });
    view! {
        <p class="office-hours">
            {l.pick("Atención al público: ", "Opening hours: ")} <strong>{crate::domain::office_hours::hours(l)}</strong> ". " {now}
        </p>
        {local}
    }
}

/// "En su hora local: 14:00 a 23:00." when the browser's clock shows the
/// window differently from Ecuador's (the browser knows its own zone and its
/// daylight saving time). Empty on the server and without JavaScript.
#[island]
fn LocalOfficeHours(status: OfficeStatus) -> impl IntoView {
    let local = RwSignal::new(None::<String>);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| local.set(visitor_window(&status)));
    #[cfg(not(feature = "hydrate"))]
    let _ = status;
    move || {
        local
            .get()
            .map(|text| view! { <p class="office-hours-local">{text}</p> })
    }
}

#[cfg(feature = "hydrate")]
fn visitor_window(s: &OfficeStatus) -> Option<String> {
    let clock = |unix: i64| {
        let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix as f64 * 1000.0));
        format!("{:02}:{:02}", d.get_hours(), d.get_minutes())
    };
    let (opens, closes) = (clock(s.opens_at), clock(s.closes_at));
    (opens != s.opens_ecuador || closes != s.closes_ecuador).then(|| {
        lang().pick(
            format!("En su hora local: {opens} a {closes}."),
            format!("In your local time: {opens} to {closes}."),
        )
    })
}

/// What every `<title>` ends with, and what a page showing errors starts it with.
pub const TITLE_SUFFIX: &str = " – Clave";
pub const ERROR_PREFIX: &str = "Error: ";

/// `<title>` of a page: "Error: " first when the page shows errors.
#[component]
pub fn PageTitle(
    #[prop(into)] text: String,
    #[prop(into, optional)] error: Signal<bool>,
) -> impl IntoView {
    let full = move || {
        let prefix = if error.get() { ERROR_PREFIX } else { "" };
        format!("{prefix}{text}{TITLE_SUFFIX}")
    };
    view! { <Title text=full/> }
}

/// A link back to the previous step, placed before the heading.
#[component]
pub fn BackLink(#[prop(into)] href: String) -> impl IntoView {
    view! {
        <A href=href attr:class="back-link">{lang().pick("Volver", "Back")}</A>
    }
}

/// The cédula the user typed in step 1, shown back (never asked again).
#[component]
pub fn CedulaEcho(cedula: String) -> impl IntoView {
    view! {
        <dl class="summary-list">
            <div class="summary-row">
                <dt>{lang().pick("Cédula", "ID number (cédula)")}</dt>
                <dd class="cedula-echo">{cedula}</dd>
            </div>
        </dl>
    }
}
