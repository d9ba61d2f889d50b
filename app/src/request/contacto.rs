//! Step 3 of solicitar clave, "Contacto": the e-mail to register (proved by the
//! code sent to it, next step) and, optionally, a mobile phone.
//!
//! Inputs: `correo`; `telefono` (optional: an Ecuadorian mobile as people write
//! it, or any country's with its `+` prefix; stored in E.164).
//!
//! Reveals: nothing from the registry (the registered e-mail is not shown).
//! Nothing is recorded in the registry until the whole request succeeds.
//!
//! Going back: from the code step (its back link, or the browser's Back) this
//! page shows again with the address and phone given before, and posting it
//! corrects them — a transition of the flow, not a restart: a new code goes to
//! the corrected address, the old code is void, and the hourly code budgets
//! (per cédula, per address, per client) and the resend cool-down count it.
//!
//! With or without JavaScript: a plain form post; the server checks the e-mail
//! and the phone (against libphonenumber's metadata).

use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::{FlowStep, UnlessFlowProblem};
use crate::components::form::FormState;
use crate::components::step::{StepCaption, StepTitle};
use crate::components::text_field::TextField;
use crate::domain::steps::Step;
use crate::error::{AppError, FormErrors};
use crate::lang::{lang, Lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = STEP.path();
const STEP: Step = Step::RequestContact;

/// The checks of the form alone: the e-mail; the phone only for length.
pub fn validate_form(email: &str, phone: &str, lang: Lang) -> Result<String, FormErrors> {
    let mut errors = FormErrors::default()
        .with_value("correo", email)
        .with_value("telefono", phone);
    let parsed = crate::domain::email::parse(email);
    if let Err(m) = parsed {
        errors = errors.error("correo", m.get(lang));
    }
    if phone.chars().count() > 32 {
        errors = errors.error(
            "telefono",
            lang.pick(
                "El número es demasiado largo. Escriba solo el número de su celular.",
                "The number is too long. Enter only your mobile phone number.",
            ),
        );
    }
    match parsed {
        Ok(e) if errors.is_empty() => Ok(e),
        _ => Err(errors),
    }
}

/// What this step may show: the address and phone given before, when the
/// person came back from the code step to correct them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactData {
    pub correo: Option<String>,
    pub telefono: Option<String>,
}

#[server(endpoint = "solicitar/contacto/ver")]
pub async fn contact_view() -> Result<ContactData, AppError> {
    use crate::domain::flow::{FlowKind, FlowState};
    let found = crate::web::live_flow(FlowKind::Request, FlowState::ContactPending).await?;
    Ok(ContactData {
        correo: found.new_email,
        telefono: found.new_phone,
    })
}

/// Holds the contact data in the flow, mails the code, moves to the code step.
#[server(endpoint = "solicitar/contacto")]
pub async fn contacto(correo: Option<String>, telefono: Option<String>) -> Result<(), AppError> {
    let result = server::contacto(correo.unwrap_or_default(), telefono.unwrap_or_default()).await;
    crate::web::conclude(
        result,
        <Contacto as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::flow::{FlowEvent, FlowKind, FlowState};
    use crate::domain::phone::parse_mobile;
    use crate::recovery::confirmar::server::send_code_to_new_contact;
    use crate::web::live_flow;

    pub async fn contacto(email: String, phone: String) -> Result<(), AppError> {
        let email: String = email.chars().take(300).collect();
        let phone: String = phone.chars().take(40).collect();
        let l = lang();
        let valid_email = validate_form(&email, &phone, l).map_err(AppError::Form)?;
        let e164 = match phone.trim() {
            "" => None,
            typed => Some(parse_mobile(typed).map_err(|e| {
                AppError::Form(
                    FormErrors::default()
                        .with_value("correo", &email)
                        .with_value("telefono", &phone)
                        .error("telefono", e.message(l)),
                )
            })?),
        };
        let found = live_flow(FlowKind::Request, FlowState::ContactPending).await?;
        send_code_to_new_contact(
            &found,
            &valid_email,
            e164.as_deref(),
            FlowEvent::ContactGiven,
        )
        .await
    }
}

#[component]
pub fn ContactoPage() -> impl IntoView {
    let l = lang();
    let data = Resource::new_blocking(|| (), |_| contact_view());
    let action = ServerAction::<Contacto>::new();
    let form = FormState::of(action);
    view! {
        <FlowStep
            data=data
            render=move |given| {
                let correcting = given.correo.is_some();
                let typed_or_given = move |field: &'static str, given: Option<String>| {
                    Signal::derive(move || form.value(field).get().or_else(|| given.clone()))
                };
                let correo = typed_or_given("correo", given.correo);
                let telefono = typed_or_given("telefono", given.telefono);
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
                            <h1 tabindex="-1">
                                {l.pick("¿Cómo le contactamos?", "How can we contact you?")}
                            </h1>
                            {correcting
                                .then(|| {
                                    view! {
                                        <p class="correction-note">
                                            {l.pick(
                                                "Si corrige sus datos, le enviaremos un código nuevo y el anterior dejará de servir.",
                                                "If you correct your details, we will send you a new code and the previous one will stop working.",
                                            )}
                                        </p>
                                    }
                                })}
                            <TextField
                                id="correo"
                                label=l.pick("Correo electrónico", "E-mail address")
                                hint=l.pick(
                                    "Le enviaremos ahí un código de 6 dígitos, válido por 3 minutos. Use un correo que pueda abrir ahora: quedará registrado para avisos de su cuenta.",
                                    "We will send a 6-digit code there, valid for 3 minutes. Use an e-mail address you can open now: it will be registered for notices about your account.",
                                )
                                error=form.field_error("correo")
                                value=correo
                                input_type="email"
                                autocomplete="email"
                            />
                            <TextField
                                id="telefono"
                                label=l.pick("Celular (opcional)", "Mobile phone (optional)")
                                hint=l.pick(
                                    "Por ejemplo, 099 123 4567. Si vive en el exterior, empiece con + y el código de su país, por ejemplo +34 612 345 678.",
                                    "For example, 099 123 4567. If you live abroad, start with + and your country code, for example +34 612 345 678.",
                                )
                                error=form.field_error("telefono")
                                value=telefono
                                input_type="tel"
                                autocomplete="tel"
                            />
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
