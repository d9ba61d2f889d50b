//! The frame of a flow step: loads what the step may show (checking on the
//! server that the flow is at this step), and when it is not, explains where to
//! go instead — start again, or continue where the flow is. Never a dead end.

use crate::components::layout::{OfficeHours, PageTitle};
use crate::domain::flow::{FlowKind, FlowState};
use crate::domain::steps::Step;
use crate::error::{AppError, LockNotice};
use crate::lang::lang;
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
    let l = lang();
    let kind = current_kind();
    // Created beside the step's own data, never inside the Suspense that
    // reads it (a resource made while it renders stalls the server's render).
    let deadline = Resource::new_blocking(|| (), move |_| deadline_view(kind));
    // Back from *Ampliar el tiempo* posted without JavaScript.
    let extended =
        leptos_router::hooks::use_query_map().with_untracked(|q| q.get("ampliado").is_some());
    view! {
        <Suspense fallback=move || view! { <p>{l.pick("Cargando…", "Loading…")}</p> }>
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
    let l = lang();
    let kind = current_kind();
    let flow_name = kind.name(l);
    let restart = FlowState::Failed.path(kind);
    let message = error.general_message(l).unwrap_or_default();
    let way_out = match error {
        AppError::WrongStep { resume } => view! {
            <PageTitle text=l.pick("Continúe su trámite", "Continue your request")/>
            <h1 tabindex="-1">{l.pick("Continúe su trámite", "Continue your request")}</h1>
            <p>{message}</p>
            <p>
                <A href=resume attr:class="button">{l.pick("Continuar", "Continue")}</A>
            </p>
        }
        .into_any(),
        AppError::Locked(notice) => view! { <LockedPanel notice=notice/> }.into_any(),
        AppError::AccountLocked => view! {
            <PageTitle text=l.pick("Cuenta bloqueada", "Account locked")/>
            <h1 tabindex="-1">{l.pick("Su cuenta está bloqueada", "Your account is locked")}</h1>
            <p>{message}</p>
            <OfficeHours/>
            <p>
                <A href=Step::Callback.path() attr:class="button">
                    {l.pick("Pedir que me llamen", "Ask us to call me")}
                </A>
            </p>
        }
        .into_any(),
        AppError::NoClaveYet => view! {
            <PageTitle text=l.pick(
                "Todavía no tiene clave – Recuperar clave",
                "You do not have a password yet – Recover your password",
            )/>
            <h1 tabindex="-1">
                {l.pick("Usted todavía no tiene una clave", "You do not have a password yet")}
            </h1>
            <p>{message}</p>
            <p>
                <A href=Step::RequestStart.path() attr:class="button">
                    {l.pick("Solicitar clave", "Get a password")}
                </A>
            </p>
        }
        .into_any(),
        AppError::HasClave => view! {
            <PageTitle text=l.pick(
                "Ya tiene clave – Solicitar clave",
                "You already have a password – Get a password",
            )/>
            <h1 tabindex="-1">
                {l.pick("Usted ya tiene una clave", "You already have a password")}
            </h1>
            <p>{message}</p>
            <p>
                <A href=Step::RecoveryStart.path() attr:class="button">
                    {l.pick("Recuperar clave", "Recover your password")}
                </A>
            </p>
            <p>
                <A href=Step::SignIn.path()>
                    {l.pick("Ingresar con mi clave", "Sign in with my password")}
                </A>
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
                <PageTitle text=l.pick(
                    format!("No disponible por un momento – {flow_name}"),
                    format!("Unavailable for a moment – {flow_name}"),
                )/>
                <h1 tabindex="-1">
                    {l.pick(
                        "El sistema no está disponible por un momento",
                        "The system is unavailable for a moment",
                    )}
                </h1>
                <p>{message}</p>
                <p>
                    <a href=here class="button">{l.pick("Intentar otra vez", "Try again")}</a>
                </p>
            }
            .into_any()
        }
        AppError::FlowFailed => view! {
            <PageTitle text=l.pick(
                format!("Empiece de nuevo – {flow_name}"),
                format!("Start again – {flow_name}"),
            )/>
            <h1 tabindex="-1">
                {l.pick("No pudimos confirmar sus datos", "We could not confirm your details")}
            </h1>
            <p>{message}</p>
            <OfficeHours/>
            <p>
                <A href=restart attr:class="button">{l.pick("Volver a empezar", "Start again")}</A>
            </p>
        }
        .into_any(),
        _ => {
            let message = match error {
                AppError::FlowExpired => message,
                _ => l.pick(
                    "No encontramos un trámite en curso. Por seguridad debe empezar de nuevo.",
                    "We could not find a request in progress. For your security, you need to start again.",
                ),
            };
            view! {
                <PageTitle text=l.pick(
                    format!("Empiece de nuevo – {flow_name}"),
                    format!("Start again – {flow_name}"),
                )/>
                <h1 tabindex="-1">{l.pick("Empiece de nuevo", "Start again")}</h1>
                <p>{message}</p>
                <p>
                    <A href=restart attr:class="button">{l.pick("Volver a empezar", "Start again")}</A>
                </p>
            }
            .into_any()
        }
    };
    view! {
        <crate::lang::StepFormStandIn/>
        {way_out}
    }
}

/// The locked page (SPEC §2.3): why, until when, and the two ways out —
/// wait, or ask the institute to call.
#[component]
pub fn LockedPanel(notice: LockNotice) -> impl IntoView {
    let l = lang();
    let recover = (notice.reason == crate::error::LockReason::Logins).then(|| {
        view! {
            <p>
                <A href=Step::RecoveryStart.path()>
                    {l.pick("Recuperar mi clave", "Recover my password")}
                </A>
            </p>
        }
    });
    view! {
        <PageTitle text=l.pick("Acceso bloqueado por un tiempo", "Access locked for a while")/>
        <h1 tabindex="-1">
            {l.pick("Bloqueamos el acceso por un tiempo", "We have locked access for a while")}
        </h1>
        <p>{notice.why(l)}</p>
        <p class="lock-until">
            {l.pick("Podrá intentarlo otra vez desde el ", "You can try again from ")}
            <strong>{notice.until.clone()}</strong>
            {l.pick(
                " (hora de Ecuador). El bloqueo se quita solo: no tiene que hacer nada.",
                " (Ecuador time). The lock ends by itself: you do not need to do anything.",
            )}
        </p>
        {recover}
        <h2>{l.pick("¿No puede esperar?", "Can’t wait?")}</h2>
        <p>
            {l.pick(
                "Nuestro personal puede confirmar su identidad y ayudarle, también si vive en el exterior.",
                "Our staff can confirm your identity and help you, including if you live abroad.",
            )}
        </p>
        <OfficeHours/>
        <p>
            <A href=Step::Callback.path() attr:class="button">
                {l.pick("Pedir que me llamen", "Ask us to call me")}
            </A>
        </p>
    }
}
