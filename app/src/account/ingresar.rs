//! "Ingresar": cédula + clave → the "Servicios en línea" home.
//!
//! Inputs: `cedula`, `clave`.
//! Reveals: never which of the two was wrong; an unregistered cédula is
//! checked against a dummy hash and counted like a registered one. Five
//! failures lock the cédula for 15 minutes, doubling on each repeat; a
//! recovery or staff unlocks it.
//! Without JavaScript: a plain form post; the session cookie is set by the
//! redirect to the home.

use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::UnlessFlowProblem;
use crate::components::form::FormState;
use crate::components::layout::PageTitle;
use crate::components::password_input::PasswordInput;
use crate::components::text_field::TextField;
use crate::domain::cedula::Cedula;
use crate::domain::steps::Step;
use crate::error::{AppError, FormErrors};
use crate::lang::{lang, Lang};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

pub const PAGE: &str = Step::SignIn.path();
pub fn wrong(l: Lang) -> &'static str {
    l.pick(
        "La cédula o la clave no son correctas. Revise ambas e inténtelo otra vez.",
        "The ID number or the password is not right. Check both and try again.",
    )
}

pub fn validate_form(cedula: &str, clave: &str, lang: Lang) -> Result<Cedula, FormErrors> {
    let mut errors = FormErrors::default().with_value("cedula", cedula);
    let parsed = Cedula::parse(cedula);
    if let Err(e) = &parsed {
        errors = errors.error("cedula", e.message(lang));
    }
    if clave.is_empty() {
        errors = errors.error(
            "clave",
            lang.pick("Escriba su clave.", "Enter your password."),
        );
    }
    match parsed {
        Ok(c) if errors.is_empty() => Ok(c),
        _ => Err(errors),
    }
}

#[server(endpoint = "ingresar")]
pub async fn ingresar(cedula: Option<String>, clave: Option<String>) -> Result<(), AppError> {
    let result = server::ingresar(cedula.unwrap_or_default(), clave.unwrap_or_default()).await;
    crate::web::conclude(
        result,
        <Ingresar as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::password::{normalise, MAX_CHARS};
    use crate::error::LockReason;
    use crate::services::account::{self, LoginOutcome};
    use crate::services::limit::{refund, spend, Budget, Spent};
    use crate::services::now_unix;
    use crate::web::{client_key, internal, locked, session_cookie, set_cookie, state};

    pub async fn ingresar(cedula: String, clave: String) -> Result<(), AppError> {
        let cedula: String = cedula.chars().take(64).collect();
        let clave: String = clave.chars().take(MAX_CHARS + 1).collect();
        let l = lang();
        let valid = validate_form(&cedula, &clave, l).map_err(AppError::Form)?;
        crate::web::audit_cedula(valid.as_str());
        let keep = || FormErrors::default().with_value("cedula", &cedula);
        let st = state();
        let s = &st.settings;
        let now = now_unix();
        let ip = client_key(s);
        let Spent::Within(ip_try) = spend(
            &st.db,
            &format!("login:ip:{ip}"),
            Budget::per_hour(s.ip_logins_per_hour),
            now,
        )
        .await
        .map_err(internal("rate limit"))?
        else {
            return Err(AppError::RateLimited(
                keep().error("cedula", crate::shared_steps::buscar::too_many_starts(l)),
            ));
        };
        match account::login(
            &st.db,
            valid.as_str(),
            &normalise(&clave),
            s.session_idle_secs,
            s.session_absolute_secs,
            now,
        )
        .await
        .map_err(internal("login"))?
        {
            LoginOutcome::SignedIn { token } => {
                set_cookie(&session_cookie(s, &token));
                leptos_axum::redirect(super::super::servicios::PAGE);
                Ok(())
            }
            LoginOutcome::Wrong => Err(AppError::Form(keep().error("clave", wrong(l)))),
            LoginOutcome::Locked { until } => Err(locked(LockReason::Logins, until)),
            LoginOutcome::AccountLocked => Err(AppError::AccountLocked),
            LoginOutcome::Busy => {
                // Nothing was compared: this client's try is given back too.
                refund(&st.db, &ip_try)
                    .await
                    .map_err(internal("rate limit"))?;
                Err(AppError::Busy(keep()))
            }
        }
    }
}

#[component]
pub fn IngresarPage() -> impl IntoView {
    let action = ServerAction::<Ingresar>::new();
    let form = FormState::of(action);
    let query = use_query_map();
    let signed_out = move || query.with(|q| q.get("salio").is_some());
    let l = lang();
    view! {
        <UnlessFlowProblem problem=form.flow_problem()>
        <PageTitle text=Step::SignIn.title(l) error=form.has_error()/>
        <ErrorSummary errors=form.errors() general=form.general()/>
        <p class="status-message" aria-live="polite" aria-atomic="true">
            {move || {
                signed_out().then_some(l.pick(
                    "Usted salió de los servicios en línea.",
                    "You have signed out of online services.",
                ))
            }}
        </p>
        <h1 tabindex="-1">{l.pick("Ingresar a los servicios en línea", "Sign in to online services")}</h1>
        <ActionForm action=action attr:id=crate::lang::STEP_FORM_ID attr:novalidate="" attr:class="form">
            <TextField
                id="cedula"
                label=l.pick("Número de cédula", "ID number (cédula)")
                hint=l.pick("Los 10 dígitos de su cédula.", "The 10 digits of your ID number.")
                error=form.field_error("cedula")
                value=form.value("cedula")
                inputmode="numeric"
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
        <p>
            <A href=Step::RecoveryStart.path()>
                {l.pick("¿Olvidó su clave? Recupérela", "Forgot your password? Recover it")}
            </A>
        </p>
        <p>
            <A href=Step::RequestStart.path()>
                {l.pick("¿Nunca ha tenido clave? Solicítela", "Never had a password? Get one")}
            </A>
        </p>
        </UnlessFlowProblem>
    }
}
