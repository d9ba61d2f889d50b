//! Step 0 of solicitar clave, "Antes de empezar": what the user needs.
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
        <StepTitle step=Step::RequestStart/>
        <h1 tabindex="-1">"Solicitar su clave por primera vez"</h1>
        <p class="lead">"Cree su clave de servicios en línea en unos minutos. Tenga a mano:"</p>
        <ul class="list-bullet">
            <li>"su cédula de identidad: le pediremos el número y el código dactilar que está en el reverso;"</li>
            <li>"su fecha de nacimiento completa;"</li>
            <li>"un correo electrónico que pueda abrir ahora, para recibir un código;"</li>
            <li>"si quiere, el número de su celular."</li>
        </ul>
        <p>
            "También elegirá cuatro preguntas de seguridad y sus respuestas: le servirán si algún día olvida su clave."
        </p>
        <A href=Step::RequestSearch.path() attr:class="button button-start">
            "Comenzar"
        </A>
        <h2>"¿Ya tuvo una clave?"</h2>
        <p>
            "Si ya creó una clave antes y no la recuerda, use " <A href=Step::RecoveryStart.path()>"Recuperar clave"</A> "."
        </p>
        <h2>"¿Necesita ayuda?"</h2>
        <p>
            "Nuestro personal puede ayudarle, también si vive en el exterior. " <A href=Step::Contact.path()>"Contacto"</A>
        </p>
        <OfficeHours/>
    }
}
