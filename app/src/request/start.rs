//! Step 0 of solicitar clave, "Antes de empezar": what the user needs.
//!
//! Inputs: none. Reveals: nothing. Without JavaScript: a plain link.

use crate::components::layout::OfficeHours;
use crate::components::step::StepTitle;
use crate::domain::steps::Step;
use crate::lang::lang;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn StartPage() -> impl IntoView {
    let l = lang();
    view! {
        <StepTitle step=Step::RequestStart/>
        <h1 tabindex="-1">
            {l.pick("Solicitar su clave por primera vez", "Get your password for the first time")}
        </h1>
        <p class="lead">
            {l.pick(
                "Cree su clave de servicios en línea en unos minutos. Tenga a mano:",
                "Create your online services password in a few minutes. Have these ready:",
            )}
        </p>
        <ul class="list-bullet">
            <li>
                {l.pick(
                    "su cédula de identidad: le pediremos el número y el código dactilar que está en el reverso;",
                    "your identity card (cédula): we will ask for its number and the fingerprint code (código dactilar) on the back;",
                )}
            </li>
            <li>{l.pick("su fecha de nacimiento completa;", "your full date of birth;")}</li>
            <li>
                {l.pick(
                    "un correo electrónico que pueda abrir ahora, para recibir un código;",
                    "an e-mail address you can open now, to receive a code;",
                )}
            </li>
            <li>
                {l.pick(
                    "si quiere, el número de su celular.",
                    "if you want, your mobile phone number.",
                )}
            </li>
        </ul>
        <p>
            {l.pick(
                "También elegirá cuatro preguntas de seguridad y sus respuestas: le servirán si algún día olvida su clave.",
                "You will also choose four security questions and their answers: they will help you if you ever forget your password.",
            )}
        </p>
        <A href=Step::RequestSearch.path() attr:class="button button-start">
            {l.pick("Comenzar", "Start now")}
        </A>
        <h2>{l.pick("¿Ya tuvo una clave?", "Have you had a password before?")}</h2>
        <p>
            {l.pick(
                "Si ya creó una clave antes y no la recuerda, use ",
                "If you created a password before and do not remember it, use ",
            )}
            <A href=Step::RecoveryStart.path()>
                {l.pick("Recuperar clave", "Recover your password")}
            </A>
            "."
        </p>
        <h2>{l.pick("¿Necesita ayuda?", "Need help?")}</h2>
        <p>
            {l.pick(
                "Nuestro personal puede ayudarle, también si vive en el exterior. ",
                "Our staff can help you, including if you live abroad. ",
            )}
            <A href=Step::Contact.path()>{l.pick("Contacto", "Contact")}</A>
        </p>
        <OfficeHours/>
    }
}
