//! The frame of a flow step: loads what the step may show (checking on the
//! server that the flow is at this step), and when it is not, explains where to
//! go instead — start again, or continue where the flow is. Never a dead end.

use crate::components::layout::{OfficeHours, PageTitle};
use crate::domain::flow::{FlowKind, FlowState};
use crate::domain::steps::Step;
use crate::error::{AppError, LockNotice};
use crate::shared_steps::tiempo::{deadline_view, Extends, TimeLimitNotice};
use leptos::prelude::*;
use leptos_router::components::A;

/// Renders `render(data)` once the step's data is loaded, followed by the
/// flow's time limit, or the way out.
#[component]
pub fn FlowStep<T, F, V>(data: Resource<Result<T, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let kind = current_kind();
    // Created beside the step's own data, never inside the Suspense that
    // reads it (a resource made while it renders stalls the server's render).
    let deadline = Resource::new_blocking(|| (), move |_| deadline_view(kind));
    // Back from *Ampliar el tiempo* posted without JavaScript.
    let extended =
        leptos_router::hooks::use_query_map().with_untracked(|q| q.get("ampliado").is_some());
    view! {
        <Suspense fallback=|| view! { <p>"Cargando…"</p> }>
            {move || {
                let limit = deadline.get()?.ok().flatten();
                data.get()
                    .map(|r| match r {
                        Ok(d) => {
                            view! {
                                {render(d)}
                                {limit.map(|d| view! { <TimeLimitNotice extends=Extends::Flow(kind) d extended/> })}
                            }
                                .into_any()
                        }
                        Err(e) => view! { <FlowProblem error=e/> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

/// The step's form, unless the last submission found that the flow cannot take
/// this step (expired, ended, elsewhere, locked): then the way out instead.
#[component]
pub fn UnlessFlowProblem(
    #[prop(into)] problem: Signal<Option<AppError>>,
    children: ChildrenFn,
) -> impl IntoView {
    view! {
        <Show
            when=move || problem.with(Option::is_none)
            fallback=move || problem.get().map(|e| view! { <FlowProblem error=e/> })
        >
            {children()}
        </Show>
    }
}

/// The flow this page belongs to, from its address (the pages of both flows
/// share this frame).
fn current_kind() -> FlowKind {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    if path.starts_with(FlowKind::Request.home()) {
        FlowKind::Request
    } else {
        FlowKind::Recovery
    }
}

/// What to do when the flow cannot take this step.
#[component]
pub fn FlowProblem(error: AppError) -> impl IntoView {
    let kind = current_kind();
    let restart = FlowState::Failed.path(kind);
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
        AppError::Locked(notice) => view! { <LockedPanel notice=notice/> }.into_any(),
        AppError::AccountLocked => view! {
            <PageTitle text="Cuenta bloqueada"/>
            <h1 tabindex="-1">"Su cuenta está bloqueada"</h1>
            <p>{message}</p>
            <OfficeHours/>
            <p>
                <A href=Step::Callback.path() attr:class="button">"Pedir que me llamen"</A>
            </p>
        }
        .into_any(),
        AppError::NoClaveYet => view! {
            <PageTitle text="Todavía no tiene clave – Recuperar clave"/>
            <h1 tabindex="-1">"Usted todavía no tiene una clave"</h1>
            <p>{message}</p>
            <p>
                <A href=Step::RequestStart.path() attr:class="button">"Solicitar clave"</A>
            </p>
        }
        .into_any(),
        AppError::HasClave => view! {
            <PageTitle text="Ya tiene clave – Solicitar clave"/>
            <h1 tabindex="-1">"Usted ya tiene una clave"</h1>
            <p>{message}</p>
            <p>
                <A href=Step::RecoveryStart.path() attr:class="button">"Recuperar clave"</A>
            </p>
            <p>
                <A href=Step::SignIn.path()>"Ingresar con mi clave"</A>
            </p>
        }
        .into_any(),
        // The database away for a moment: the flow is intact, so the way on
        // is this same page again, not a new start.
        AppError::Unavailable => {
            #[cfg(feature = "ssr")]
            crate::web::page_says_retry_later(&error);
            let here = leptos_router::hooks::use_location()
                .pathname
                .get_untracked();
            view! {
                <PageTitle text=format!("No disponible por un momento – {}", kind.name_es())/>
                <h1 tabindex="-1">"El sistema no está disponible por un momento"</h1>
                <p>{message}</p>
                <p>
                    <a href=here class="button">"Intentar otra vez"</a>
                </p>
            }
            .into_any()
        }
        AppError::FlowFailed => view! {
            <PageTitle text=format!("Empiece de nuevo – {}", kind.name_es())/>
            <h1 tabindex="-1">"No pudimos confirmar sus datos"</h1>
            <p>{message}</p>
            <OfficeHours/>
            <p>
                <A href=restart attr:class="button">"Volver a empezar"</A>
            </p>
        }
        .into_any(),
        _ => {
            let message = match error {
                AppError::FlowExpired => message,
                _ => "No encontramos un trámite en curso. Por seguridad debe empezar de nuevo.",
            };
            view! {
                <PageTitle text=format!("Empiece de nuevo – {}", kind.name_es())/>
                <h1 tabindex="-1">"Empiece de nuevo"</h1>
                <p>{message}</p>
                <p>
                    <A href=restart attr:class="button">"Volver a empezar"</A>
                </p>
            }
            .into_any()
        }
    }
}

/// The locked page (SPEC §2.3): why, until when, and the two ways out —
/// wait, or ask the institute to call.
#[component]
pub fn LockedPanel(notice: LockNotice) -> impl IntoView {
    let recover = (notice.reason == crate::error::LockReason::Logins).then(|| {
        view! {
            <p>
                <A href=Step::RecoveryStart.path()>"Recuperar mi clave"</A>
            </p>
        }
    });
    view! {
        <PageTitle text="Acceso bloqueado por un tiempo"/>
        <h1 tabindex="-1">"Bloqueamos el acceso por un tiempo"</h1>
        <p>{notice.why_es()}</p>
        <p class="lock-until">
            "Podrá intentarlo otra vez desde el " <strong>{notice.until.clone()}</strong>
            " (hora de Ecuador). El bloqueo se quita solo: no tiene que hacer nada."
        </p>
        {recover}
        <h2>"¿No puede esperar?"</h2>
        <p>
            "Nuestro personal puede confirmar su identidad y ayudarle, también si vive en el exterior."
        </p>
        <OfficeHours/>
        <p>
            <A href=Step::Callback.path() attr:class="button">"Pedir que me llamen"</A>
        </p>
    }
}
