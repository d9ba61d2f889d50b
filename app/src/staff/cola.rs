//! The queue at `/personal` (agents and supervisors): call-back requests,
//! filtered by status and country, and the cases opened by "no fui yo".
//!
//! Actions: take (claim) a request or case; mark a request contacted; resolve
//! a request or close a case with a note (mandatory). Only whoever took it
//! may move it on. Each action is audited with the staff user and the note.
//! Reveals: what staff need to call back (cédula, name, country, numbers,
//! time window); never a hash, a code or an answer.
//! Without JavaScript: the filter is a GET form; every action is a form post
//! that comes back to the same filtered page.

use super::{StaffFrame, StaffMe, StaffNav};
use crate::components::error_summary::ErrorSummary;
use crate::components::form::FormState;
use crate::components::layout::PageTitle;
use crate::components::text_field::ErrorMessage;
use crate::domain::callback::{CallbackStatus, COUNTRIES};
use crate::domain::steps::Step;
use crate::error::AppError;
use crate::lang::lang;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_query_map};
use serde::{Deserialize, Serialize};

/// One call-back request as the queue shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRow {
    pub id: i32,
    pub reference: String,
    pub received: String,
    pub cedula: String,
    /// The registry's name, or `None` for a cédula not registered.
    pub name: Option<String>,
    /// The registry's phone, to compare with the one given.
    pub registry_phone: Option<String>,
    pub country: String,
    pub phone: String,
    pub phone_alt: Option<String>,
    pub window: String,
    pub status: CallbackStatus,
    pub claimed_by: Option<String>,
    pub mine: bool,
    pub note: Option<String>,
    pub merges: i32,
}

/// One "no fui yo" case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: i32,
    pub cedula: String,
    pub opened: String,
    pub detail: String,
    pub claimed_by: Option<String>,
    pub mine: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub me: StaffMe,
    pub requests: Vec<RequestRow>,
    pub cases: Vec<CaseRow>,
}

/// The most rows one page lists.
pub const PAGE_ROWS: u64 = 200;

/// The status filter's value for every request, resolved ones included.
pub const ALL_STATUSES: &str = "todas";

/// What the queue shows by default: what still needs work.
#[cfg(feature = "ssr")]
const UNRESOLVED: [CallbackStatus; 3] = [
    CallbackStatus::Open,
    CallbackStatus::Claimed,
    CallbackStatus::Contacted,
];

#[server(endpoint = "personal/cola")]
pub async fn cola_ver(estado: Option<String>, pais: Option<String>) -> Result<QueueView, AppError> {
    crate::web::view_result(server::cola_ver(estado, pais).await)
}

/// Takes, marks contacted or resolves a call-back request.
#[server(endpoint = "personal/solicitud")]
pub async fn actuar_solicitud(
    id: Option<String>,
    accion: Option<String>,
    nota: Option<String>,
    volver: Option<String>,
) -> Result<(), AppError> {
    let page = super::back_to(volver);
    let result = server::actuar_solicitud(id, accion, nota, &page).await;
    crate::web::conclude(
        result,
        <ActuarSolicitud as leptos::server_fn::ServerFn>::PATH,
        &page,
    )
    .await
}

