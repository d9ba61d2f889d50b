//! The page's language (the pairs themselves: `domain::lang`), and the switch
//! every page carries in its header.
//!
//! Which language a request gets: the switch's cookie, else the browser's
//! `Accept-Language` (a first visit), else Spanish — decided once per request
//! by the server's middleware and put on the request (`web::language`). The
//! islands read it back from `<html lang>`, which the server wrote.
//!
//! The switch works without JavaScript: a button posting to [`SWITCH_PATH`]
//! with the page to come back to. On a page with a step's form the button
//! belongs to that form (`form="paso"`), so what the person typed travels
//! with it and comes back on the same step in the other language, secrets
//! aside (`web::language`).

pub use crate::domain::lang::Lang;
use crate::domain::steps::Step;
use leptos::prelude::*;

/// Where the switch posts.
pub const SWITCH_PATH: &str = "/idioma";

/// The id of a step's form: the switch's button belongs to it.
pub const STEP_FORM_ID: &str = "paso";

/// The language of the page being answered (server) or shown (browser).
pub fn lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<Lang>().copied())
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .map(|html| html.get_attribute("lang").unwrap_or_default())
            .and_then(|tag| Lang::ALL.into_iter().find(|l| l.tag() == tag))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

/// This page's path and query (the router's `search` comes without its `?`).
pub fn here() -> String {
    let location = leptos_router::hooks::use_location();
    let query = location.search.get_untracked();
    let path = location.pathname.get_untracked();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// The switch's address for the page at `path_and_query`.
pub fn switch_action(path_and_query: &str) -> String {
    let mut action = format!("{SWITCH_PATH}?volver=");
    for b in path_and_query.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            action.push(b as char);
        } else {
            action.push_str(&format!("%{b:02X}"));
        }
    }
    action
}

/// "English" on a Spanish page, "Español" on an English one: a button, in a
/// form of its own or, with `form`, of the step's form.
#[component]
pub fn LanguageSwitch(
    /// The page to come back to, its query included.
    #[prop(into)]
    here: String,
    /// Whether the page has a step's form whose typed values the switch keeps.
    step_form: bool,
) -> impl IntoView {
    let other = lang().other();
    let action = switch_action(&here);
    let own_action = action.clone();
    view! {
        <form class="language-switch" method="post" action=own_action>
            <button
                type="submit"
                class="language-switch-button"
                name="idioma"
                value=other.code()
                lang=other.tag()
                form=step_form.then_some(STEP_FORM_ID)
                formaction=action
                formnovalidate=""
            >
                {other.own_name()}
            </button>
        </form>
    }
}

/// Where a page whose table entry has a form shows a problem instead of it
/// (the flow cannot take the step): an empty form the switch's button
/// belongs to, so the button still works.
#[component]
pub fn StepFormStandIn() -> impl IntoView {
    let here = here();
    let path = here.split('?').next().unwrap_or_default();
    Step::at(path)
        .is_some_and(|s| s.page().form)
        .then(|| view! { <form id=STEP_FORM_ID method="post" action=switch_action(&here)></form> })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_back_is_escaped_in_the_switch_address() {
        assert_eq!(
            switch_action("/recuperar/buscar"),
            "/idioma?volver=/recuperar/buscar"
        );
        assert_eq!(
            switch_action("/personal/afiliado?cedula=1710034065&x=a b"),
            "/idioma?volver=/personal/afiliado%3Fcedula%3D1710034065%26x%3Da%20b"
        );
        assert_eq!(switch_action("/á"), "/idioma?volver=/%C3%A1");
    }
}
