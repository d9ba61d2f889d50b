//! The staff console (SPEC §2.4) under `/personal`: its own accounts (created
//! with `clave create-staff`), its own sessions and cookie, roles agent and
//! supervisor checked by every server function on the server. No page shows a
//! hash, a code or an answer; every action is audited with who and why.
//!
//! Every page works without JavaScript: lists are server-rendered, filters
//! are GET forms, actions are form posts that come back to the page.

pub mod afiliado;
pub mod cola;
pub mod ingresar;
pub mod supervision;
pub mod verificar;

use crate::components::layout::PageTitle;
use crate::domain::steps::Step;
use crate::error::AppError;
use crate::lang::lang;
use crate::shared_steps::tiempo::{Deadline, Extends, TimeLimitNotice};
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

pub const HOME: &str = Step::StaffQueue.path();

/// Who is signed in, as the pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMe {
    pub username: String,
    pub display_name: String,
    pub role_label: String,
    pub supervisor: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_come_back_to_console_pages_only_without_old_errors() {
        assert_eq!(back_to(None), HOME);
        for outside in [
            "/ingresar",
            "//evil.example/personal",
            "https://evil.example",
            "/personal\r\nX: y",
        ] {
            assert_eq!(back_to(Some(outside.into())), HOME, "{outside}");
        }
        assert_eq!(
            back_to(Some("/personal?estado=open&pais=ES".into())),
            "/personal?estado=open&pais=ES"
        );
        assert_eq!(
            back_to(Some(
                "/personal?estado=open&__path=%2Fapi%2Fx&__err=abc".into()
            )),
            "/personal?estado=open"
        );
        assert_eq!(back_to(Some("/personal?__err=abc".into())), "/personal");
    }
}

#[cfg(feature = "ssr")]
impl From<&crate::services::staff::StaffUser> for StaffMe {
    fn from(u: &crate::services::staff::StaffUser) -> Self {
        use crate::domain::staff::Role;
        StaffMe {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role_label: u.role.label(crate::lang::lang()).to_owned(),
            supervisor: u.role.allows(Role::Supervisor),
        }
    }
}

/// Where a staff form comes back to: the page it was posted from (kept in a
/// hidden field), when it is a console page.
/// The error of an earlier no-JavaScript post (`__path`, `__err`) is dropped,
/// so it does not come back after a later success.
pub fn back_to(volver: Option<String>) -> String {
    let Some(v) = volver.filter(|v| v.starts_with(HOME) && !v.contains(['\r', '\n', '\\'])) else {
        return HOME.to_owned();
    };
    match v.split_once('?') {
        None => v,
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|kv| !kv.is_empty() && !kv.starts_with("__"))
                .collect();
            if kept.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
    }
}

/// "Salir" of the console: ends the staff session.
#[server(endpoint = "personal/salir")]
pub async fn personal_salir() -> Result<(), AppError> {
    use crate::web::{
        clear_cookie, internal, request_cookie, set_cookie, staff_cookie_name, state,
    };
    let st = state();
    // Who is leaving, for the audit log (a dead session just leaves).
    let _ = crate::web::staff_user(crate::domain::staff::Role::Agent).await;
    let name = staff_cookie_name(&st.settings);
    let result = match request_cookie(name) {
        Some(token) => crate::services::staff::end_session(&st.db, &token)
            .await
            .map_err(internal("end staff session")),
        None => Ok(()),
    };
    if result.is_ok() {
        set_cookie(&clear_cookie(&st.settings, name));
        leptos_axum::redirect(&format!("{}?salio=1", ingresar::PAGE));
    }
    crate::web::conclude(
        result,
        <PersonalSalir as leptos::server_fn::ServerFn>::PATH,
        HOME,
    )
    .await
}

/// The staff session's deadline, from the session this request just used
/// (each use restarts the idle timeout).
#[server(endpoint = "personal/tiempo")]
pub async fn staff_deadline() -> Result<Deadline, AppError> {
    let me = crate::web::staff_user(crate::domain::staff::Role::Agent).await?;
    Ok(Deadline::at(me.idle_until))
}

