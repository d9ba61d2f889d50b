//! Pages outside the flows: home and not found.

use crate::components::layout::{OfficeHours, PageTitle};
use crate::components::step::StepTitle;
use crate::domain::steps::{Step, NOT_FOUND_TITLE_ES};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <PageTitle text=Step::Home.title_es()/>
        <h1 tabindex="-1">"Clave de servicios en línea"</h1>
        <p class="lead">
            "Con su clave puede consultar y hacer trámites en línea del Instituto sin ir a una oficina."
        </p>
        <ul class="entry-list">
            <li>
                <h2 class="entry-title">
                    <A href=Step::SignIn.path()>"Ingresar"</A>
                </h2>
                <p>"Si ya tiene su clave: entre a sus servicios en línea."</p>
            </li>
            <li>
                <h2 class="entry-title">
                    <A href=Step::RequestStart.path()>"Solicitar clave"</A>
                </h2>
                <p>"Si nunca ha tenido una clave: créela por primera vez."</p>
            </li>
            <li>
                <h2 class="entry-title">
                    <A href=Step::RecoveryStart.path()>"Recuperar clave"</A>
                </h2>
                <p>"Si ya tuvo una clave y la olvidó, o no puede ingresar con ella."</p>
            </li>
            <li>
                <h2 class="entry-title">
                    <A href=Step::Callback.path()>"Vivo en el exterior"</A>
                </h2>
                <p>"Deje su número y nuestro personal le llamará para ayudarle con su clave."</p>
            </li>
            <li>
                <h2 class="entry-title">
                    <A href=Step::Contact.path()>"Contacto"</A>
                </h2>
                <p>
                    "Si su cuenta está bloqueada o no puede confirmar sus datos en línea, nuestro personal puede ayudarle."
                </p>
            </li>
        </ul>
        <OfficeHours/>
    }
}

/// Where contact is offered: the office hours and how to be helped when the
/// self-service flows cannot be completed (locked account, no access to the
/// registered data, living abroad).
#[component]
pub fn Contacto() -> impl IntoView {
    view! {
        <StepTitle step=Step::Contact/>
        <h1 tabindex="-1">"Contacto y ayuda"</h1>
        <p class="lead">
            "Nuestro personal puede confirmar su identidad y desbloquear su cuenta cuando no puede hacerlo en línea."
        </p>
        <OfficeHours local=true/>
        <h2>"Si su cuenta está bloqueada por intentos fallidos"</h2>
        <p>
            "El bloqueo se quita solo después del tiempo indicado en la página de bloqueo. Después puede "
            <A href=Step::RecoveryStart.path()>"recuperar su clave"</A> " o "
            <A href=Step::RequestStart.path()>"solicitarla por primera vez"</A> "."
        </p>
        <h2>"Si no puede esperar, o vive en el exterior"</h2>
        <p>
            "Deje su número y le llamaremos en el horario de atención para confirmar su identidad y desbloquear su cuenta. Nunca le pediremos su clave ni los códigos que le enviamos por correo."
        </p>
        <p>
            <A href=Step::Callback.path() attr:class="button">"Pedir que me llamen"</A>
        </p>
        <p>"También puede acercarse con su cédula a cualquier oficina del Instituto en el horario de atención."</p>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <PageTitle text=NOT_FOUND_TITLE_ES/>
        <h1 tabindex="-1">"No encontramos esa página"</h1>
        <p>"Revise la dirección o vuelva al inicio."</p>
        <p>
            <A href=Step::Home.path()>"Ir al inicio"</A>
        </p>
    }
}
