//! "Servicios en línea": the signed-in home. Shows the affiliate's name, the
//! online services, when the session ends if idle (with *Seguir* to extend
//! it in place, and a dialog and an announcement two minutes before: the
//! time-limit island of `shared_steps::tiempo`), and *Salir*.
//!
//! Without JavaScript: both buttons are plain form posts; the idle deadline is
//! printed as a clock time.

use crate::components::layout::PageTitle;
use crate::domain::steps::Step;
use crate::error::AppError;
use crate::lang::lang;
use crate::shared_steps::tiempo::{Deadline, Extends, TimeLimitNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = Step::Services.path();

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeData {
    pub name: String,
    /// When the session ends without activity.
    pub idle: Deadline,
}

#[server(endpoint = "servicios/ver")]
pub async fn home_view() -> Result<HomeData, AppError> {
    // Signed out is a 401, not a server error.
    crate::web::view_result(home_data().await)
}

#[cfg(feature = "ssr")]
async fn home_data() -> Result<HomeData, AppError> {
    use crate::services::{account, now_unix};
    use crate::web::{internal, request_cookie, session_cookie_name, state};
    let st = state();
    let now = now_unix();
    let token = request_cookie(session_cookie_name(&st.settings)).ok_or(AppError::SignedOut)?;
    let (session, person) = account::session_for(&st.db, &token, now)
        .await
        .map_err(internal("load session"))?
        .ok_or(AppError::SignedOut)?;
    let idle = account::touch_session(&st.db, &session, st.settings.session_idle_secs, now)
        .await
        .map_err(internal("touch session"))?;
    Ok(HomeData {
        name: format!("{} {}", person.given_names, person.surnames),
        idle: Deadline::at(idle),
    })
}

/// "Seguir": keeps the session open (the home page touches it) and answers
/// its new deadline.
#[server(endpoint = "servicios/seguir")]
pub async fn seguir() -> Result<Deadline, AppError> {
    let result = home_view().await.map(|home| home.idle);
    if result.is_ok() && crate::web::is_plain_form_post() {
        leptos_axum::redirect(PAGE);
    }
    crate::web::conclude(result, <Seguir as leptos::server_fn::ServerFn>::PATH, PAGE).await
}

/// "Salir": ends the session and forgets the cookie.
#[server(endpoint = "salir")]
pub async fn salir() -> Result<(), AppError> {
    use crate::web::{
        clear_cookie, internal, request_cookie, session_cookie_name, set_cookie, state,
    };
    let st = state();
    let name = session_cookie_name(&st.settings);
    if let Some(token) = request_cookie(name) {
        crate::services::account::end_session(&st.db, &token)
            .await
            .map_err(internal("end session"))?;
    }
    set_cookie(&clear_cookie(&st.settings, name));
    leptos_axum::redirect(&format!("{}?salio=1", Step::SignIn.path()));
    Ok(())
}

#[component]
pub fn ServiciosPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| home_view());
    let l = lang();
    view! {
        <Suspense fallback=move || view! { <p>{l.pick("Cargando…", "Loading…")}</p> }>
            {move || {
                data.get()
                    .map(|r| match r {
                        Ok(d) => view! { <Home data=d/> }.into_any(),
                        Err(e) => view! { <SignedOut error=e/> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn SignedOut(error: AppError) -> impl IntoView {
    let l = lang();
    let message = match error {
        AppError::SignedOut => error.general_message(l).unwrap_or_default(),
        _ => l.pick(
            "No pudimos abrir sus servicios en línea. Ingrese otra vez.",
            "We could not open your online services. Sign in again.",
        ),
    };
    view! {
        <PageTitle text=l.pick("Sesión terminada", "Session ended")/>
        <h1 tabindex="-1">{l.pick("Su sesión terminó", "Your session has ended")}</h1>
        <p>{message}</p>
        <p>
            <A href=Step::SignIn.path() attr:class="button">{l.pick("Ingresar", "Sign in")}</A>
        </p>
    }
}

#[component]
fn Home(data: HomeData) -> impl IntoView {
    let salir = ServerAction::<Salir>::new();
    let l = lang();
    view! {
        <PageTitle text=Step::Services.title(l)/>
        <h1 tabindex="-1">{l.pick("Servicios en línea", "Online services")}</h1>
        <p class="lead">
            {l.pick("Bienvenido o bienvenida, ", "Welcome, ")}
            <strong class="affiliate-name">{data.name}</strong>
            "."
        </p>
        <h2>{l.pick("¿Qué desea hacer?", "What would you like to do?")}</h2>
        <ul class="list-bullet services-list">
            <li>{l.pick("Consultar sus aportes", "Check your contributions")}</li>
            <li>{l.pick("Ver su historia laboral", "See your employment history")}</li>
            <li>{l.pick("Consultar y solicitar préstamos", "Check and apply for loans")}</li>
            <li>{l.pick("Revisar su cobertura de salud", "Check your health coverage")}</li>
            <li>{l.pick("Consultar su pensión", "Check your pension")}</li>
        </ul>
        <TimeLimitNotice extends=Extends::Session d=data.idle extended=false/>
        <ActionForm action=salir attr:novalidate="">
            <button type="submit" class="button">{l.pick("Salir", "Sign out")}</button>
        </ActionForm>
    }
}
