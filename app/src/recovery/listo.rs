//! Step 7, "Listo": the clave was reset. No automatic login: *Finalizar* goes
//! to the login page.
//!
//! Reveals: nothing. Without JavaScript: a plain page and link.

use crate::components::flow_step::FlowStep;
use crate::components::layout::PageTitle;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;

pub const PAGE: &str = "/recuperar/listo";

#[server(endpoint = "recuperar/listo/ver")]
pub async fn done_view() -> Result<(), AppError> {
    crate::web::live_flow(crate::domain::flow::RecoveryState::Done).await?;
    Ok(())
}

#[component]
pub fn ListoPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| done_view());
    view! {
        <FlowStep
            data=data
            render=|_| {
                view! {
                    <PageTitle text="Clave restablecida – Recuperar clave"/>
                    <div class="panel-success">
                        <h1 tabindex="-1">"Su clave se ha restablecido correctamente"</h1>
                    </div>
                    <p>
                        "Ya puede ingresar a los servicios en línea con su cédula y su nueva clave."
                    </p>
                    <p>
                        "Por seguridad cerramos todas las sesiones que estaban abiertas y le enviamos un aviso por correo. Si usted no hizo este cambio, use el enlace «No fui yo» de ese correo."
                    </p>
                    <p>"Guarde su clave en un lugar seguro y no la comparta con nadie."</p>
                    <p>
                        <A href="/ingresar" attr:class="button">"Finalizar"</A>
                    </p>
                }
            }
        />
    }
}
