//! Request/response plumbing shared by the server functions (server only),
//! one concern per module; everything is re-exported here, so a step says
//! `crate::web::live_flow`.

mod audit;
mod client;
mod cookies;
mod flow;
mod language;
mod respond;
mod staff_auth;

pub use audit::{audit_cedula, audit_detail, audit_staff_actor};
pub use client::{captcha_binding, client_ip, client_key};
pub use cookies::*;
pub use flow::{advance, flow_affiliate, has_clave, identity_check, live_flow, locked};
pub use language::{
    choose_language, is_kept_field, language_cookie_name, request_lang, switch as switch_language,
};
pub use respond::{
    conclude, conclude_view, form_echo, is_plain_form_post, keep_secrets_out_of_urls,
    page_says_retry_later, view_result,
};
pub use staff_auth::staff_user;

use crate::error::AppError;
use crate::services::AppState;
use leptos::prelude::*;

/// Logs an internal failure and turns it into the generic error.
pub fn internal(context: &'static str) -> impl FnOnce(sea_orm::DbErr) -> AppError {
    move |e| {
        if crate::services::db::is_unavailable(&e) {
            tracing::warn!(error = %e, "{context}: database unavailable");
            return AppError::Unavailable;
        }
        tracing::error!(error = %e, "{context}");
        AppError::Internal
    }
}

pub fn state() -> AppState {
    expect_context::<AppState>()
}
