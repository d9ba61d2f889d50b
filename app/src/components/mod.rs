//! Reusable, accessible building blocks (GOV.UK Design System patterns).

pub mod captcha;
pub mod date_input;
pub mod error_summary;
pub mod flow_step;
pub mod form;
pub mod layout;
pub mod password_input;
pub mod select_field;
pub mod step;
pub mod text_field;

/// Focuses the first element matching `selector` (browser only; no-op on the server).
pub fn focus_first(selector: &str) {
    #[cfg(feature = "hydrate")]
    layout::focus_first_impl(selector);
    #[cfg(not(feature = "hydrate"))]
    let _ = selector;
}
