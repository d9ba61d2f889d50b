//! Step 0, "Antes de empezar": what the user needs before starting.
//!
//! Inputs: none. Reveals: nothing. Without JavaScript: a plain link.

use crate::components::layout::OfficeHours;
use crate::components::step::StepTitle;
use crate::domain::steps::Step;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn StartPage() -> impl IntoView {
    view! {
        <StepTitle step=Step::RecoveryStart/>
        <h1 tabindex="-1">"Recuperar su clave"</h1>
        <p class="lead">"Puede crear una clave nueva en unos minutos. Tenga a mano:"</p>
        <ul class="list-bullet">
            <li>"su número de cédula;"</li>
            <li>"su fecha de nacimiento;"</li>
            <li>"acceso al correo electrónico que registró en el Instituto;"</li>
            <li>"las respuestas a las preguntas de seguridad que eligió al crear su clave."</li>
        </ul>
        <p>
            "Le enviaremos un código a su correo. Si no lo ve en la bandeja de entrada, revise la carpeta de correo no deseado."
        </p>
        <A href=Step::RecoverySearch.path() attr:class="button button-start">
            "Comenzar"
        </A>
        <h2>"¿Le falta alguno de estos datos?"</h2>
        <p>
            "Nuestro personal puede ayudarle a recuperar el acceso. También atendemos a quienes viven en el exterior."
        </p>
        <OfficeHours/>
    }
}
