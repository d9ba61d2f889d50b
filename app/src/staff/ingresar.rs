//! Staff login at `/personal/ingresar`: user name + password → the second
//! factor ([`super::verificar`]) → the queue.
//!
//! Inputs: `usuario`, `clave`.
//! Reveals: never which of the two was wrong; unknown and deactivated user
//! names cost the same argon2 work. Five wrong passwords for a user name lock
//! it for 15 minutes; each client also spends the login budget per hour.
//! Without JavaScript: a plain form post; the password-only cookie is set by
//! the redirect to the factor page.

use crate::components::error_summary::ErrorSummary;
use crate::components::form::FormState;
use crate::components::layout::PageTitle;
use crate::components::password_input::PasswordInput;
use crate::components::text_field::TextField;
use crate::domain::steps::Step;
use crate::error::{AppError, FormErrors};
use crate::lang::{lang, Lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub const PAGE: &str = Step::StaffSignIn.path();
pub fn wrong(l: Lang) -> &'static str {
    l.pick(
        "El usuario o la clave no son correctos. Revise ambos e inténtelo otra vez.",
        "The user name or the password is not right. Check both and try again.",
    )
}

pub fn validate_form(usuario: &str, clave: &str, lang: Lang) -> Result<String, FormErrors> {
    let mut errors = FormErrors::default().with_value("usuario", usuario);
    if usuario.trim().is_empty() {
        errors = errors.error(
            "usuario",
            lang.pick("Escriba su usuario.", "Enter your user name."),
        );
    }
    if clave.is_empty() {
        errors = errors.error(
            "clave",
            lang.pick("Escriba su clave.", "Enter your password."),
        );
    }
    if errors.is_empty() {
        Ok(usuario.trim().to_ascii_lowercase())
    } else {
        Err(errors)
    }
}

#[server(endpoint = "personal/ingresar")]
pub async fn personal_ingresar(
    usuario: Option<String>,
    clave: Option<String>,
) -> Result<(), AppError> {
    let result = server::ingresar(usuario.unwrap_or_default(), clave.unwrap_or_default()).await;
    crate::web::conclude(
        result,
        <PersonalIngresar as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::password::{normalise, MAX_CHARS};
    use crate::error::LockReason;
    use crate::services::limit::{refund, spend, Budget, Spent};
    use crate::services::now_unix;
    use crate::services::staff::{login, StaffLogin};
    use crate::web::{client_key, internal, set_cookie, staff_cookie, state};

    pub async fn ingresar(usuario: String, clave: String) -> Result<(), AppError> {
        let usuario: String = usuario.chars().take(64).collect();
        let clave: String = clave.chars().take(MAX_CHARS + 1).collect();
        let l = lang();
        let username = validate_form(&usuario, &clave, l).map_err(AppError::Form)?;
        let keep = || FormErrors::default().with_value("usuario", &usuario);
        let st = state();
        let s = &st.settings;
        let now = now_unix();
        let Spent::Within(ip_try) = spend(
            &st.db,
            &format!("staff-login:ip:{}", client_key(s)),
            Budget::per_hour(s.ip_logins_per_hour),
            now,
        )
        .await
        .map_err(internal("rate limit"))?
        else {
            return Err(AppError::RateLimited(
                keep().error("usuario", crate::shared_steps::buscar::too_many_starts(l)),
            ));
        };
        crate::web::audit_detail(&format!("usuario {username}"));
        match login(&st.db, s, &username, &normalise(&clave), now)
            .await
            .map_err(internal("staff login"))?
        {
            StaffLogin::PasswordAccepted { token } => {
                set_cookie(&staff_cookie(s, &token));
                leptos_axum::redirect(crate::staff::verificar::PAGE);
                Ok(())
            }
            StaffLogin::Wrong => Err(AppError::Form(keep().error("clave", wrong(l)))),
            StaffLogin::Locked { until } => Err(crate::web::locked(LockReason::Logins, until)),
            StaffLogin::Busy => {
                refund(&st.db, &ip_try)
                    .await
                    .map_err(internal("rate limit"))?;
                Err(AppError::Busy(keep()))
            }
        }
    }
}

#[component]
pub fn StaffIngresarPage() -> impl IntoView {
    let action = ServerAction::<PersonalIngresar>::new();
    let form = FormState::of(action);
    let query = use_query_map();
    let signed_out = move || query.with(|q| q.get("salio").is_some());
    let l = lang();
    let locked = move || {
        action.value().with(|v| match v {
            Some(Err(AppError::Locked(n))) => Some(l.pick(
                format!(
                    "Demasiadas claves equivocadas para este usuario. Podrá intentarlo otra vez desde el {} (hora de Ecuador).",
                    n.until
                ),
                format!(
                    "Too many wrong passwords for this user name. You can try again from {} (Ecuador time).",
                    n.until
                ),
            )),
            _ => None,
        })
    };
    let general = Signal::derive(move || locked().or_else(|| form.general().get()));
    view! {
        <PageTitle text=Step::StaffSignIn.title(l) error=form.has_error()/>
        <ErrorSummary errors=form.errors() general=general/>
        <p class="status-message" aria-live="polite" aria-atomic="true">
            {move || {
                signed_out().then_some(l.pick(
                    "Usted salió de la consola del personal.",
                    "You have signed out of the staff console.",
                ))
            }}
        </p>
        <h1 tabindex="-1">{l.pick("Consola del personal", "Staff console")}</h1>
        <p>
            {l.pick(
                "Solo para el personal del centro de contacto. Afiliados: ",
                "For contact center staff only. Members: ",
            )}
            <a href=Step::SignIn.path()>{l.pick("ingresen aquí", "sign in here")}</a>
            "."
        </p>
        <ActionForm action=action attr:id=crate::lang::STEP_FORM_ID attr:novalidate="" attr:class="form">
            <TextField
                id="usuario"
                label=l.pick("Usuario", "User name")
                error=form.field_error("usuario")
                value=form.value("usuario")
                autocomplete="username"
                class="input-width-10"
            />
            <PasswordInput
                id="clave"
                label=l.pick("Clave", "Password")
                error=form.field_error("clave")
                autocomplete="current-password"
            />
            <button type="submit" class="button">
                {l.pick("Ingresar", "Sign in")}
            </button>
        </ActionForm>
    }
}