/// Takes or closes a "no fui yo" case.
#[server(endpoint = "personal/caso")]
pub async fn actuar_caso(
    id: Option<String>,
    nota: Option<String>,
    volver: Option<String>,
) -> Result<(), AppError> {
    let page = super::back_to(volver);
    let result = server::actuar_caso(id, nota, &page).await;
    crate::web::conclude(
        result,
        <ActuarCaso as leptos::server_fn::ServerFn>::PATH,
        &page,
    )
    .await
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::callback::{country_name, staff_note, CallbackAction, TimeWindow};
    use crate::domain::ecuador_time;
    use crate::domain::staff::Role;
    use crate::error::FormErrors;
    use crate::services::callback::{act, queue, ActRefusal};
    use crate::services::db::stored;
    use crate::services::{now_unix, registry, staff};
    use crate::web::{audit_cedula, audit_detail, internal, staff_user, state};

    pub async fn cola_ver(
        estado: Option<String>,
        pais: Option<String>,
    ) -> Result<QueueView, AppError> {
        let me = staff_user(Role::Agent).await?;
        let st = state();
        // By default what still needs work; "todas" includes the resolved.
        let statuses: Vec<CallbackStatus> = match estado.as_deref() {
            Some(ALL_STATUSES) => CallbackStatus::ALL.to_vec(),
            Some(s) if CallbackStatus::parse(s).is_some() => {
                CallbackStatus::parse(s).into_iter().collect()
            }
            _ => UNRESOLVED.to_vec(),
        };
        let country = pais.filter(|p| COUNTRIES.iter().any(|(c, _)| c == p));
        let rows = queue(&st.db, &statuses, country.as_deref(), PAGE_ROWS)
            .await
            .map_err(internal("queue"))?;
        let cedulas: Vec<String> = rows.iter().map(|r| r.cedula.clone()).collect();
        let people = registry::affiliates(&st.db, cedulas)
            .await
            .map_err(internal("queue names"))?;
        let requests = rows
            .into_iter()
            .map(|r| {
                let person = people.iter().find(|p| p.cedula == r.cedula);
                let name = person.map(|p| format!("{} {}", p.given_names, p.surnames));
                let registry_phone = person.and_then(|p| p.phone.clone());
                Ok(RequestRow {
                    id: r.id,
                    registry_phone,
                    reference: r.reference,
                    received: ecuador_time::date_time(r.created_at, lang()),
                    name,
                    country: country_name(&r.country, lang())
                        .unwrap_or(&r.country)
                        .to_owned(),
                    phone: r.phone,
                    phone_alt: r.phone_alt,
                    window: stored::<TimeWindow>(&r.time_window)?.label(lang()),
                    status: stored(&r.status)?,
                    mine: r.claimed_by.as_deref() == Some(me.username.as_str()),
                    claimed_by: r.claimed_by,
                    note: r.note,
                    merges: r.merges,
                    cedula: r.cedula,
                })
            })
            .collect::<Result<_, sea_orm::DbErr>>()
            .map_err(internal("queue rows"))?;
        let cases = staff::open_cases(&st.db)
            .await
            .map_err(internal("cases"))?
            .into_iter()
            .map(|c| CaseRow {
                id: c.id,
                opened: ecuador_time::date_time(c.created_at, lang()),
                detail: c.detail,
                mine: c.claimed_by.as_deref() == Some(me.username.as_str()),
                claimed_by: c.claimed_by,
                cedula: c.cedula,
            })
            .collect();
        Ok(QueueView {
            me: StaffMe::from(&me),
            requests,
            cases,
        })
    }

    fn parse_id(id: Option<String>) -> Result<i32, AppError> {
        id.as_deref()
            .and_then(|i| i.trim().parse().ok())
            .ok_or(AppError::NotFound)
    }

    pub async fn actuar_solicitud(
        id: Option<String>,
        accion: Option<String>,
        nota: Option<String>,
        page: &str,
    ) -> Result<(), AppError> {
        let me = staff_user(Role::Agent).await?;
        let id = parse_id(id)?;
        let action = match accion.as_deref() {
            Some("tomar") => CallbackAction::Claim,
            Some("contactada") => CallbackAction::MarkContacted,
            Some("resolver") => CallbackAction::Resolve,
            Some("liberar") => CallbackAction::Release,
            _ => return Err(AppError::NotFound),
        };
        if action == CallbackAction::Release && !me.role.allows(Role::Supervisor) {
            return Err(AppError::Forbidden);
        }
        let note = if action == CallbackAction::Resolve {
            let field = format!("nota-{id}");
            let raw: String = nota.unwrap_or_default().chars().take(2_000).collect();
            let note = staff_note(&raw).map_err(|m| {
                AppError::Form(
                    FormErrors::default()
                        .with_value(&field, &raw)
                        .error(&field, m.get(lang())),
                )
            })?;
            audit_detail(&note);
            Some(note)
        } else {
            None
        };
        let st = state();
        let done = act(
            &st.db,
            id,
            &me.username,
            action,
            note.as_deref(),
            now_unix(),
        )
        .await
        .map_err(internal("act on request"))?;
        match done {
            Ok(cedula) => {
                audit_cedula(&cedula);
                if crate::web::is_plain_form_post() {
                    leptos_axum::redirect(page);
                }
                Ok(())
            }
            Err(ActRefusal::NotFound) => Err(AppError::NotFound),
            Err(ActRefusal::NotNow | ActRefusal::NotYours) => {
                Err(AppError::Form(FormErrors::default().error(
                    &format!("solicitud-{id}"),
                    lang().pick(
                        "Esa solicitud ya cambió o la tiene otra persona. Revise la lista actualizada.",
                        "That request has already changed or someone else has it. Check the updated list.",
                    ),
                )))
            }
        }
    }

    pub async fn actuar_caso(
        id: Option<String>,
        nota: Option<String>,
        page: &str,
    ) -> Result<(), AppError> {
        let me = staff_user(Role::Agent).await?;
        let id = parse_id(id)?;
        let note = match nota {
            None => None,
            Some(raw) => {
                let field = format!("caso-nota-{id}");
                let raw: String = raw.chars().take(2_000).collect();
                let note = staff_note(&raw).map_err(|m| {
                    AppError::Form(
                        FormErrors::default()
                            .with_value(&field, &raw)
                            .error(&field, m.get(lang())),
                    )
                })?;
                audit_detail(&note);
                Some(note)
            }
        };
        let st = state();
        match staff::work_case(&st.db, id, &me.username, note.as_deref(), now_unix())
            .await
            .map_err(internal("work case"))?
        {
            Some(cedula) => {
                audit_cedula(&cedula);
                if crate::web::is_plain_form_post() {
                    leptos_axum::redirect(page);
                }
                Ok(())
            }
            None => Err(AppError::Form(FormErrors::default().error(
                &format!("caso-{id}"),
                lang().pick(
                    "Ese caso ya cambió o lo tiene otra persona. Revise la lista actualizada.",
                    "That case has already changed or someone else has it. Check the updated list.",
                ),
            ))),
        }
    }
}

