//! Step 2, "Identidad": shows the cédula back and asks for the birth day and
//! month.
//!
//! Reveals: only the cédula the user typed (never whether it is registered).
//! Without JavaScript: rendered completely on the server from the flow cookie.
//! An unknown or expired flow shows how to start again, never a dead end.

use crate::components::layout::{BackLink, PageTitle};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = "/recuperar/identidad";

/// What this step may show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityData {
    pub cedula: String,
}

/// The live flow behind the cookie, if it is waiting for this step.
#[server(endpoint = "recuperar/identidad/ver")]
pub async fn identity_view() -> Result<IdentityData, AppError> {
    use crate::domain::flow::{FlowClock, RecoveryState};
    use crate::services::{flow, now_unix};
    use crate::web::{flow_cookie_name, internal, request_cookie, state};

    let st = state();
    let now = now_unix();
    let token = request_cookie(flow_cookie_name(&st.settings)).ok_or(AppError::FlowExpired)?;
    let found = flow::find_live(&st.db, &token, now)
        .await
        .map_err(internal("load flow"))?
        .ok_or(AppError::FlowExpired)?;
    let state = RecoveryState::parse(&found.state).ok_or(AppError::StepNotAllowed)?;
    FlowClock {
        state,
        expires_at: found.expires_at,
    }
    .check(RecoveryState::IdentityPending, now)
    .map_err(|_| AppError::StepNotAllowed)?;
    Ok(IdentityData {
        cedula: found.cedula,
    })
}

#[component]
pub fn IdentidadPage() -> impl IntoView {
    let view_data = Resource::new_blocking(|| (), |_| identity_view());
    view! {
        <Suspense fallback=|| view! { <p>"Cargando…"</p> }>
            {move || {
                view_data
                    .get()
                    .map(|r| match r {
                        Ok(data) => view! { <Identity data/> }.into_any(),
                        Err(e) => view! { <Restart error=e/> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn Identity(data: IdentityData) -> impl IntoView {
    view! {
        <PageTitle text="Su fecha de nacimiento – Recuperar clave"/>
        <BackLink href="/recuperar/buscar"/>
        <span class="caption">"Recuperar clave · paso 2 de 6"</span>
        <h1 tabindex="-1">"Confirme que es usted"</h1>
        <dl class="summary-list">
            <div class="summary-row">
                <dt>"Cédula"</dt>
                <dd class="cedula-echo">{data.cedula}</dd>
            </div>
        </dl>
        <p>
            "En el siguiente paso le pediremos el día y el mes de su nacimiento, tal como constan en el registro del Instituto."
        </p>
    }
}

#[component]
fn Restart(error: AppError) -> impl IntoView {
    let message = error
        .general_message()
        .unwrap_or("No encontramos un trámite en curso.");
    view! {
        <PageTitle text="Empiece de nuevo – Recuperar clave"/>
        <h1 tabindex="-1">"Empiece de nuevo"</h1>
        <p>{message}</p>
        <p>
            <A href="/recuperar/buscar" attr:class="button">"Volver a empezar"</A>
        </p>
    }
}
