//! Step 4, "Código": the 6-digit code e-mailed in step 3 (or to the new
//! address on the §2.1.1 path, or to the address a first request registers).
//! Both flows use this step: `/recuperar/codigo` and `/solicitar/codigo`.
//!
//! Inputs: `codigo` (spaces, hyphens and fullwidth digits accepted), `flujo`
//! (hidden: which flow's page answers a form posted without JavaScript). A second
//! form, *Enviar un código nuevo*, voids the code and sends a fresh one after a
//! short cool-down, without leaving the step (WCAG 2.2.1).
//!
//! Reveals: the masked address and the deadline as a clock time in Ecuador.
//! The mailed link lands on [`EnlacePage`], one button in the same flow, so a
//! mail scanner that opens links uses nothing up.
//!
//! Going back: the back link leads to the step that chose the address (the
//! domain's `FlowState::correcting`): the confirmation of the registered
//! address, the new address (§2.1.1) or the contact data (request). That page
//! shows what was given there; taking it again sends a new code to the
//! corrected address and voids this one.
//!
//! Without JavaScript: both forms post normally; the deadline is printed as a
//! clock time. A code that was checked and refused comes back as an empty
//! field (only a malformed one is shown again). With JavaScript, a live region says when one minute is left and
//! when the code has expired — not every second.

use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::{FlowStep, UnlessFlowProblem};
use crate::components::form::FormState;
use crate::components::step::{StepCaption, StepTitle};
use crate::components::text_field::TextField;
use crate::components::timed_status::TimedStatus;
use crate::domain::code::parse_input;
use crate::domain::flow::FlowKind;
#[cfg(feature = "ssr")]
use crate::domain::flow::FlowState;
use crate::domain::steps::Step;
use crate::error::{AppError, FormErrors};
use crate::lang::{lang, Lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub fn wrong_code(l: Lang) -> &'static str {
    l.pick(
        "El código no es correcto. Revise los 6 dígitos del correo más reciente.",
        "The code is not right. Check the 6 digits in the most recent e-mail.",
    )
}
pub fn dead_code(l: Lang) -> &'static str {
    l.pick(
        "Ese código ya no sirve: venció, ya se usó o se pidió uno nuevo. Pida un código nuevo con el botón de abajo.",
        "That code no longer works: it has expired, it has been used, or a new one was requested. Ask for a new code with the button below.",
    )
}

/// What this step may show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeData {
    pub email: String,
    /// "10:42" in Ecuador.
    pub valid_until: String,
    pub seconds_left: i64,
    /// Seconds before *Enviar un código nuevo* works.
    pub resend_in: i64,
    /// The mail is still in the outbox.
    pub sending: bool,
    /// Where "Volver" leads: the step that chose the address.
    pub back: String,
}

pub fn validate_form(code: &str, lang: Lang) -> Result<String, FormErrors> {
    parse_input(code).map_err(|e| {
        FormErrors::default()
            .with_value("codigo", code)
            .error("codigo", e.message(lang))
    })
}

#[server(endpoint = "recuperar/codigo/ver")]
pub async fn code_view(kind: FlowKind) -> Result<CodeData, AppError> {
    use crate::domain::code::{resend_allowed, seconds_left};
    use crate::domain::mask::mask_email;
    use crate::services::{code, mail, now_unix};
    use crate::web::{internal, live_flow, state};
    let found = live_flow(kind, FlowState::CodePending).await?;
    let st = state();
    let now = now_unix();
    let current = code::current(&st.db, &found.id)
        .await
        .map_err(internal("load code"))?
        .ok_or(AppError::FlowExpired)?;
    let sending = mail::pending_for(&st.db, &current.email)
        .await
        .map_err(internal("outbox"))?;
    Ok(CodeData {
        email: mask_email(&current.email),
        valid_until: crate::domain::ecuador_time::clock(current.expires_at),
        seconds_left: seconds_left(current.expires_at, now),
        resend_in: resend_allowed(current.sent_at, now, st.settings.code_resend_cooldown_secs)
            .err()
            .unwrap_or(0),
        sending,
        back: FlowState::CodePending
            .correcting(kind, found.new_email.is_some())
            .map_or(Step::code(kind), |earlier| Step::serving(kind, earlier))
            .path()
            .to_owned(),
    })
}

/// Checks the code and moves to the questions (or, on §2.1.1, the new clave).
#[server(endpoint = "recuperar/codigo")]
pub async fn verificar_codigo(
    codigo: Option<String>,
    flujo: Option<String>,
) -> Result<(), AppError> {
    let kind = FlowKind::from_form(flujo.as_deref());
    let result = server::verificar(kind, codigo.unwrap_or_default()).await;
    crate::web::conclude(
        result,
        <VerificarCodigo as leptos::server_fn::ServerFn>::PATH,
        Step::code(kind).path(),
    )
    .await
}

