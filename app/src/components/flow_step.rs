//! The frame of a flow step: loads what the step may show (checking on the
//! server that the flow is at this step), and when it is not, explains where to
//! go instead — start again, or continue where the flow is. Never a dead end.

use crate::components::layout::{OfficeHours, PageTitle};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;

/// Renders `render(data)` once the step's data is loaded, or the way out.
#[component]
pub fn FlowStep<T, F, V>(data: Resource<Result<T, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p>"Cargando…"</p> }>
            {move || {
                data.get()
                    .map(|r| match r {
                        Ok(d) => render(d).into_any(),
                        Err(e) => view! { <FlowProblem error=e/> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// What to do when the flow cannot take this step.
#[component]
pub fn FlowProblem(error: AppError) -> impl IntoView {
    let message = error.general_message().unwrap_or_default();
    match error {
        AppError::WrongStep { resume } => view! {
            <PageTitle text="Continúe su trámite"/>
            <h1 tabindex="-1">"Continúe su trámite"</h1>
            <p>{message}</p>
            <p>
                <A href=resume attr:class="button">"Continuar"</A>
            </p>
        }
        .into_any(),
        AppError::AccountLocked => view! {
            <PageTitle text="Cuenta bloqueada"/>
            <h1 tabindex="-1">"Su cuenta está bloqueada"</h1>
            <p>{message}</p>
            <OfficeHours/>
            <p>
                <A href="/">"Ir al inicio"</A>
            </p>
        }
        .into_any(),
        AppError::FlowFailed => view! {
            <PageTitle text="Empiece de nuevo – Recuperar clave"/>
            <h1 tabindex="-1">"No pudimos confirmar sus datos"</h1>
            <p>{message}</p>
            <OfficeHours/>
            <p>
                <A href="/recuperar/buscar" attr:class="button">"Volver a empezar"</A>
            </p>
        }
        .into_any(),
        _ => {
            let message = match error {
                AppError::FlowExpired => message,
                _ => "No encontramos un trámite en curso. Por seguridad debe empezar de nuevo.",
            };
            view! {
                <PageTitle text="Empiece de nuevo – Recuperar clave"/>
                <h1 tabindex="-1">"Empiece de nuevo"</h1>
                <p>{message}</p>
                <p>
                    <A href="/recuperar/buscar" attr:class="button">"Volver a empezar"</A>
                </p>
            }
            .into_any()
        }
    }
}
