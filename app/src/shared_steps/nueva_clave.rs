//! Step 6, "Nueva clave": the important notices first, the rules before the
//! field, one password field with show/hide and live strength feedback. Both
//! flows end here: `/recuperar/nueva-clave` replaces the clave,
//! `/solicitar/nueva-clave` creates the first one.
//!
//! Inputs: `clave` (any Unicode and spaces, NFKC-normalised, 12 to 256
//! characters, never truncated), `flujo` (hidden).
//!
//! Reveals: nothing. The clave is refused when it is common (zxcvbn's
//! English lists, and the Spanish and Ecuadorian ones of `domain/data`) or contains the cédula, birth date, names or the institute's
//! name. On success every session of the affiliate is signed out and a notice
//! with a "no fui yo" link is mailed; a first request also records the
//! verified e-mail, the phone and the four answers, all in one transaction.
//! The clave is never generated or mailed.
//!
//! Without JavaScript: a plain password field and form post; the toggle and
//! the meter appear only with JavaScript.

use crate::components::error_summary::ErrorSummary;
use crate::components::flow_step::{FlowStep, UnlessFlowProblem};
use crate::components::form::FormState;
use crate::components::password_input::PasswordInput;
use crate::components::step::{StepCaption, StepTitle};
use crate::domain::flow::FlowKind;
#[cfg(feature = "ssr")]
use crate::domain::flow::FlowState;
#[cfg(feature = "ssr")]
use crate::domain::password::PasswordContext;
use crate::domain::password::PasswordPolicy;
use crate::domain::steps::Step;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::error::FormErrors;
use crate::lang::lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewClaveData {
    pub policy: PasswordPolicy,
}

#[server(endpoint = "recuperar/nueva-clave/ver")]
pub async fn new_clave_view(kind: FlowKind) -> Result<NewClaveData, AppError> {
    crate::web::live_flow(kind, FlowState::PasswordPending).await?;
    Ok(NewClaveData {
        policy: PasswordPolicy {
            min_chars: crate::web::state().settings.clave_min_chars,
        },
    })
}