#[component]
pub fn ColaPage() -> impl IntoView {
    let query = use_query_map();
    let request_action = ServerAction::<ActuarSolicitud>::new();
    let case_action = ServerAction::<ActuarCaso>::new();
    let filters = move || {
        query.with(|q| {
            (
                q.get("estado").filter(|s| !s.is_empty()),
                q.get("pais").filter(|s| !s.is_empty()),
            )
        })
    };
    let data = Resource::new_blocking(
        move || {
            (
                filters(),
                request_action.version().get(),
                case_action.version().get(),
            )
        },
        |((estado, pais), _, _)| cola_ver(estado, pais),
    );
    view! {
        <StaffFrame
            data=data
            render=move |v: QueueView| {
                view! { <Queue view=v request_action=request_action case_action=case_action/> }
            }
        />
    }
}

#[component]
fn Queue(
    view: QueueView,
    request_action: ServerAction<ActuarSolicitud>,
    case_action: ServerAction<ActuarCaso>,
) -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let here = move || {
        let search = location.search.get();
        if search.is_empty() {
            super::HOME.to_owned()
        } else {
            format!("{}?{}", super::HOME, search.trim_start_matches('?'))
        }
    };
    let request_form = FormState::of(request_action);
    let case_form = FormState::of(case_action);
    let errors = Signal::derive(move || {
        let mut all = request_form.errors().get();
        all.extend(case_form.errors().get());
        all
    });
    let general = Signal::derive(move || {
        request_form
            .general()
            .get()
            .or_else(|| case_form.general().get())
    });
    let has_error =
        Signal::derive(move || request_form.has_error().get() || case_form.has_error().get());
    let selected_status = move || query.with(|q| q.get("estado").unwrap_or_default());
    let selected_country = move || query.with(|q| q.get("pais").unwrap_or_default());
    let QueueView {
        me,
        requests,
        cases,
    } = view;
    let supervisor = me.supervisor;
    let request_count = requests.len();
    let case_count = cases.len();
    let l = lang();
    view! {
        <PageTitle text=Step::StaffQueue.title(l) error=has_error/>
        <StaffNav me=me/>
        <ErrorSummary errors=errors general=general/>
        <h1 tabindex="-1">{l.pick("Solicitudes de llamada", "Call-back requests")}</h1>
        <form
            method="get"
            action=super::HOME
            class="filters"
            aria-label=l.pick("Filtrar solicitudes", "Filter requests")
        >
            <div class="field">
                <label class="label" for="estado">{l.pick("Estado", "Status")}</label>
                <select class="select" id="estado" name="estado">
                    <option value="" selected=move || selected_status().is_empty()>
                        {l.pick("Sin resolver", "Unresolved")}
                    </option>
                    <option value=ALL_STATUSES selected=move || selected_status() == ALL_STATUSES>
                        {l.pick("Todas", "All")}
                    </option>
                    {CallbackStatus::ALL
                        .into_iter()
                        .map(|s| view! {
                            <option value=s.as_str() selected=move || selected_status() == s.as_str()>
                                {s.label(l)}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="label" for="pais">{l.pick("País", "Country")}</label>
                <select class="select" id="pais" name="pais">
                    <option value="" selected=move || selected_country().is_empty()>
                        {l.pick("Todos", "All")}
                    </option>
                    {COUNTRIES
                        .iter()
                        .map(|(code, name)| view! {
                            <option value=*code selected=move || selected_country() == *code>{name.get(l)}</option>
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="button button-secondary">
                {l.pick("Filtrar", "Filter")}
            </button>
        </form>
        <p role="status">
            {l.pick(
                format!("{request_count} solicitudes en la lista."),
                format!("{request_count} requests in the list."),
            )}
        </p>
        <ul class="case-list">
            {requests
                .into_iter()
                .map(|r| view! { <RequestItem row=r action=request_action form=request_form here=Signal::derive(here) supervisor=supervisor/> })
                .collect_view()}
        </ul>
        <h2>{l.pick("Casos «no fui yo»", "“It was not me” cases")}</h2>
        <p>
            {l.pick(
                format!("{case_count} casos abiertos."),
                format!("{case_count} open cases."),
            )}
        </p>
        <ul class="case-list">
            {cases
                .into_iter()
                .map(|c| view! { <CaseItem row=c action=case_action form=case_form here=Signal::derive(here)/> })
                .collect_view()}
        </ul>
    }
}

/// `aria-describedby` of a note: its error, while it has one.
fn described(id: String, error: Signal<Option<String>>) -> impl Fn() -> Option<String> {
    move || error.with(Option::is_some).then(|| format!("{id}-error"))
}

#[component]
fn RequestItem(
    row: RequestRow,
    action: ServerAction<ActuarSolicitud>,
    form: FormState,
    here: Signal<String>,
    /// Supervisors may put a taken request back in the queue.
    supervisor: bool,
) -> impl IntoView {
    let l = lang();
    let id = row.id.to_string();
    let (release_id, release_ref) = (id.clone(), row.reference.clone());
    let release = (supervisor
        && matches!(
            row.status,
            CallbackStatus::Claimed | CallbackStatus::Contacted
        ))
    .then(move || {
        view! {
            <ActionForm action=action>
                <input type="hidden" name="id" value=release_id/>
                <input type="hidden" name="accion" value="liberar"/>
                <input type="hidden" name="volver" value=here/>
                <button type="submit" class="button button-secondary">
                    {l.pick("Devolver a la cola ", "Put back in the queue ")}
                    <span class="visually-hidden">{release_ref}</span>
                </button>
            </ActionForm>
        }
    });
    let note_id = format!("nota-{}", row.id);
    let note_error = form.field_error_owned(note_id.clone());
    let note_value = form.value_owned(note_id.clone());
    let heading_id = format!("solicitud-{}", row.id);
    let reference = row.reference.clone();
    let controls = match (row.status, row.mine) {
        (CallbackStatus::Open, _) => view! {
            <ActionForm action=action>
                <input type="hidden" name="id" value=id.clone()/>
                <input type="hidden" name="accion" value="tomar"/>
                <input type="hidden" name="volver" value=here/>
                <button type="submit" class="button">
                    {l.pick("Tomar ", "Take ")}
                    <span class="visually-hidden">{row.reference.clone()}</span>
                </button>
            </ActionForm>
        }
        .into_any(),
        (CallbackStatus::Claimed | CallbackStatus::Contacted, true) => {
            let (id2, reference2) = (id.clone(), row.reference.clone());
            let contacted = (row.status == CallbackStatus::Claimed).then(move || {
                view! {
                    <ActionForm action=action>
                        <input type="hidden" name="id" value=id2/>
                        <input type="hidden" name="accion" value="contactada"/>
                        <input type="hidden" name="volver" value=here/>
                        <button type="submit" class="button button-secondary">
                            {l.pick("Marcar contactada ", "Mark as contacted ")}
                            <span class="visually-hidden">{reference2}</span>
                        </button>
                    </ActionForm>
                }
            });
            view! {
                {contacted}
                <ActionForm action=action attr:novalidate="">
                    <input type="hidden" name="id" value=id.clone()/>
                    <input type="hidden" name="accion" value="resolver"/>
                    <input type="hidden" name="volver" value=here/>
                    <div class="field" class:field-error=move || note_error.with(Option::is_some)>
                        <label class="label" for=note_id.clone()>
                            {l.pick("Nota de resolución ", "Resolution note ")}
                            <span class="visually-hidden">{row.reference.clone()}</span>
                        </label>
                        <ErrorMessage id=format!("{note_id}-error") error=note_error/>
                        <textarea
                            class="textarea"
                            id=note_id.clone()
                            name="nota"
                            rows="2"
                            aria-describedby=described(note_id.clone(), note_error)
                            aria-invalid=move || note_error.with(Option::is_some).then_some("true")
                        >
                            {move || note_value.get().unwrap_or_default()}
                        </textarea>
                    </div>
                    <button type="submit" class="button">
                        {l.pick("Resolver ", "Resolve ")}
                        <span class="visually-hidden">{row.reference.clone()}</span>
                    </button>
                </ActionForm>
            }
            .into_any()
        }
        _ => ().into_any(),
    };
    view! {
        <li class="case">
            <h2 class="case-title" id=heading_id tabindex="-1">
                {reference} " · " {row.status.label(l)}
            </h2>
            <dl class="summary-list">
                <dt>{l.pick("Recibida", "Received")}</dt><dd>{row.received}</dd>
                <dt>{l.pick("Cédula", "ID number (cédula)")}</dt><dd>{row.cedula.clone()}</dd>
                <dt>{l.pick("Nombre", "Name")}</dt>
                <dd>
                    {row
                        .name
                        .unwrap_or_else(|| l.pick("No está en el registro", "Not in the register").to_owned())}
                </dd>
                <dt>{l.pick("País", "Country")}</dt><dd>{row.country}</dd>
                <dt>{l.pick("Teléfono", "Phone")}</dt><dd>{row.phone.clone()}</dd>
                {row.registry_phone.map(|p| {
                    let differs = p != row.phone;
                    view! {
                        <dt>{l.pick("Teléfono del registro", "Phone in the register")}</dt>
                        <dd>
                            {p}
                            {differs.then_some(l.pick(
                                " (distinto del que dejó: confirme la identidad con cuidado)",
                                " (not the one they left: confirm their identity carefully)",
                            ))}
                        </dd>
                    }
                })}
                {row.phone_alt.map(|p| view! { <dt>{l.pick("Otro teléfono", "Other phone")}</dt><dd>{p}</dd> })}
                <dt>{l.pick("Horario", "Preferred time")}</dt><dd>{row.window}</dd>
                {(row.merges > 0).then(|| view! {
                    <dt>{l.pick("Solicitudes unidas", "Merged requests")}</dt><dd>{row.merges}</dd>
                })}
                {row.claimed_by.map(|c| view! { <dt>{l.pick("Asignada a", "Assigned to")}</dt><dd>{c}</dd> })}
                {row.note.map(|n| view! { <dt>{l.pick("Nota", "Note")}</dt><dd>{n}</dd> })}
            </dl>
            <p>
                <A href=format!("{}?cedula={}", super::afiliado::PAGE, row.cedula)>
                    {l.pick("Ver historial y bloqueos de ", "View history and locks for ")}
                    {row.cedula.clone()}
                </A>
            </p>
            {controls}
            {release}
        </li>
    }
}

#[component]
fn CaseItem(
    row: CaseRow,
    action: ServerAction<ActuarCaso>,
    form: FormState,
    here: Signal<String>,
) -> impl IntoView {
    let l = lang();
    let id = row.id.to_string();
    let note_id = format!("caso-nota-{}", row.id);
    let note_error = form.field_error_owned(note_id.clone());
    let note_value = form.value_owned(note_id.clone());
    let controls = match (&row.claimed_by, row.mine) {
        (None, _) => view! {
            <ActionForm action=action>
                <input type="hidden" name="id" value=id.clone()/>
                <input type="hidden" name="volver" value=here/>
                <button type="submit" class="button">{l.pick("Tomar caso ", "Take case ")} {row.id}</button>
            </ActionForm>
        }
        .into_any(),
        (Some(_), true) => view! {
            <ActionForm action=action attr:novalidate="">
                <input type="hidden" name="id" value=id.clone()/>
                <input type="hidden" name="volver" value=here/>
                <div class="field" class:field-error=move || note_error.with(Option::is_some)>
                    <label class="label" for=note_id.clone()>
                        {l.pick("Nota de cierre del caso ", "Closing note for case ")}
                        {row.id}
                    </label>
                    <ErrorMessage id=format!("{note_id}-error") error=note_error/>
                    <textarea
                        class="textarea"
                        id=note_id.clone()
                        name="nota"
                        rows="2"
                        aria-describedby=described(note_id.clone(), note_error)
                        aria-invalid=move || note_error.with(Option::is_some).then_some("true")
                    >
                        {move || note_value.get().unwrap_or_default()}
                    </textarea>
                </div>
                <button type="submit" class="button">{l.pick("Cerrar caso ", "Close case ")} {row.id}</button>
            </ActionForm>
        }
        .into_any(),
        (Some(_), false) => ().into_any(),
    };
    view! {
        <li class="case">
            <h3 class="case-title" id=format!("caso-{}", row.id) tabindex="-1">
                {l.pick(
                    format!("Caso {} · {}", row.id, row.cedula),
                    format!("Case {} · {}", row.id, row.cedula),
                )}
            </h3>
            <dl class="summary-list">
                <dt>{l.pick("Abierto", "Opened")}</dt><dd>{row.opened}</dd>
                <dt>{l.pick("Detalle", "Details")}</dt><dd>{row.detail}</dd>
                {row.claimed_by.map(|c| view! { <dt>{l.pick("Asignado a", "Assigned to")}</dt><dd>{c}</dd> })}
            </dl>
            <p>
                <A href=format!("{}?cedula={}", super::afiliado::PAGE, row.cedula)>
                    {l.pick("Ver historial y bloqueos de ", "View history and locks for ")}
                    {row.cedula.clone()}
                </A>
            </p>
            {controls}
        </li>
    }
}
