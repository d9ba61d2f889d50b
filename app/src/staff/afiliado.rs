//! An affiliate as staff see them, at `/personal/afiliado?cedula=…` (agents
//! and supervisors): name, country, whether they have a clave, their locks,
//! the recovery history (events only: action, outcome, when, by whom), and
//! *Desbloquear* with a mandatory reason.
//!
//! Reveals: never a hash, a code, an answer, the código dactilar or the birth
//! date (staff ask the caller for those and compare with the registry in
//! their own system); the e-mail is masked. Looking someone up is audited.
//! Without JavaScript: the lookup is a GET form, the unlock a form post that
//! comes back here.

use super::{StaffFrame, StaffMe, StaffNav};
use crate::components::error_summary::ErrorSummary;
use crate::components::form::FormState;
use crate::components::layout::PageTitle;
use crate::components::text_field::ErrorMessage;
use crate::domain::steps::Step;
use crate::error::AppError;
use crate::lang::lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

pub const PAGE: &str = Step::StaffAffiliate.path();

/// How many events the history shows.
pub const HISTORY_EVENTS: u64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    pub cedula: String,
    pub name: String,
    pub country: String,
    pub email_masked: String,
    pub has_clave: bool,
    pub account_locked: bool,
    /// "26/11/2026 a las 14:30" (Ecuador).
    pub logins_locked_until: Option<String>,
    pub identity_locked_until: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub outcome: String,
    pub detail: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffiliateView {
    pub me: StaffMe,
    /// The cédula asked for, as typed (empty: nothing asked yet).
    pub asked: String,
    pub problem: Option<String>,
    pub person: Option<PersonView>,
    pub history: Vec<EventRow>,
}

#[server(endpoint = "personal/afiliado")]
pub async fn afiliado_ver(cedula: Option<String>) -> Result<AffiliateView, AppError> {
    let result = server::afiliado_ver(cedula.unwrap_or_default()).await;
    crate::web::conclude_view(result, <AfiliadoVer as leptos::server_fn::ServerFn>::PATH).await
}