#[server(endpoint = "recuperar/nueva-clave")]
pub async fn generar(clave: Option<String>, flujo: Option<String>) -> Result<(), AppError> {
    let kind = FlowKind::from_form(flujo.as_deref());
    let result = server::generar(kind, clave.unwrap_or_default()).await;
    crate::web::conclude(
        result,
        <Generar as leptos::server_fn::ServerFn>::PATH,
        Step::new_clave(kind).path(),
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::flow::FlowEvent;
    use crate::domain::password::{normalise, MAX_CHARS};
    use crate::lang::Lang;
    use crate::services::{account, hashing, now_unix};
    use crate::web::{advance, internal, live_flow, state};
    use chrono::Datelike;

    /// Words zxcvbn counts as known in every clave.
    const INSTITUTE_WORDS: [&str; 2] = ["iess", "clave"];

    fn errors_for(problems: &[crate::domain::password::PasswordProblem], lang: Lang) -> FormErrors {
        // The value is never echoed back: a clave does not travel in a URL.
        problems.iter().fold(FormErrors::default(), |f, p| {
            f.error("clave", p.message(lang))
        })
    }

    /// Everything the server checks: the policy with the person's context,
    /// and the common-password lists with the person's words.
    fn refusal(
        policy: &PasswordPolicy,
        clave: &str,
        ctx: &PasswordContext<'_>,
        words: &[&str],
    ) -> Result<(), Vec<crate::domain::password::PasswordProblem>> {
        policy.check(clave, ctx, |c| crate::domain::password::is_common(c, words))
    }

    pub async fn generar(kind: FlowKind, clave: String) -> Result<(), AppError> {
        // One character over the limit is enough to say "too long".
        let clave: String = clave.chars().take(MAX_CHARS + 1).collect();
        let found = live_flow(kind, FlowState::PasswordPending).await?;
        let st = state();
        let person = crate::web::flow_affiliate(&found).await?;
        let policy = PasswordPolicy {
            min_chars: st.settings.clave_min_chars,
        };
        let b = person.birth_date;
        let ctx = PasswordContext {
            cedula: &person.cedula,
            birth_date: Some((b.year(), b.month(), b.day())),
            names: vec![&person.given_names, &person.surnames],
        };
        let words: Vec<&str> = person
            .given_names
            .split_whitespace()
            .chain(person.surnames.split_whitespace())
            .chain([person.cedula.as_str()])
            .chain(INSTITUTE_WORDS)
            .collect();
        let l = lang();
        refusal(&policy, &clave, &ctx, &words).map_err(|p| AppError::Form(errors_for(&p, l)))?;
        let phc = match hashing::hash(normalise(&clave)).await {
            Ok(phc) => phc,
            // The clave is never sent back: the person types it again.
            Err(hashing::HashError::Busy(_)) => return Err(AppError::Busy(FormErrors::default())),
            Err(e) => {
                tracing::error!(error = %e, "hash clave");
                return Err(AppError::Internal);
            }
        };
        let now = now_unix();
        // Claim the step first, so two racing submissions set one clave.
        let next = advance(&found, FlowEvent::ClaveSet).await?;
        match kind {
            FlowKind::Recovery => {
                account::set_clave(&st.db, &st.settings.public_url, &found, &person, phc, now)
                    .await
                    .map_err(internal("set clave"))?
            }
            FlowKind::Request => {
                let created = account::create_clave(
                    &st.db,
                    &st.settings.public_url,
                    &found,
                    &person,
                    phc,
                    now,
                )
                .await
                .map_err(internal("create clave"))?;
                if !created {
                    // Another flow (a second tab) set a clave first: this one
                    // ends without one, and must not read as done.
                    crate::services::flow::advance(
                        &st.db,
                        &found.id,
                        FlowState::Done,
                        FlowState::Failed,
                        now,
                        st.settings.flow_idle_secs,
                    )
                    .await
                    .map_err(internal("end flow"))?;
                    return Err(AppError::HasClave);
                }
            }
        }
        leptos_axum::redirect(next);
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::password::{strength, Strength};

        /// Claves the server refuses whoever types them (too short, the
        /// institute's name, or common in English or in Spanish): written by
        /// hand, the Spanish ones last. The hint
        /// cannot know the person's cédula, birth date or names, which the
        /// server also refuses, and is never given them.
        const REFUSED: [&str; 44] = [
            "corta",
            "Ab1!xyz",
            "password1234",
            "Password1234!",
            "P@ssw0rd2024!",
            "123456789012",
            "qwertyuiopas",
            "Qwerty123456!",
            "1qaz2wsx3edc4rfv",
            "zaq12wsxcde3",
            "asdfghjkl123",
            "abcdefghijkl",
            "aaaaaaaaaaaa",
            "abcd1234abcd",
            "12345678abcd",
            "iloveyou1234",
            "welcome12345",
            "monkey123456",
            "football2024",
            "superman1234",
            "PasswordPassword",
            "ecuador12345",
            "guayaquil2025",
            "barcelona1234",
            "Iess2024clave!",
            "Mi clave del IESS 2024",
            "SeguridadSocial1!",
            "seguridad social 2024",
            "mariamaria2024",
            "Jesus12345678",
            "teamo12345678",
            "sunshine2024!",
            "Contraseña2024",
            "contraseña123",
            "Ecuador2024!!",
            "quito2024quito",
            "Dios te ama 123",
            "Guayaquil2025!",
            "teamo12345678",
            "MiContraseña1",
            "bienvenido123",
            "Jesucristo2024",
            "familia garcia 2024",
            "C0ntr4seña2024",
        ];

        #[test]
        fn the_browser_hint_never_calls_strong_a_clave_the_server_refuses() {
            let policy = PasswordPolicy::default();
            let nobody = PasswordContext::default();
            let accepted: Vec<&str> = REFUSED
                .into_iter()
                .filter(|c| refusal(&policy, c, &nobody, &INSTITUTE_WORDS).is_ok())
                .collect();
            assert_eq!(
                accepted,
                Vec::<&str>::new(),
                "accepted by the server: not for this list"
            );
            let called_strong: Vec<&str> = REFUSED
                .into_iter()
                .filter(|c| strength(c, policy.min_chars) == Strength::Strong)
                .collect();
            assert_eq!(
                called_strong,
                Vec::<&str>::new(),
                "refused, yet the hint says strong"
            );
        }

        #[test]
        fn the_browser_hint_calls_a_long_unusual_passphrase_strong() {
            let policy = PasswordPolicy::default();
            for clave in [
                "faro lejano junto al Chimborazo",
                "tortuga azul come mangos 1987",
                "Cuatro gatos bailan en Cuenca",
            ] {
                assert_eq!(
                    refusal(
                        &policy,
                        clave,
                        &PasswordContext::default(),
                        &INSTITUTE_WORDS
                    ),
                    Ok(())
                );
                assert_eq!(
                    strength(clave, policy.min_chars),
                    Strength::Strong,
                    "{clave:?}"
                );
            }
        }
    }
}

#[component]
pub fn NuevaClavePage(kind: FlowKind) -> impl IntoView {
    let l = lang();
    let data = Resource::new_blocking(|| (), move |_| new_clave_view(kind));
    let action = ServerAction::<Generar>::new();
    let form = FormState::of(action);
    view! {
        <FlowStep
            data=data
            render=move |d: NewClaveData| {
                let policy = d.policy;
                view! {
                    <UnlessFlowProblem problem=form.flow_problem()>
                        <StepTitle step=Step::new_clave(kind) error=form.has_error()/>
                        <ErrorSummary errors=form.errors() general=form.general()/>
                        <StepCaption step=Step::new_clave(kind)/>
                        <h1 tabindex="-1">
                            {match kind {
                                FlowKind::Recovery => {
                                    l.pick("Cree su nueva clave", "Create your new password")
                                }
                                FlowKind::Request => l.pick("Cree su clave", "Create your password"),
                            }}
                        </h1>
                        <div class="notice">
                            <h2>{l.pick("Antes de empezar", "Before you start")}</h2>
                            <ul class="list-bullet">
                                <li>
                                    {l.pick(
                                        "Su clave es personal: no la comparta con nadie.",
                                        "Your password is personal: do not share it with anyone.",
                                    )}
                                </li>
                                <li>
                                    {l.pick(
                                        "Anótela y guárdela en un lugar seguro, lejos de su cédula.",
                                        "Write it down and keep it in a safe place, away from your ID card.",
                                    )}
                                </li>
                                <li>
                                    {l.pick(
                                        "El Instituto nunca le pedirá su clave por teléfono, correo electrónico ni mensajes.",
                                        "The Institute will never ask for your password by phone, e-mail or messages.",
                                    )}
                                </li>
                            </ul>
                        </div>
                        <h2>{l.pick("Cómo debe ser", "Password rules")}</h2>
                        <ul class="list-bullet">
                            {policy.rules(l).into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                        </ul>
                        <ActionForm action=action attr:novalidate="" attr:class="form">
                            <input type="hidden" name="flujo" value=kind.form_value()/>
                            <PasswordInput
                                id="clave"
                                label=l.pick("Nueva clave", "New password")
                                hint=l.pick(
                                    "Por ejemplo, tres o cuatro palabras que solo usted relacione.",
                                    "For example, three or four words that only you would put together.",
                                )
                                error=form.field_error("clave")
                                autocomplete="new-password"
                                min_chars=policy.min_chars
                            />
                            <button type="submit" class="button">
                                {l.pick("Generar", "Create password")}
                            </button>
                        </ActionForm>
                    </UnlessFlowProblem>
                }
            }
        />
    }
}
