//! The wizard: with JavaScript, a journey's steps change in the browser, with
//! one document load per journey; the client-side history is written here,
//! once, for every step of the table (`domain::steps`).
//!
//! One island per page of a journey (`Step::hosts_wizard`), outside `main`, so
//! it outlives every step it shows. It takes over what a person does inside
//! `main` that the server would answer with a page of the recovery or request
//! journeys:
//! - a step's form: posted as the browser would post it (the clicked button's
//!   name and value included, `Accept: text/html`), so the step's server
//!   function judges it exactly as without JavaScript and answers with the
//!   next step's page, or the same step with its errors and what was typed;
//! - a link to a page of the journey (each step's back link, "Continuar",
//!   "Volver a empezar"): fetched as a page;
//! - Back and Forward: the page the address names, asked of the server again
//!   (it alone decides what the flow may show).
//!
//! The answer's `main` replaces the shown one; the title becomes the page's
//! (the step table's title), the address is pushed, the focus moves to the
//! error summary or else the `h1`, and a polite live region says "Paso N de
//! M: title" (WCAG 2.4.3, 4.1.3); the islands of the new `main` are brought to
//! life by the page's loader (`components::island_scripts`). An answer that
//! leaves the journeys (a link to the login, say) is a normal page load.
//!
//! The language switch in the header (outside `main`) is replaced by the
//! shown page's, so it names that page; its button posting elsewhere is left
//! to the browser: a change of language is a page load.
//!
//! When a post cannot be answered — the server unreachable, too slow, or too
//! busy (503 with `Retry-After`) — nothing is replaced: what was typed stays,
//! the live region and a message above the form say so, and the same button
//! sends again.
//!
//! Reveals: nothing of its own; it shows what the server's pages show. Without
//! JavaScript (or before the WASM arrives) the island is an empty live region
//! and every step is the page load it always was.

use leptos::prelude::*;

/// The wizard's live region; with JavaScript, the listeners described above.
#[island]
pub fn Wizard() -> impl IntoView {
    let said = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| client::listen(said));
    view! { <p class="visually-hidden wizard-status" aria-live="polite">{move || said.get()}</p> }
}

#[cfg(feature = "hydrate")]
mod client {
    use crate::browser;
    use crate::domain::steps::Step;
    use leptos::prelude::*;
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::{closure::Closure, JsCast, JsValue};
    use web_sys::{
        DomParser, Element, Event, FormData, HtmlAnchorElement, HtmlElement, HtmlFormElement,
        MouseEvent, Response, SubmitEvent, SupportedType, Url, UrlSearchParams,
    };

