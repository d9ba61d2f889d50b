//! Step 3, "Confirmar datos": the affiliate's name and registered e-mail, both
//! partly masked, and the button that sends the code.
//!
//! Inputs: none (two buttons: *Enviar código*, or "No tengo acceso a este
//! correo", which leads to the §2.1.1 path).
//!
//! Reveals: the masked name and e-mail, only after the birth date matched.
//!
//! Going back: from the code step this page shows again; *Enviar código* then
//! mails a new code (the old one is void; the cool-down and the hourly
//! budgets count it), and "No tengo acceso a este correo" voids the code and
//! takes the §2.1.1 path.
//!
//! Without JavaScript: both buttons are plain form posts.

use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::{FlowStep, UnlessFlowProblem};
use crate::components::form::FormState;
use crate::components::step::{StepCaption, StepTitle};
use crate::domain::steps::Step;
use crate::error::AppError;
use crate::lang::{lang, Lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = STEP.path();
const STEP: Step = Step::RecoveryConfirm;

pub fn too_many_codes(l: Lang) -> &'static str {
    l.pick(
        "Ya enviamos varios códigos en la última hora. Por seguridad, espere una hora antes de pedir otro.",
        "We have already sent several codes in the last hour. For your security, wait an hour before you ask for another one.",
    )
}

/// What this step may show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmData {
    pub name: String,
    pub email: String,
    /// A code was already sent: the person came back from the code step.
    pub code_sent: bool,
}

#[server(endpoint = "recuperar/confirmar/ver")]
pub async fn confirm_view() -> Result<ConfirmData, AppError> {
    use crate::domain::flow::{FlowKind, FlowState};
    use crate::domain::mask::{mask_email, mask_name};
    use crate::web::live_flow;
    let found = live_flow(FlowKind::Recovery, FlowState::ConfirmPending).await?;
    let person = crate::web::flow_affiliate(&found).await?;
    Ok(ConfirmData {
        name: mask_name(&person.given_names, &person.surnames),
        email: mask_email(&person.email),
        code_sent: found.state == FlowState::CodePending,
    })
}

