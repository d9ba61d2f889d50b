//! Reusable, accessible building blocks (GOV.UK Design System patterns).

pub mod captcha;
pub mod date_input;
pub mod error_summary;
pub mod flow_step;
pub mod form;
#[cfg(feature = "ssr")]
pub mod island_scripts;
pub mod layout;
pub mod live_check;
pub mod password_input;
pub mod select_field;
pub mod step;
pub mod text_field;
pub mod timed_status;
