//! Step 2, "Identidad": shows the cédula back and asks for the birth day and
//! month.
//!
//! Inputs: `day`, `month` (numbers; spaces and leading zeros accepted).
//!
//! Reveals: only the cédula the user typed. An unknown cédula and a wrong date
//! get the same message after the same work, and count the same failures; only
//! a matching date moves on. A staff-locked account, or a cédula that never
//! had a clave (sent to solicitar clave), is told so only then. Three failures
//! end the flow; five per cédula in a day lock recovery and request for it.
//!
//! Without JavaScript: rendered on the server from the flow cookie; the form
//! posts normally and errors come back through a redirect to this page.

use crate::components::date_input::DateInput;
use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::{FlowStep, UnlessFlowProblem};
use crate::components::form::FormState;
use crate::components::layout::CedulaEcho;
use crate::components::live_check::{LiveCheck, Rule};
use crate::components::step::{StepCaption, StepTitle};
use crate::domain::birthdate::parse_day_month;
use crate::domain::steps::Step;
use crate::error::{AppError, FormErrors};
use crate::lang::{lang, Lang};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = STEP.path();
const STEP: Step = Step::RecoveryIdentity;

pub fn no_match(l: Lang) -> &'static str {
    l.pick(
        "La fecha no coincide con nuestro registro para esta cédula. Revise el día y el mes e inténtelo otra vez.",
        "The date does not match our records for this ID number. Check the day and the month and try again.",
    )
}

/// What this step may show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityData {
    pub cedula: String,
}

/// The checks of the form alone, before the registry is read.
pub fn validate_form(day: &str, month: &str, lang: Lang) -> Result<(u32, u32), FormErrors> {
    parse_day_month(day, month).map_err(|problems| {
        problems.into_iter().fold(
            FormErrors::default()
                .with_value("day", day)
                .with_value("month", month),
            |f, p| f.error(p.field, p.message.get(lang)),
        )
    })
}

/// The live flow behind the cookie, if it is waiting for this step.
#[server(endpoint = "recuperar/identidad/ver")]
pub async fn identity_view() -> Result<IdentityData, AppError> {
    use crate::domain::flow::{FlowKind, FlowState};
    let found = crate::web::live_flow(FlowKind::Recovery, FlowState::IdentityPending).await?;
    Ok(IdentityData {
        cedula: found.cedula,
    })
}

/// Checks the birth day and month and moves to "Confirmar datos".
#[server(endpoint = "recuperar/identidad")]
pub async fn identidad(day: Option<String>, month: Option<String>) -> Result<(), AppError> {
    let result = server::identidad(day.unwrap_or_default(), month.unwrap_or_default()).await;
    crate::web::conclude(
        result,
        <Identidad as leptos::server_fn::ServerFn>::PATH,
        PAGE,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::flow::{FlowEvent, FlowKind, FlowState};
    use crate::services::{account::account_locked, identity};
    use crate::web::{advance, has_clave, identity_check, internal, live_flow, state};

    pub async fn identidad(day: String, month: String) -> Result<(), AppError> {
        let day: String = day.chars().take(16).collect();
        let month: String = month.chars().take(16).collect();
        let keep = || {
            FormErrors::default()
                .with_value("day", &day)
                .with_value("month", &month)
        };
        let l = lang();
        let (d, m) = validate_form(&day, &month, l).map_err(AppError::Form)?;
        let found = live_flow(FlowKind::Recovery, FlowState::IdentityPending).await?;
        let st = state();
        let affiliate = identity_check(
            &found,
            || AppError::Form(keep().error("day", no_match(l))),
            async { Ok(identity::match_birth_day_month(&st.db, &found.cedula, d, m).await?) },
        )
        .await?;
        if account_locked(&affiliate).map_err(internal("affiliate status"))? {
            return Err(AppError::AccountLocked);
        }
        if !has_clave(&affiliate.cedula).await? {
            return Err(AppError::NoClaveYet);
        }
        let next = advance(&found, FlowEvent::IdentityProved).await?;
        leptos_axum::redirect(next);
        Ok(())
    }
}

#[component]
pub fn IdentidadPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| identity_view());
    view! { <FlowStep data=data render=|d| view! { <IdentityForm data=d/> }/> }
}

#[component]
fn IdentityForm(data: IdentityData) -> impl IntoView {
    let l = lang();
    let action = ServerAction::<Identidad>::new();
    let form = FormState::of(action);
    let cedula = StoredValue::new(data.cedula);

    view! {
        <UnlessFlowProblem problem=form.flow_problem()>
            <StepTitle step=STEP error=form.has_error()/>
            <ErrorSummary errors=form.errors() general=form.general()/>
            <ActionForm action=action attr:novalidate="" attr:class="form">
                <StepCaption step=STEP/>
                <CedulaEcho cedula=cedula.get_value()/>
                <DateInput
                    form=form
                    heading=true
                    legend=l.pick("¿Cuál es su fecha de nacimiento?", "What is your date of birth?")
                    hint=l.pick(
                        "Solo el día y el mes, en números. Por ejemplo, 27 y 3 para el 27 de marzo.",
                        "Only the day and the month, in numbers. For example, 27 and 3 for 27 March.",
                    )
                />
                <button type="submit" class="button">
                    {l.pick("Continuar", "Continue")}
                </button>
                <LiveCheck rule=Rule::DayMonth/>
            </ActionForm>
        </UnlessFlowProblem>
    }
}
