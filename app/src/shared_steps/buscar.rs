//! Step 1, "Buscar": cédula and the "No soy un robot" captcha. The same step
//! starts both flows (recuperar clave at `/recuperar/buscar`, solicitar clave at
//! `/solicitar/buscar`).
//!
//! Inputs: `cedula` (spaces and hyphens allowed), `robot` (the checkbox),
//! `captcha` (the proof-of-work payload; empty without JavaScript), `flujo`
//! (hidden: which flow to start).
//!
//! Reveals: nothing about the registry. Every well-formed cédula gets the same
//! answer — a new flow and the identity step — whether or not it is registered
//! or already has a clave; the registry is not even read here. Bad input writes nothing to the database.
//!
//! Without JavaScript: the form posts normally; errors come back through a
//! redirect to this page, and the missing proof of work is made up for by
//! stricter per-IP and per-cédula limits.

use crate::components::captcha::CaptchaCheckbox;
use crate::components::error_summary::ErrorSummary;
use crate::components::form::FormState;
use crate::components::live_check::{LiveCheck, Rule};
use crate::components::step::{StepCaption, StepTitle};
use crate::components::text_field::TextField;
use crate::domain::cedula::Cedula;
use crate::domain::flow::FlowKind;
use crate::domain::steps::Step;
use crate::error::{AppError, FormErrors};
use crate::lang::{lang, Lang};
use leptos::prelude::*;

/// Messages of this step.
pub fn robot_unchecked(l: Lang) -> &'static str {
    l.pick(
        "Marque la casilla «No soy un robot».",
        "Select the “I'm not a robot” box.",
    )
}
pub fn captcha_rejected(l: Lang) -> &'static str {
    l.pick(
        "No pudimos confirmar que no es un robot. Marque otra vez la casilla «No soy un robot» y espere a que diga «Verificado».",
        "We could not confirm that you are not a robot. Select the “I'm not a robot” box again and wait until it says “Verified”.",
    )
}
pub fn too_many_starts(l: Lang) -> &'static str {
    l.pick(
        "Se hicieron demasiados intentos desde su conexión. Por seguridad, espere una hora antes de volver a intentarlo.",
        "There have been too many attempts from your connection. For your security, wait an hour before you try again.",
    )
}
pub fn too_many_for_cedula(l: Lang) -> &'static str {
    l.pick(
        "Se hicieron demasiados intentos con esta cédula. Por seguridad, espere una hora antes de volver a intentarlo.",
        "There have been too many attempts with this ID number. For your security, wait an hour before you try again.",
    )
}

/// The checks of the form alone, before anything is stored.
pub fn validate_form(cedula: &str, robot: bool, lang: Lang) -> Result<Cedula, FormErrors> {
    let mut errors = FormErrors::default().with_value("cedula", cedula);
    let parsed = Cedula::parse(cedula);
    if let Err(e) = &parsed {
        errors = errors.error("cedula", e.message(lang));
    }
    if !robot {
        errors = errors.error("robot", robot_unchecked(lang));
    }
    match parsed {
        Ok(c) if errors.is_empty() => Ok(c),
        _ => Err(errors),
    }
}