    fn unreachable() -> &'static str {
        crate::lang::lang().pick(
            "No pudimos comunicarnos con el servidor. Lo que escribió sigue aquí: revise su conexión y vuelva a intentarlo.",
            "We could not reach the server. What you typed is still here: check your connection and try again.",
        )
    }

    thread_local! {
        /// A step is being fetched: a second click waits for it.
        static BUSY: Cell<bool> = const { Cell::new(false) };
        /// The path and query of the page `main` shows now (a Back that only
        /// changes the `#fragment` — an error summary's link — shows nothing new).
        static SHOWN: RefCell<String> = const { RefCell::new(String::new()) };
    }

    /// A page to show: fetched (`body` posts it), then pushed onto the history
    /// or not (Back and Forward move in it themselves).
    struct Visit {
        url: String,
        body: Option<UrlSearchParams>,
        push: bool,
    }

    fn window() -> web_sys::Window {
        web_sys::window().expect("a window")
    }

    fn document() -> web_sys::Document {
        window().document().expect("a document")
    }

    fn here() -> String {
        let l = window().location();
        format!(
            "{}{}",
            l.pathname().unwrap_or_default(),
            l.search().unwrap_or_default()
        )
    }

    /// `url` if it is this site's page of a journey, as a parsed address.
    fn journey_page(url: &str) -> Option<Url> {
        let url = Url::new(url).ok()?;
        let origin = window().location().origin().ok()?;
        (url.origin() == origin && Step::at(&url.pathname()).is_some_and(Step::in_wizard))
            .then_some(url)
    }

    pub fn listen(said: RwSignal<String>) {
        SHOWN.set(here());
        let doc = document();
        let on_submit = Closure::<dyn Fn(SubmitEvent)>::new(move |ev: SubmitEvent| {
            if let Some(visit) = posted(&ev) {
                ev.prevent_default();
                go(visit, said);
            }
        });
        let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |ev: MouseEvent| {
            if let Some(visit) = followed(&ev) {
                ev.prevent_default();
                go(visit, said);
            }
        });
        let on_pop = Closure::<dyn Fn(Event)>::new(move |_: Event| {
            let now = here();
            if SHOWN.with_borrow(|s| *s != now) {
                let url = window().location().href().unwrap_or_default();
                go(
                    Visit {
                        url,
                        body: None,
                        push: false,
                    },
                    said,
                );
            }
        });
        let _ = doc.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        let _ = doc.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        let _ =
            window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
        // The wizard lives as long as the document.
        on_submit.forget();
        on_click.forget();
        on_pop.forget();
    }

    /// A step's form in `main`, posted to this site, that no island handles.
    fn posted(ev: &SubmitEvent) -> Option<Visit> {
        if ev.default_prevented() {
            return None;
        }
        let form: HtmlFormElement = ev.target()?.dyn_into().ok()?;
        if form.method() != "post" || form.closest("main").ok()?.is_none() {
            return None;
        }
        // A button posting elsewhere (the language switch): the browser's own
        // page load, which renders the whole page anew.
        if ev
            .submitter()
            .is_some_and(|b| b.has_attribute("formaction"))
        {
            return None;
        }
        let action = Url::new(&form.action()).ok()?;
        if action.origin() != window().location().origin().ok()? {
            return None;
        }
        let data = FormData::new_with_form(&form).ok()?;
        // The clicked button's name and value, as the browser would send them.
        if let Some(button) = ev.submitter() {
            if let Some(name) = button.get_attribute("name").filter(|n| !n.is_empty()) {
                let value = button.get_attribute("value").unwrap_or_default();
                let _ = data.append_with_str(&name, &value);
            }
        }
        let body = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
        Some(Visit {
            url: action.href(),
            body: Some(body),
            push: true,
        })
    }

    /// A plain click on a link in `main` to a page of the journeys.
    fn followed(ev: &MouseEvent) -> Option<Visit> {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.ctrl_key()
            || ev.meta_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return None;
        }
        let target: Element = ev.target()?.dyn_into().ok()?;
        let link: HtmlAnchorElement = target.closest("main a[href]").ok()??.dyn_into().ok()?;
        if !link.target().is_empty() || link.has_attribute("download") {
            return None;
        }
        let url = journey_page(&link.href())?;
        // A link to a part of this same page stays the browser's.
        if format!("{}{}", url.pathname(), url.search()) == here() && !url.hash().is_empty() {
            return None;
        }
        Some(Visit {
            url: url.href(),
            body: None,
            push: true,
        })
    }

    fn go(visit: Visit, said: RwSignal<String>) {
        if BUSY.replace(true) {
            return;
        }
        leptos::task::spawn_local(async move {
            let posting = visit.body.is_some();
            match browser::send(&visit.url, visit.body.as_ref(), "text/html").await {
                Ok(answer) => show(answer, visit.push, posting, said).await,
                Err(()) => problem(unreachable(), said),
            }
            BUSY.set(false);
        });
    }

    async fn show(answer: Response, push: bool, posting: bool, said: RwSignal<String>) {
        let url = answer.url();
        let html = answer
            .headers()
            .get("content-type")
            .ok()
            .flatten()
            .is_some_and(|t| t.starts_with("text/html"));
        if posting && answer.status() == 503 {
            let wait = answer
                .headers()
                .get("retry-after")
                .ok()
                .flatten()
                .and_then(|s| s.trim().parse::<u32>().ok())
                .unwrap_or(10);
            return problem(
                &crate::lang::lang().pick(
                    format!("El sistema está muy ocupado en este momento. Lo que escribió sigue aquí: vuelva a intentarlo en {wait} segundos."),
                    format!("The system is very busy right now. What you typed is still here: try again in {wait} seconds."),
                ),
                said,
            );
        }
        let Some(page) = journey_page(&url).filter(|_| html) else {
            // Outside the journeys: the browser's own page load.
            let _ = window().location().assign(&url);
            return;
        };
        let Ok(text) = browser::text(&answer).await else {
            return problem(unreachable(), said);
        };
        let Some(parsed) = DomParser::new()
            .ok()
            .and_then(|p| p.parse_from_string(&text, SupportedType::TextHtml).ok())
        else {
            return;
        };
        let doc = document();
        let (Some(new_main), Some(old_main)) = (
            parsed.query_selector("main").ok().flatten(),
            doc.query_selector("main").ok().flatten(),
        ) else {
            let _ = window().location().assign(&url);
            return;
        };
        // The tests (and the loader) wait for the new islands to come alive.
        if let Some(body) = doc.body() {
            let _ = body.dataset().set("hydrated", "false");
        }
        let _ = old_main.replace_with_with_node_1(&new_main);
        // The language switch names this page and whether its form is the
        // step's: the shown page's, now.
        if let (Some(new_switch), Some(old_switch)) = (
            parsed.query_selector(".language-switch").ok().flatten(),
            doc.query_selector(".language-switch").ok().flatten(),
        ) {
            let _ = old_switch.replace_with_with_node_1(&new_switch);
        }
        let title = parsed.title();
        doc.set_title(&title);
        if push {
            let _ = window()
                .history()
                .and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(&url)));
        }
        SHOWN.set(here());
        let focus = new_main
            .query_selector(".error-summary")
            .ok()
            .flatten()
            .or_else(|| new_main.query_selector("h1").ok().flatten());
        if let Some(el) = focus.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
            if !el.has_attribute("tabindex") {
                let _ = el.set_attribute("tabindex", "-1");
            }
            let _ = el.focus();
        }
        said.set(announcement(&page.pathname(), &title));
        let _ = new_main.dispatch_event(
            &web_sys::CustomEvent::new_with_event_init_dict("clave:contenido", &{
                let init = web_sys::CustomEventInit::new();
                init.set_bubbles(true);
                init
            })
            .expect("an event"),
        );
    }

    /// "Paso N de M: title" when the page shows its step; otherwise (the flow
    /// cannot take it, say) the page's own title.
    fn announcement(path: &str, title: &str) -> String {
        use crate::components::layout::{ERROR_PREFIX, TITLE_SUFFIX};
        let shown = title.strip_prefix(ERROR_PREFIX).unwrap_or(title);
        let shown = shown.strip_suffix(TITLE_SUFFIX).unwrap_or(shown);
        let l = crate::lang::lang();
        match Step::at(path) {
            Some(step) if step.title(l) == shown => step.announcement(l),
            _ => shown.to_owned(),
        }
    }

    /// Nothing is replaced: the live region says `message`, and so does a
    /// paragraph at the top of `main`, above what was typed.
    fn problem(message: &str, said: RwSignal<String>) {
        said.set(message.to_owned());
        let Some(main) = document().query_selector("main").ok().flatten() else {
            return;
        };
        let shown = match main.query_selector(".wizard-problem").ok().flatten() {
            Some(p) => p,
            None => {
                let Ok(p) = document().create_element("p") else {
                    return;
                };
                p.set_class_name("wizard-problem");
                let _ = main.prepend_with_node_1(&p);
                p
            }
        };
        shown.set_text_content(Some(message));
        shown.scroll_into_view();
    }
}
