//! Pages outside the flows: home and not found.

use crate::components::layout::{OfficeHours, PageTitle};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <PageTitle text="Inicio"/>
        <h1 tabindex="-1">"Clave de servicios en línea"</h1>
        <p class="lead">
            "Con su clave puede consultar y hacer trámites en línea del Instituto sin ir a una oficina."
        </p>
        <ul class="entry-list">
            <li>
                <h2 class="entry-title">
                    <A href="/ingresar">"Ingresar"</A>
                </h2>
                <p>"Si ya tiene su clave: entre a sus servicios en línea."</p>
            </li>
            <li>
                <h2 class="entry-title">
                    <A href="/recuperar">"Recuperar clave"</A>
                </h2>
                <p>"Si ya tuvo una clave y la olvidó, o no puede ingresar con ella."</p>
            </li>
        </ul>
        <h2>"Contacto"</h2>
        <p>
            "Si vive en el exterior o su cuenta está bloqueada, nuestro personal puede ayudarle en el horario de atención."
        </p>
        <OfficeHours/>
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
        <PageTitle text="Página no encontrada"/>
        <h1 tabindex="-1">"No encontramos esa página"</h1>
        <p>"Revise la dirección o vuelva al inicio."</p>
        <p>
            <A href="/">"Ir al inicio"</A>
        </p>
    }
}