/// Starts a flow and moves to its identity step.
#[server(endpoint = "recuperar/buscar")]
pub async fn buscar(
    cedula: Option<String>,
    robot: Option<String>,
    captcha: Option<String>,
    flujo: Option<String>,
) -> Result<(), AppError> {
    // Every field is optional on the wire so a missing one gets a clear message.
    let kind = FlowKind::from_form(flujo.as_deref());
    let result = server::buscar(
        kind,
        cedula.unwrap_or_default(),
        robot.is_some(),
        captcha.unwrap_or_default(),
    )
    .await;
    crate::web::conclude(
        result,
        <Buscar as leptos::server_fn::ServerFn>::PATH,
        Step::search(kind).path(),
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::cedula::CedulaError;
    use crate::services::limit::{allow, Budget};
    use crate::services::{captcha, flow, keyed_hash, now_unix};
    use crate::web::{captcha_binding, client_key, flow_cookie, internal, set_cookie, state};

    pub async fn buscar(
        kind: FlowKind,
        cedula: String,
        robot: bool,
        payload: String,
    ) -> Result<(), AppError> {
        // Longer than any cédula with separators: refused as such, and only a
        // prefix is echoed back.
        const MAX_INPUT: usize = 64;
        // Far longer than any proof of work's payload.
        const MAX_PAYLOAD: usize = 4_096;
        let l = lang();
        let cedula_input: String = cedula.chars().take(MAX_INPUT).collect();
        let keep = || FormErrors::default().with_value("cedula", &cedula_input);
        // Refused before the proof of work is redeemed: it comes back unspent,
        // so the box stays ticked and verified.
        let keep_proof = |errors: FormErrors| {
            if robot && !payload.is_empty() && payload.len() <= MAX_PAYLOAD {
                errors.with_value("captcha", &payload)
            } else {
                errors
            }
        };
        if cedula_input.len() < cedula.len() {
            return Err(AppError::Form(keep_proof(
                keep().error("cedula", CedulaError::Length.message(l)),
            )));
        }
        let valid =
            validate_form(&cedula_input, robot, l).map_err(|e| AppError::Form(keep_proof(e)))?;
        crate::web::audit_cedula(valid.as_str());

        let st = state();
        let s = &st.settings;
        let now = now_unix();
        let ip = client_key(s);
        if payload.is_empty() {
            // No proof of work (no JavaScript): tighter budgets stand in for it.
            let ip_ok = allow(
                &st.db,
                &format!("nojs-start:ip:{ip}"),
                Budget::per_hour(s.nojs_ip_flow_starts_per_hour),
                now,
            )
            .await
            .map_err(internal("rate limit"))?;
            if !ip_ok {
                return Err(AppError::RateLimited(
                    keep().error("cedula", too_many_starts(l)),
                ));
            }
            let cedula_key = keyed_hash(s.secret(), "cedula", valid.as_str());
            let cedula_ok = allow(
                &st.db,
                &format!("nojs-start:cedula:{cedula_key}"),
                Budget::per_hour(s.nojs_cedula_flow_starts_per_hour),
                now,
            )
            .await
            .map_err(internal("rate limit"))?;
            if !cedula_ok {
                return Err(AppError::RateLimited(
                    keep().error("cedula", too_many_for_cedula(l)),
                ));
            }
        } else if payload.len() > MAX_PAYLOAD
            || captcha::redeem(&st.db, s.secret(), &payload, now, &captcha_binding(s))
                .await
                .map_err(internal("captcha"))?
                .is_err()
        {
            return Err(AppError::Form(keep().error("robot", captcha_rejected(l))));
        }

        let within = allow(
            &st.db,
            &format!("start:ip:{ip}"),
            Budget::per_hour(s.ip_flow_starts_per_hour),
            now,
        )
        .await
        .map_err(internal("rate limit"))?;
        if !within {
            return Err(AppError::RateLimited(
                keep().error("cedula", too_many_starts(l)),
            ));
        }

        let (token, _) = flow::start(&st.db, kind, &valid, s.flow_idle_secs, now)
            .await
            .map_err(internal("start flow"))?;
        set_cookie(&flow_cookie(s, &token.0));
        leptos_axum::redirect(crate::domain::flow::FlowState::IdentityPending.path(kind));
        Ok(())
    }
}

#[component]
pub fn BuscarPage(kind: FlowKind) -> impl IntoView {
    let l = lang();
    let action = ServerAction::<Buscar>::new();
    let form = FormState::of(action);

    view! {
        <StepTitle step=Step::search(kind) error=form.has_error()/>
        <ErrorSummary errors=form.errors() general=form.general()/>
        <ActionForm
            action=action
            attr:id=crate::lang::STEP_FORM_ID
            attr:novalidate=""
            attr:class="form"
        >
            <StepCaption step=Step::search(kind)/>
            <input type="hidden" name="flujo" value=kind.form_value()/>
            <TextField
                id="cedula"
                label=l.pick("¿Cuál es su número de cédula?", "What is your ID number (cédula)?")
                heading=true
                hint=l.pick(
                    "Los 10 dígitos de su cédula de identidad, por ejemplo 1714307103.",
                    "The 10 digits of your identity card (cédula), for example 1714307103.",
                )
                error=form.field_error("cedula")
                value=form.value("cedula")
                inputmode="numeric"
                autocomplete="username"
                class="input-width-10"
            />
            <CaptchaCheckbox
                error=form.field_error("robot").get_untracked()
                solved=form.value("captcha").get_untracked()
            />
            <button type="submit" class="button">
                {l.pick("Buscar", "Search")}
            </button>
            <LiveCheck rule=Rule::Cedula/>
        </ActionForm>
    }
}
