//! Step 0, "Antes de empezar": what the user needs before starting.
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
        <StepTitle step=Step::RecoveryStart/>
        <h1 tabindex="-1">{l.pick("Recuperar su clave", "Recover your password")}</h1>
        <p class="lead">
            {l.pick(
                "Puede crear una clave nueva en unos minutos. Tenga a mano:",
                "You can create a new password in a few minutes. Have these ready:",
            )}
        </p>
        <ul class="list-bullet">
            <li>{l.pick("su número de cédula;", "your ID number (cédula);")}</li>
            <li>{l.pick("su fecha de nacimiento;", "your date of birth;")}</li>
            <li>
                {l.pick(
                    "acceso al correo electrónico que registró en el Instituto;",
                    "access to the e-mail address you registered with the Institute;",
                )}
            </li>
            <li>
                {l.pick(
                    "las respuestas a las preguntas de seguridad que eligió al crear su clave.",
                    "the answers to the security questions you chose when you created your password.",
                )}
            </li>
        </ul>
        <p>
            {l.pick(
                "Le enviaremos un código a su correo. Si no lo ve en la bandeja de entrada, revise la carpeta de correo no deseado.",
                "We will send a code to your e-mail. If you cannot see it in your inbox, check your junk mail folder.",
            )}
        </p>
        <A href=Step::RecoverySearch.path() attr:class="button button-start">
            {l.pick("Comenzar", "Start now")}
        </A>
        <h2>{l.pick("¿Le falta alguno de estos datos?", "Missing any of these?")}</h2>
        <p>
            {l.pick(
                "Nuestro personal puede ayudarle a recuperar el acceso. También atendemos a quienes viven en el exterior.",
                "Our staff can help you get access back. We also help people who live abroad.",
            )}
        </p>
        <OfficeHours/>
    }
}