/// Lifts every lock of an affiliate, with the reason.
#[server(endpoint = "personal/desbloquear")]
pub async fn desbloquear(cedula: Option<String>, motivo: Option<String>) -> Result<(), AppError> {
    let cedula = cedula.unwrap_or_default();
    let page = format!(
        "{PAGE}?cedula={}",
        cedula
            .chars()
            .filter(char::is_ascii_digit)
            .take(10)
            .collect::<String>()
    );
    let result = server::desbloquear(cedula, motivo.unwrap_or_default(), &page).await;
    crate::web::conclude(
        result,
        <Desbloquear as leptos::server_fn::ServerFn>::PATH,
        &page,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::callback::{country_name, staff_note};
    use crate::domain::cedula::Cedula;
    use crate::domain::ecuador_time;
    use crate::domain::mask::mask_email;
    use crate::domain::staff::Role;
    use crate::error::FormErrors;
    use crate::lang::Lang;
    use crate::services::{audit, now_unix, registry, staff};
    use crate::web::{audit_cedula, audit_detail, has_clave, internal, staff_user, state};

    fn action_label(action: &str, l: Lang) -> String {
        let label = match action {
            "recuperar/buscar" => l.pick(
                "Recuperar o solicitar: cédula y captcha",
                "Recover or get a password: ID number and captcha",
            ),
            "recuperar/identidad" => {
                l.pick("Recuperar: fecha de nacimiento", "Recover: date of birth")
            }
            "solicitar/identidad" => l.pick(
                "Solicitar: fecha y código dactilar",
                "Get a password: date and fingerprint code",
            ),
            "recuperar/codigo" | "recuperar/codigo/verificar" => {
                l.pick("Código del correo", "E-mail code")
            }
            "recuperar/nueva-clave" => l.pick("Nueva clave", "New password"),
            "ingresar" | "login" => l.pick("Ingreso", "Sign-in"),
            "contacto/llamada" => l.pick("Pidió que le llamen", "Asked us to call"),
            "personal/desbloquear" => l.pick("Desbloqueo por el personal", "Unlocked by staff"),
            "personal/afiliado" => l.pick("Consulta del personal", "Looked up by staff"),
            "personal/solicitud" => l.pick(
                "Solicitud de llamada trabajada",
                "Call-back request worked on",
            ),
            "personal/caso" => l.pick(
                "Caso «no fui yo» trabajado",
                "“It was not me” case worked on",
            ),
            _ => return action.to_owned(),
        };
        format!("{label} ({action})")
    }

    pub async fn afiliado_ver(input: String) -> Result<AffiliateView, AppError> {
        let me = staff_user(Role::Agent).await?;
        let l = lang();
        let asked: String = input.chars().take(64).collect();
        let mut view = AffiliateView {
            me: StaffMe::from(&me),
            asked: asked.clone(),
            problem: None,
            person: None,
            history: Vec::new(),
        };
        if asked.trim().is_empty() {
            return Ok(view);
        }
        let cedula = match Cedula::parse(&asked) {
            Ok(c) => c,
            Err(e) => {
                view.problem = Some(e.message(l).to_owned());
                return Ok(view);
            }
        };
        audit_cedula(cedula.as_str());
        let st = state();
        let now = now_unix();
        let Some(person) = registry::affiliate(&st.db, cedula.as_str())
            .await
            .map_err(internal("load affiliate"))?
        else {
            view.problem = Some(
                l.pick(
                    "Esa cédula no está en el registro de afiliados.",
                    "That ID number is not in the members' register.",
                )
                .to_owned(),
            );
            return Ok(view);
        };
        let locks = staff::locks(&st.db, &st.settings, &person, now)
            .await
            .map_err(internal("locks"))?;
        view.history = audit::history(&st.db, &person.cedula, super::HISTORY_EVENTS)
            .await
            .map_err(internal("history"))?
            .into_iter()
            .map(|e| EventRow {
                at: ecuador_time::date_time(e.at, l),
                actor: if e.actor == "affiliate" {
                    l.pick("Afiliado", "Member").to_owned()
                } else {
                    e.actor
                },
                action: action_label(&e.action, l),
                outcome: e.outcome,
                detail: e.detail,
            })
            .collect();
        view.person = Some(PersonView {
            has_clave: has_clave(&person.cedula).await?,
            name: format!("{} {}", person.given_names, person.surnames),
            country: country_name(&person.country, l)
                .unwrap_or(&person.country)
                .to_owned(),
            email_masked: mask_email(&person.email),
            account_locked: locks.account,
            logins_locked_until: locks.logins_until.map(|t| ecuador_time::date_time(t, l)),
            identity_locked_until: locks.identity_until.map(|t| ecuador_time::date_time(t, l)),
            cedula: person.cedula,
        });
        Ok(view)
    }

    pub async fn desbloquear(cedula: String, motivo: String, page: &str) -> Result<(), AppError> {
        let _me = staff_user(Role::Agent).await?;
        let cedula = Cedula::parse(&cedula).map_err(|_| AppError::NotFound)?;
        audit_cedula(cedula.as_str());
        let motivo: String = motivo.chars().take(2_000).collect();
        let reason = staff_note(&motivo).map_err(|m| {
            AppError::Form(
                FormErrors::default()
                    .with_value("motivo", &motivo)
                    .error("motivo", m.get(crate::lang::lang())),
            )
        })?;
        audit_detail(&reason);
        let st = state();
        staff::unlock(&st.db, &st.settings, cedula.as_str(), now_unix())
            .await
            .map_err(internal("unlock"))?
            .ok_or(AppError::NotFound)?;
        if crate::web::is_plain_form_post() {
            leptos_axum::redirect(&format!("{page}&desbloqueada=1"));
        }
        Ok(())
    }
}

#[component]
pub fn AfiliadoPage() -> impl IntoView {
    let query = use_query_map();
    let unlock = ServerAction::<Desbloquear>::new();
    let data = Resource::new_blocking(
        move || (query.with(|q| q.get("cedula")), unlock.version().get()),
        |(cedula, _)| afiliado_ver(cedula),
    );
    view! {
        <StaffFrame data=data render=move |v: AffiliateView| view! { <Affiliate view=v unlock=unlock/> }/>
    }
}

#[component]
fn Affiliate(view: AffiliateView, unlock: ServerAction<Desbloquear>) -> impl IntoView {
    let query = use_query_map();
    let form = FormState::of(unlock);
    let done = move || {
        query.with(|q| q.get("desbloqueada").is_some())
            || unlock.value().with(|v| matches!(v, Some(Ok(()))))
    };
    let AffiliateView {
        me,
        asked,
        problem,
        person,
        history,
    } = view;
    let l = lang();
    view! {
        <PageTitle
            text=Step::StaffAffiliate.title(l)
            error=Signal::derive({
                let bad_lookup = problem.is_some();
                move || bad_lookup || form.has_error().get()
            })
        />
        <StaffNav me=me/>
        <ErrorSummary errors=form.errors() general=form.general()/>
        <p class="status-message" aria-live="polite" aria-atomic="true">
            {move || {
                done().then_some(l.pick(
                    "Listo: se quitaron los bloqueos de esta cédula.",
                    "Done: the locks on this ID number have been removed.",
                ))
            }}
        </p>
        <h1 tabindex="-1">{l.pick("Buscar afiliado", "Find a member")}</h1>
        <form method="get" action=PAGE class="filters">
            <div class="field">
                <label class="label" for="buscar-cedula">
                    {l.pick("Número de cédula", "ID number (cédula)")}
                </label>
                {problem.clone().map(|p| view! {
                    <p class="error-message" id="buscar-cedula-error">
                        <span class="visually-hidden">"Error: "</span>{p}
                    </p>
                })}
                <input
                    class="input input-width-10"
                    id="buscar-cedula"
                    name="cedula"
                    inputmode="numeric"
                    autocomplete="off"
                    value=asked
                    aria-describedby=problem.is_some().then_some("buscar-cedula-error")
                    aria-invalid=problem.is_some().then_some("true")
                />
            </div>
            <button type="submit" class="button button-secondary">
                {l.pick("Buscar", "Search")}
            </button>
        </form>
        {person.map(|p| view! { <PersonDetails person=p history=history unlock=unlock form=form/> })}
    }
}

#[component]
fn PersonDetails(
    person: PersonView,
    history: Vec<EventRow>,
    unlock: ServerAction<Desbloquear>,
    form: FormState,
) -> impl IntoView {
    let locked = person.account_locked
        || person.logins_locked_until.is_some()
        || person.identity_locked_until.is_some();
    let reason_error = form.field_error("motivo");
    let reason_value = form.value("motivo");
    let l = lang();
    let yes_no = move |b: bool| if b { l.pick("Sí", "Yes") } else { "No" };
    view! {
        <h2>{person.name.clone()}</h2>
        <dl class="summary-list">
            <dt>{l.pick("Cédula", "ID number (cédula)")}</dt><dd>{person.cedula.clone()}</dd>
            <dt>{l.pick("País de residencia", "Country of residence")}</dt><dd>{person.country}</dd>
            <dt>{l.pick("Correo", "E-mail")}</dt><dd>{person.email_masked}</dd>
            <dt>{l.pick("Tiene clave", "Has a password")}</dt><dd>{yes_no(person.has_clave)}</dd>
            <dt>{l.pick("Cuenta bloqueada («no fui yo»)", "Account locked (“It was not me”)")}</dt>
            <dd>{yes_no(person.account_locked)}</dd>
            <dt>{l.pick("Ingreso bloqueado hasta", "Sign-in locked until")}</dt>
            <dd>
                {person
                    .logins_locked_until
                    .unwrap_or_else(|| l.pick("No está bloqueado", "Not locked").to_owned())}
            </dd>
            <dt>
                {l.pick(
                    "Recuperar y solicitar bloqueados hasta",
                    "Password recovery and requests locked until",
                )}
            </dt>
            <dd>
                {person
                    .identity_locked_until
                    .unwrap_or_else(|| l.pick("No están bloqueados", "Not locked").to_owned())}
            </dd>
        </dl>
        <h2>{l.pick("Desbloquear", "Unlock")}</h2>
        {if locked {
            let voids = person.account_locked.then(|| view! {
                <p class="notice">
                    {l.pick(
                        "Al desbloquear la cuenta, su clave actual deja de servir (pudo ponerla otra persona): para ingresar, la persona debe crear una nueva con «Recuperar clave».",
                        "When you unlock the account, its current password stops working (someone else may have set it): to sign in, the person must create a new one with “Recover your password”.",
                    )}
                </p>
            });
            view! {
                {voids}
                <ActionForm action=unlock attr:novalidate="" attr:class="form">
                    <input type="hidden" name="cedula" value=person.cedula.clone()/>
                    <div class="field" class:field-error=move || reason_error.with(Option::is_some)>
                        <label class="label" for="motivo">
                            {l.pick("Motivo del desbloqueo", "Reason for unlocking")}
                        </label>
                        <p class="hint" id="motivo-hint">
                            {l.pick(
                                "Obligatorio. Por ejemplo: cómo confirmó la identidad y el número de referencia de la solicitud.",
                                "Required. For example: how you confirmed their identity, and the request's reference number.",
                            )}
                        </p>
                        <ErrorMessage id="motivo-error".to_owned() error=reason_error/>
                        <textarea
                            class="textarea"
                            id="motivo"
                            name="motivo"
                            rows="3"
                            aria-describedby=move || if reason_error.with(Option::is_some) { "motivo-hint motivo-error" } else { "motivo-hint" }
                            aria-invalid=move || reason_error.with(Option::is_some).then_some("true")
                        >
                            {move || reason_value.get().unwrap_or_default()}
                        </textarea>
                    </div>
                    <button type="submit" class="button">{l.pick("Desbloquear", "Unlock")}</button>
                </ActionForm>
            }
            .into_any()
        } else {
            view! { <p>{l.pick("Esta cédula no tiene bloqueos.", "This ID number has no locks.")}</p> }
                .into_any()
        }}
        <h2>{l.pick("Historial", "History")}</h2>
        <table class="table">
            <caption class="visually-hidden">
                {l.pick(
                    "Eventos de la cédula, del más reciente al más antiguo",
                    "Events for the ID number, newest first",
                )}
            </caption>
            <thead>
                <tr>
                    <th scope="col">{l.pick("Cuándo", "When")}</th>
                    <th scope="col">{l.pick("Quién", "Who")}</th>
                    <th scope="col">{l.pick("Qué", "What")}</th>
                    <th scope="col">{l.pick("Resultado", "Outcome")}</th>
                    <th scope="col">{l.pick("Motivo", "Reason")}</th>
                </tr>
            </thead>
            <tbody>
                {history
                    .into_iter()
                    .map(|e| view! {
                        <tr>
                            <td>{e.at}</td>
                            <td>{e.actor}</td>
                            <td>{e.action}</td>
                            <td>{e.outcome}</td>
                            <td>{e.detail.unwrap_or_default()}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
