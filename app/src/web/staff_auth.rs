//! Staff authorisation: the signed-in staff user and whether their role
//! allows what the request asks.

use super::audit::AuditActor;
use super::{internal, request_cookie, session_cookie_name, staff_cookie_name, state};
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in staff user, when their role allows `needed`. Without a staff
/// session: 401, or 403 when the request carries an affiliate's session (an
/// affiliate never reaches the console). A role too low: 403.
pub async fn staff_user(
    needed: crate::domain::staff::Role,
) -> Result<crate::services::staff::StaffUser, AppError> {
    let st = state();
    let now = crate::services::now_unix();
    let user = match request_cookie(staff_cookie_name(&st.settings)) {
        Some(token) => crate::services::staff::session_user(&st.db, &st.settings, &token, now)
            .await
            .map_err(internal("staff session"))?,
        None => None,
    };
    match user {
        Some(u) => {
            provide_context(AuditActor(u.username.clone()));
            if u.role.allows(needed) {
                Ok(u)
            } else {
                Err(AppError::Forbidden)
            }
        }
        None if request_cookie(session_cookie_name(&st.settings)).is_some() => {
            Err(AppError::Forbidden)
        }
        None => Err(AppError::StaffSignedOut),
    }
}
