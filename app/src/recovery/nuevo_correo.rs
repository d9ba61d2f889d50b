//! §2.1.1, the new address: after the birth date and all four answers, the
//! user gives an address they can read; the code goes there.
//!
//! Inputs: `correo`.
//! Reveals: nothing new. The registered address changes only when the whole
//! recovery succeeds; then the old address is told, with a "no fui yo" link.
//! Going back: from the code step this page shows again with the address
//! given before; posting it corrects the address (a new code goes there, the
//! old code is void, every code budget counts it).
//! Without JavaScript: a plain form post.

use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::{FlowStep, UnlessFlowProblem};
use crate::components::form::FormState;
use crate::components::step::{StepCaption, StepTitle};
use crate::components::text_field::TextField;
use crate::domain::steps::Step;
use crate::error::{AppError, FormErrors};
use crate::lang::{lang, Lang};
use leptos::prelude::*;

pub const PAGE: &str = STEP.path();
const STEP: Step = Step::RecoveryNewEmail;

/// The check of the form alone: a well-formed address.
pub fn validate_form(email: &str, lang: Lang) -> Result<String, FormErrors> {
    crate::domain::email::parse(email).map_err(|m| {
        FormErrors::default()
            .with_value("correo", email)
            .error("correo", m.get(lang))
    })
}

/// What this step may show: the address given before, when the person came
/// back from the code step to correct it.
#[server(endpoint = "recuperar/nuevo-correo/ver")]
pub async fn new_email_view() -> Result<Option<String>, AppError> {
    let found = crate::web::live_flow(
        crate::domain::flow::FlowKind::Recovery,
        crate::domain::flow::FlowState::NewEmailPending,
    )
    .await?;
    Ok(found.new_email)
}

#[server(endpoint = "recuperar/nuevo-correo")]
pub async fn nuevo_correo(correo: Option<String>) -> Result<(), AppError> {
    let result = server::nuevo_correo(correo.unwrap_or_default()).await;
    crate::web::conclude(
        result,
        <NuevoCorreo as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::flow::{FlowEvent, FlowKind, FlowState};
    use crate::recovery::confirmar::server::send_code_to_new_contact;
    use crate::web::live_flow;

    pub async fn nuevo_correo(input: String) -> Result<(), AppError> {
        let l = lang();
        let input: String = input.chars().take(300).collect();
        let email = validate_form(&input, l).map_err(AppError::Form)?;
        let found = live_flow(FlowKind::Recovery, FlowState::NewEmailPending).await?;
        let person = crate::web::flow_affiliate(&found).await?;
        if person.email.eq_ignore_ascii_case(&email) {
            return Err(AppError::Form(
                FormErrors::default().with_value("correo", &input).error(
                    "correo",
                    l.pick(
                        "Ese es el correo que ya está registrado. Escriba uno al que sí tenga acceso.",
                        "That is the e-mail address we already have. Enter one that you can access.",
                    ),
                ),
            ));
        }
        send_code_to_new_contact(&found, &email, None, FlowEvent::NewEmailGiven).await
    }
}

#[component]
pub fn NuevoCorreoPage() -> impl IntoView {
    let l = lang();
    let data = Resource::new_blocking(|| (), |_| new_email_view());
    let action = ServerAction::<NuevoCorreo>::new();
    let form = FormState::of(action);
    view! {
        <FlowStep
            data=data
            render=move |given| {
                let correcting = given.is_some();
                let value = Signal::derive(move || form.value("correo").get().or_else(|| given.clone()));
                view! {
                    <UnlessFlowProblem problem=form.flow_problem()>
                        <StepTitle step=STEP error=form.has_error()/>
                        <ErrorSummary errors=form.errors() general=form.general()/>
                        <ActionForm
                            action=action
                            attr:id=crate::lang::STEP_FORM_ID
                            attr:novalidate=""
                            attr:class="form"
                        >
                            <StepCaption step=STEP/>
                            <TextField
                                id="correo"
                                label=l.pick(
                                    "¿A qué correo le enviamos el código?",
                                    "Which e-mail address should we send the code to?",
                                )
                                heading=true
                                hint=l.pick(
                                    "Use un correo que pueda abrir ahora. Si termina de recuperar su clave, quedará registrado en lugar del anterior.",
                                    "Use an e-mail address you can open now. If you finish recovering your password, it will be registered in place of the previous one.",
                                )
                                error=form.field_error("correo")
                                value=value
                                input_type="email"
                                autocomplete="email"
                            />
                            {correcting
                                .then(|| {
                                    view! {
                                        <p class="correction-note">
                                            {l.pick(
                                                "Si corrige el correo, le enviaremos un código nuevo y el anterior dejará de servir.",
                                                "If you correct the e-mail address, we will send you a new code and the previous one will stop working.",
                                            )}
                                        </p>
                                    }
                                })}
                            <button type="submit" class="button">
                                {l.pick("Enviar código", "Send code")}
                            </button>
                        </ActionForm>
                    </UnlessFlowProblem>
                }
            }
        />
    }
}