/// *Seguir*: keeps the staff session open and answers its new deadline.
#[server(endpoint = "personal/seguir")]
pub async fn personal_seguir(volver: Option<String>) -> Result<Deadline, AppError> {
    let result = staff_deadline().await;
    if result.is_ok() && crate::web::is_plain_form_post() {
        leptos_axum::redirect(&back_to(volver));
    }
    crate::web::conclude(
        result,
        <PersonalSeguir as leptos::server_fn::ServerFn>::PATH,
        HOME,
    )
    .await
}

/// The console's navigation: who is signed in, the pages their role may
/// open, and *Salir*.
#[component]
pub fn StaffNav(me: StaffMe) -> impl IntoView {
    let salir = ServerAction::<PersonalSalir>::new();
    let l = lang();
    view! {
        <nav class="staff-nav" aria-label=l.pick("Consola del personal", "Staff console")>
            <p class="staff-who">
                {me.display_name} " (" {me.username} ", " {me.role_label} ")"
            </p>
            <ul class="staff-links">
                <li><A href=HOME>{l.pick("Solicitudes y casos", "Requests and cases")}</A></li>
                <li><A href=afiliado::PAGE>{l.pick("Buscar afiliado", "Find a member")}</A></li>
                {me.supervisor.then(|| view! {
                    <li><A href=supervision::PAGE>{l.pick("Supervisión", "Supervision")}</A></li>
                })}
            </ul>
            <ActionForm action=salir attr:class="staff-logout">
                <button type="submit" class="button button-secondary">
                    {l.pick("Salir", "Sign out")}
                </button>
            </ActionForm>
        </nav>
    }
}

/// Renders `render(data)` once loaded, or why the page cannot be shown: not
/// signed in (link to the staff login) or not allowed.
#[component]
pub fn StaffFrame<T, F, V>(data: Resource<Result<T, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    // Beside the page's data (a resource made inside the Suspense would stall
    // the server's render); read after it, so it sees the session it touched.
    let deadline = Resource::new_blocking(|| (), |_| staff_deadline());
    let here = {
        let location = leptos_router::hooks::use_location();
        let (path, query) = (
            location.pathname.get_untracked(),
            location.search.get_untracked(),
        );
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    };
    let l = lang();
    view! {
        <Suspense fallback=move || view! { <p>{l.pick("Cargando…", "Loading…")}</p> }>
            {move || {
                let limit = deadline.get()?.ok();
                data.get()
                    .map(|r| match r {
                        Ok(d) => {
                            view! {
                                {render(d)}
                                {limit.map(|d| view! { <TimeLimitNotice extends=Extends::Staff d extended=false volver=here.clone()/> })}
                            }
                                .into_any()
                        }
                        Err(e) => view! { <StaffProblem error=e/> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

#[component]
pub fn StaffProblem(error: AppError) -> impl IntoView {
    let l = lang();
    let message = error.general_message(l).unwrap_or_default();
    match error {
        AppError::StaffSignedOut => view! {
            <PageTitle text=Step::StaffSignIn.title(l)/>
            <h1 tabindex="-1">{l.pick("Ingrese a la consola del personal", "Sign in to the staff console")}</h1>
            <p>{message}</p>
            <p><A href=ingresar::PAGE attr:class="button">{l.pick("Ingresar", "Sign in")}</A></p>
        }
        .into_any(),
        AppError::Forbidden => view! {
            <PageTitle text=l.pick("Sin permiso – Consola del personal", "No permission – Staff console")/>
            <h1 tabindex="-1">{l.pick("No tiene permiso", "You do not have permission")}</h1>
            <p>{message}</p>
            <p><A href=Step::Home.path()>{l.pick("Ir al inicio", "Go to the home page")}</A></p>
        }
        .into_any(),
        _ => view! {
            <PageTitle text=l.pick("Error – Consola del personal", "Error – Staff console")/>
            <h1 tabindex="-1">{l.pick("No pudimos mostrar esta página", "We could not show this page")}</h1>
            <p>{message}</p>
            <p><A href=HOME>{l.pick("Volver a la consola", "Back to the console")}</A></p>
        }
        .into_any(),
    }
}