/// Voids the code and sends a new one; the step stays the same.
#[server(endpoint = "recuperar/codigo/nuevo")]
pub async fn nuevo_codigo(flujo: Option<String>) -> Result<(), AppError> {
    let kind = FlowKind::from_form(flujo.as_deref());
    let page = Step::code(kind).path();
    let result = server::nuevo(kind).await;
    if result.is_ok() && crate::web::is_plain_form_post() {
        leptos_axum::redirect(&format!("{page}?enviado=1"));
    }
    crate::web::conclude(
        result,
        <NuevoCodigo as leptos::server_fn::ServerFn>::PATH,
        page,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::code::{CodeDeadReason, CodeOutcome};
    use crate::domain::flow::FlowEvent;
    use crate::services::{code, now_unix};
    use crate::web::{advance, internal, live_flow, state};

    pub async fn verificar(kind: FlowKind, input: String) -> Result<(), AppError> {
        let l = lang();
        let input: String = input.chars().take(32).collect();
        let code_digits = validate_form(&input, l).map_err(AppError::Form)?;
        let found = live_flow(kind, FlowState::CodePending).await?;
        let st = state();
        // A code that was checked is not put back: a wrong one may be a digit
        // away from the right one, and it would wait on the server for the
        // page without JavaScript. The person types the code again.
        let keep = FormErrors::default;
        match code::verify(&st.db, &st.settings, &found.id, &code_digits, now_unix())
            .await
            .map_err(internal("verify code"))?
        {
            CodeOutcome::Accepted => {
                // The code must prove the address the flow holds; a correction
                // in another tab may have changed it since this code was sent.
                if let Some(held) = &found.new_email {
                    let sent_to = code::current(&st.db, &found.id)
                        .await
                        .map_err(internal("load code"))?
                        .map(|c| c.email);
                    if sent_to.as_deref() != Some(held.as_str()) {
                        return Err(AppError::Form(keep().error("codigo", dead_code(l))));
                    }
                }
                let next = advance(&found, FlowEvent::CodeAccepted).await?;
                leptos_axum::redirect(next);
                Ok(())
            }
            CodeOutcome::Wrong { tries_left } if tries_left > 0 => {
                Err(AppError::Form(keep().error("codigo", wrong_code(l))))
            }
            CodeOutcome::Wrong { .. } | CodeOutcome::Dead(CodeDeadReason::TooManyTries) => {
                Err(AppError::Form(keep().error(
                    "codigo",
                    l.pick(
                        "Se equivocó de código demasiadas veces y lo anulamos. Pida un código nuevo con el botón de abajo.",
                        "The wrong code was entered too many times, so we cancelled it. Ask for a new code with the button below.",
                    ),
                )))
            }
            CodeOutcome::Dead(_) => Err(AppError::Form(keep().error("codigo", dead_code(l)))),
        }
    }

    pub async fn nuevo(kind: FlowKind) -> Result<(), AppError> {
        let found = live_flow(kind, FlowState::CodePending).await?;
        let st = state();
        let current = code::current(&st.db, &found.id)
            .await
            .map_err(internal("load code"))?
            .ok_or(AppError::FlowExpired)?;
        crate::recovery::confirmar::server::send_code(&found, &current.email, "nuevo").await?;
        Ok(())
    }
}

#[component]
pub fn CodigoPage(kind: FlowKind) -> impl IntoView {
    let resend = ServerAction::<NuevoCodigo>::new();
    // A new code changes the deadline: reload what the step shows.
    let data = Resource::new_blocking(move || resend.version().get(), move |_| code_view(kind));
    view! {
        <FlowStep data=data render=move |d| view! { <CodeForm kind=kind data=d resend=resend/> }/>
    }
}

#[component]
fn CodeForm(kind: FlowKind, data: CodeData, resend: ServerAction<NuevoCodigo>) -> impl IntoView {
    let l = lang();
    let action = ServerAction::<VerificarCodigo>::new();
    let form = FormState::of(action);
    let resend_form = FormState::of(resend);
    let problem = Signal::derive(move || {
        form.flow_problem()
            .get()
            .or(resend_form.flow_problem().get())
    });
    let email = StoredValue::new(data.email.clone());
    let valid_until = StoredValue::new(data.valid_until.clone());
    let just_sent = {
        let query = use_query_map();
        Signal::derive(move || {
            (resend.value().with(|v| matches!(v, Some(Ok(()))))
                || query.with(|q| q.get("enviado").is_some()))
            .then(|| {
                let email = email.get_value();
                l.pick(
                    format!("Le enviamos un código nuevo a {email}."),
                    format!("We sent a new code to {email}."),
                )
            })
        })
    };
    let errors = Signal::derive(move || {
        let mut all = form.errors().get();
        all.extend(resend_form.errors().get());
        all
    });
    let has_error = Signal::derive(move || form.has_error().get() || resend_form.has_error().get());

    view! {
        <UnlessFlowProblem problem=problem>
            <StepTitle step=Step::code(kind) error=has_error back=data.back.clone()/>
            <ErrorSummary errors=errors general=form.general()/>
            <p class="status-message" aria-live="polite" aria-atomic="true">{move || just_sent.get()}</p>
            <ActionForm action=action attr:novalidate="" attr:class="form">
                <StepCaption step=Step::code(kind)/>
                <input type="hidden" name="flujo" value=kind.form_value()/>
                <TextField
                    id="codigo"
                    label=l.pick("Escriba el código que le enviamos", "Enter the code we sent you")
                    heading=true
                    hint=l.pick(
                        "Son 6 dígitos. Si no lo ve en su bandeja de entrada, busque en la carpeta de correo no deseado (spam).",
                        "It has 6 digits. If you cannot see it in your inbox, look in your junk mail (spam) folder.",
                    )
                    error=form.field_error("codigo")
                    value=form.value("codigo")
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    class="input-width-10"
                />
                <p>
                    {l.pick("Enviado a ", "Sent to ")} <strong>{email.get_value()}</strong> ". "
                    {if data.sending {
                        l.pick(
                            "El correo está saliendo; puede tardar unos minutos. ",
                            "The e-mail is on its way; it may take a few minutes. ",
                        )
                    } else {
                        ""
                    }}
                    {l.pick("El código es válido hasta las ", "The code is valid until ")}
                    <strong class="code-deadline">{valid_until.get_value()}</strong>
                    {l.pick(" (hora de Ecuador).", " (Ecuador time).")}
                </p>
                <CodeDeadline seconds_left=data.seconds_left/>
                <button type="submit" class="button">
                    {l.pick("Continuar", "Continue")}
                </button>
            </ActionForm>
            <ActionForm action=resend attr:novalidate="">
                <input type="hidden" name="flujo" value=kind.form_value()/>
                <p class="hint">
                    {if data.resend_in > 0 {
                        let n = data.resend_in;
                        l.pick(
                            format!("Puede pedir un código nuevo dentro de {n} segundos."),
                            format!("You can ask for a new code in {n} seconds."),
                        )
                    } else {
                        l.pick(
                            "¿No le llegó o se le acabó el tiempo? Pida otro; el anterior dejará de servir.",
                            "Did it not arrive, or did the time run out? Ask for another one; the previous one will stop working.",
                        )
                        .to_owned()
                    }}
                </p>
                <button type="submit" class="button button-secondary" id="nuevo">
                    {l.pick("Enviar un código nuevo", "Send a new code")}
                </button>
            </ActionForm>
        </UnlessFlowProblem>
    }
}

/// Announces (politely, in a live region) when one minute is left and when the
/// code has expired. Nothing is said every second.
#[component]
fn CodeDeadline(seconds_left: i64) -> impl IntoView {
    let l = lang();
    let expired = l.pick(
        "El código venció. Pida un código nuevo.",
        "The code has expired. Ask for a new code.",
    );
    let mut later = Vec::new();
    if seconds_left > 60 {
        later.push((
            (seconds_left - 60) as u32,
            l.pick(
                "Queda 1 minuto para usar el código. Si necesita más tiempo, pida un código nuevo.",
                "You have 1 minute left to use the code. If you need more time, ask for a new code.",
            )
            .to_owned(),
        ));
    }
    if seconds_left > 0 {
        later.push((seconds_left as u32, expired.to_owned()));
    }
    let initial = (seconds_left <= 0).then(|| expired.to_owned());
    view! { <TimedStatus class=Some("deadline-status".to_owned()) initial later/> }
}

/// The page the mailed link opens: one button, so pre-fetching does nothing.
#[component]
pub fn EnlacePage(kind: FlowKind) -> impl IntoView {
    let l = lang();
    let action = ServerAction::<VerificarCodigo>::new();
    let form = FormState::of(action);
    let query = use_query_map();
    let code = move || query.with(|q| q.get("codigo").unwrap_or_default());
    view! {
        <UnlessFlowProblem problem=form.flow_problem()>
            <StepTitle step=Step::code_link(kind) error=form.has_error()/>
            <ErrorSummary errors=form.errors() general=form.general()/>
            <h1 tabindex="-1">
                {l.pick("Confirme el código de su correo", "Confirm the code from your e-mail")}
            </h1>
            <p>
                {l.pick(
                    "Use este botón en el mismo navegador en el que empezó el trámite.",
                    "Use this button in the same browser where you started your request.",
                )}
            </p>
            <ActionForm action=action attr:novalidate="" attr:class="form">
                <input type="hidden" name="flujo" value=kind.form_value()/>
                <input type="hidden" name="codigo" id="codigo" value=code/>
                <button type="submit" class="button">
                    {l.pick("Confirmar el código", "Confirm the code")}
                </button>
            </ActionForm>
            <p>
                <a href=Step::code(kind).path()>
                    {l.pick("Escribir el código a mano", "Type the code in yourself")}
                </a>
            </p>
        </UnlessFlowProblem>
    }
}