/// Sends the code to the registered address and moves to the code step.
#[server(endpoint = "recuperar/confirmar")]
pub async fn enviar_codigo() -> Result<(), AppError> {
    let result = server::enviar_codigo().await;
    crate::web::conclude(
        result,
        <EnviarCodigo as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

/// "No tengo acceso a este correo": the §2.1.1 path.
#[server(endpoint = "recuperar/sin-acceso")]
pub async fn sin_acceso() -> Result<(), AppError> {
    let result = server::sin_acceso().await;
    crate::web::conclude(
        result,
        <SinAcceso as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::*;
    use crate::domain::flow::{FlowEvent, FlowKind, FlowState};
    use crate::error::FormErrors;
    use crate::services::code::{self, SendRefusal};
    use crate::services::now_unix;
    use crate::web::{advance, client_key, internal, live_flow, state};

    /// Sends a code for `found` to `email`; the refusal as the user sees it.
    pub async fn send_code(
        found: &crate::services::flow::Flow,
        email: &str,
        field: &str,
    ) -> Result<code::Sent, AppError> {
        let l = lang();
        let st = state();
        let sent = code::send(
            &st.db,
            &st.settings,
            found,
            email,
            &client_key(&st.settings),
            now_unix(),
        )
        .await
        .map_err(internal("send code"))?;
        sent.map_err(|refusal| match refusal {
            SendRefusal::CoolingDown(wait) => AppError::RateLimited(FormErrors::default().error(
                field,
                l.pick(
                    format!("Espere {wait} segundos antes de pedir otro código."),
                    format!("Wait {wait} seconds before you ask for another code."),
                ),
            )),
            SendRefusal::TooMany => {
                AppError::RateLimited(FormErrors::default().error(field, too_many_codes(l)))
            }
        })
    }

    /// Mails a code to the address the flow's code goes to, then records it
    /// (and the phone of a first request), and moves the flow on by `event`.
    /// The code comes first: a refused send (cool-down, budgets) leaves the
    /// address the live code was sent to, so a code always proves the address
    /// the flow holds (the code step checks it again when it accepts one).
    pub async fn send_code_to_new_contact(
        found: &crate::services::flow::Flow,
        email: &str,
        phone: Option<&str>,
        event: FlowEvent,
    ) -> Result<(), AppError> {
        send_code(found, email, "correo").await?;
        crate::services::flow::set_contact(&state().db, &found.id, email, phone)
            .await
            .map_err(internal("contact data"))?;
        let next = advance(found, event).await?;
        leptos_axum::redirect(next);
        Ok(())
    }

    pub async fn enviar_codigo() -> Result<(), AppError> {
        let found = live_flow(FlowKind::Recovery, FlowState::ConfirmPending).await?;
        let person = crate::web::flow_affiliate(&found).await?;
        send_code(&found, &person.email, "enviar").await?;
        let next = advance(&found, FlowEvent::CodeRequested).await?;
        leptos_axum::redirect(next);
        Ok(())
    }

    pub async fn sin_acceso() -> Result<(), AppError> {
        let found = live_flow(FlowKind::Recovery, FlowState::ConfirmPending).await?;
        let next = advance(&found, FlowEvent::NoEmailAccess).await?;
        if found.state == FlowState::CodePending {
            // Back from the code step: the code sent to the registered
            // address must not serve the §2.1.1 path.
            code::void(&state().db, &found.id)
                .await
                .map_err(internal("void code"))?;
        }
        leptos_axum::redirect(next);
        Ok(())
    }
}

#[component]
pub fn ConfirmarPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| confirm_view());
    view! { <FlowStep data=data render=|d| view! { <Confirm data=d/> }/> }
}

#[component]
fn Confirm(data: ConfirmData) -> impl IntoView {
    let l = lang();
    let send = ServerAction::<EnviarCodigo>::new();
    let no_access = ServerAction::<SinAcceso>::new();
    let form = FormState::of(send);
    let other = FormState::of(no_access);
    let problem = Signal::derive(move || form.flow_problem().get().or(other.flow_problem().get()));
    view! {
        <UnlessFlowProblem problem=problem>
            <StepTitle step=STEP error=form.has_error()/>
            <ErrorSummary errors=form.errors() general=form.general()/>
            <StepCaption step=STEP/>
            <h1 tabindex="-1">{l.pick("Confirme sus datos", "Confirm your details")}</h1>
            <p>
                {l.pick(
                    "Por su seguridad mostramos solo una parte de sus datos.",
                    "For your security, we show only part of your details.",
                )}
            </p>
            <dl class="summary-list">
                <div class="summary-row">
                    <dt>{l.pick("Nombre", "Name")}</dt>
                    <dd class="masked-name">{data.name.clone()}</dd>
                </div>
                <div class="summary-row">
                    <dt>{l.pick("Correo registrado", "Registered e-mail address")}</dt>
                    <dd class="masked-email">{data.email.clone()}</dd>
                </div>
            </dl>
            <p>
                {if data.code_sent {
                    l.pick(
                        "Ya le enviamos un código a ese correo. Si pide otro, el anterior dejará de servir.",
                        "We have already sent a code to that e-mail address. If you ask for another one, the previous one will stop working.",
                    )
                } else {
                    l.pick(
                        "Le enviaremos a ese correo un código de 6 dígitos, válido por 3 minutos.",
                        "We will send a 6-digit code to that e-mail address. It is valid for 3 minutes.",
                    )
                }}
            </p>
            <ActionForm action=send attr:novalidate="" attr:class="form">
                <button type="submit" class="button" id="enviar">
                    {l.pick("Enviar código", "Send code")}
                </button>
            </ActionForm>
            <h2>{l.pick("¿Ya no usa ese correo?", "No longer use that e-mail address?")}</h2>
            <p>
                {l.pick(
                    "Puede registrar otro correo si responde sus cuatro preguntas de seguridad. Le avisaremos al correo anterior.",
                    "You can register another e-mail address if you answer your four security questions. We will tell you at the previous address.",
                )}
            </p>
            <ActionForm action=no_access attr:novalidate="">
                <button type="submit" class="button button-secondary">
                    {l.pick("No tengo acceso a este correo", "I cannot access this e-mail address")}
                </button>
            </ActionForm>
        </UnlessFlowProblem>
    }
}
