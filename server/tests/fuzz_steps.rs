//! Fuzzing every step that sits behind a flow cookie, over HTTP: real flows
//! are walked to each step (recovery, the §2.1.1 path, request), then each
//! case puts its flow back exactly as it was at that step (the flow row, its
//! code, no limit spent) and posts arbitrary values, fields present or
//! absent, with and without JavaScript. Never a server error; the flow either
//! stays where it was or moves to the step's own next state with a success
//! answer. 300 cases in CI; `bench/properties.sh` raises them with
//! `PROPTEST_CASES`.

mod common;

use app::domain::flow::FlowState;
use app::domain::stored::Stored;
use app::services::demo::DEMO_ANSWERS;
use app::services::test_support;
use axum::http::StatusCode;
use common::*;
use entity::{
    credential, limit_event, question_pair, recovery_flow, security_question, verification_code,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};

const MARIA_EMAIL: &str = "maria.perez@example.com";
const ROSA: &str = "0104567896";
const ROSA_EMAIL: &str = "rosa.fuzz@example.org";

/// A step to fuzz: the flow as it stood there, and what the step takes.
struct Target {
    cookie: String,
    flow: recovery_flow::Model,
    codes: Vec<verification_code::Model>,
    /// The person's clave at that step (a fuzzed clave step may set one).
    credential: Option<credential::Model>,
    path: &'static str,
    /// Fuzzed fields.
    fields: &'static [&'static str],
    /// Fields sent as they are (which flow kind a shared step is for).
    fixed: &'static [(&'static str, &'static str)],
    /// The state a right answer moves to.
    next: &'static [FlowState],
}

async fn at_step(
    h: &Harness,
    cookie: &str,
    path: &'static str,
    fields: &'static [&'static str],
    fixed: &'static [(&'static str, &'static str)],
    next: &'static [FlowState],
) -> Target {
    let flow = flow_of(h, cookie).await;
    let codes = verification_code::Entity::find()
        .filter(verification_code::Column::FlowId.eq(&flow.id))
        .all(&h.db)
        .await
        .unwrap();
    let credential = credential::Entity::find_by_id(flow.cedula.clone())
        .one(&h.db)
        .await
        .unwrap();
    Target {
        cookie: cookie.to_owned(),
        flow,
        codes,
        credential,
        path,
        fields,
        fixed,
        next,
    }
}

async fn step(h: &Harness, cookie: &str, path: &str, fields: &[(&str, &str)], to: &str) {
    let (s, loc, body) = post(h, path, cookie, fields).await;
    assert!(s.is_success() || s.is_redirection(), "{path}: {s} {body}");
    assert_eq!(loc, to, "{path}: {body}");
}

async fn start(h: &Harness, cedula: &str, flujo: &str) -> String {
    let (s, headers, body) = send(
        &h.app,
        post_form(
            "/api/recuperar/buscar",
            None,
            &[("cedula", cedula), ("robot", "si"), ("flujo", flujo)],
            true,
        ),
    )
    .await;
    assert!(s.is_redirection(), "{s} {body}");
    set_cookie(&headers)
}

/// Walks real flows through every step that takes typed input.
async fn targets(h: &Harness) -> Vec<Target> {
    use FlowState::*;
    let mut out = Vec::new();

    // Recovery: identity → confirm → code → two answers → new clave.
    let c = start(h, REGISTERED, "recuperar").await;
    out.push(
        at_step(
            h,
            &c,
            "/api/recuperar/identidad",
            &["day", "month"],
            &[],
            &[ConfirmPending],
        )
        .await,
    );
    let day_month = [("day", "14"), ("month", "3")];
    step(
        h,
        &c,
        "/api/recuperar/identidad",
        &day_month,
        "/recuperar/confirmar",
    )
    .await;
    step(h, &c, "/api/recuperar/confirmar", &[], "/recuperar/codigo").await;
    out.push(
        at_step(
            h,
            &c,
            "/api/recuperar/codigo",
            &["codigo"],
            &[("flujo", "recuperar")],
            &[QuestionsPending],
        )
        .await,
    );
    let code = newest_code(h, MARIA_EMAIL).await;
    step(
        h,
        &c,
        "/api/recuperar/codigo",
        &[("codigo", &code)],
        "/recuperar/preguntas",
    )
    .await;
    send(&h.app, get_with("/recuperar/preguntas", &c)).await;
    out.push(
        at_step(
            h,
            &c,
            "/api/recuperar/preguntas",
            &["respuesta1", "respuesta2"],
            &[],
            &[PasswordPending],
        )
        .await,
    );
    let pair = question_pair::Entity::find_by_id(REGISTERED.to_owned())
        .one(&h.db)
        .await
        .unwrap()
        .expect("the pair is fixed once asked");
    let answers =
        [pair.first_question_id, pair.second_question_id].map(|id| DEMO_ANSWERS[(id - 1) as usize]);
    step(
        h,
        &c,
        "/api/recuperar/preguntas",
        &[("respuesta1", answers[0]), ("respuesta2", answers[1])],
        "/recuperar/nueva-clave",
    )
    .await;
    out.push(
        at_step(
            h,
            &c,
            "/api/recuperar/nueva-clave",
            &["clave"],
            &[("flujo", "recuperar")],
            &[Done],
        )
        .await,
    );

    // §2.1.1: all four answers → the new address.
    let c = start(h, REGISTERED, "recuperar").await;
    step(
        h,
        &c,
        "/api/recuperar/identidad",
        &day_month,
        "/recuperar/confirmar",
    )
    .await;
    step(
        h,
        &c,
        "/api/recuperar/sin-acceso",
        &[],
        "/recuperar/sin-correo",
    )
    .await;
    out.push(
        at_step(
            h,
            &c,
            "/api/recuperar/sin-correo",
            &["respuesta1", "respuesta2", "respuesta3", "respuesta4"],
            &[],
            &[NewEmailPending],
        )
        .await,
    );
    step(
        h,
        &c,
        "/api/recuperar/sin-correo",
        &[
            ("respuesta1", DEMO_ANSWERS[0]),
            ("respuesta2", DEMO_ANSWERS[1]),
            ("respuesta3", DEMO_ANSWERS[2]),
            ("respuesta4", DEMO_ANSWERS[3]),
        ],
        "/recuperar/nuevo-correo",
    )
    .await;
    out.push(
        at_step(
            h,
            &c,
            "/api/recuperar/nuevo-correo",
            &["correo"],
            &[],
            &[CodePending],
        )
        .await,
    );

    // Request: identity → contact → code → four chosen questions → clave.
    let c = start(h, ROSA, "solicitar").await;
    out.push(
        at_step(
            h,
            &c,
            "/api/solicitar/identidad",
            &["day", "month", "year", "dactilar"],
            &[],
            &[ContactPending],
        )
        .await,
    );
    step(
        h,
        &c,
        "/api/solicitar/identidad",
        &[
            ("day", "30"),
            ("month", "1"),
            ("year", "1992"),
            ("dactilar", "C3456D7890"),
        ],
        "/solicitar/contacto",
    )
    .await;
    out.push(
        at_step(
            h,
            &c,
            "/api/solicitar/contacto",
            &["correo", "telefono"],
            &[],
            &[CodePending],
        )
        .await,
    );
    step(
        h,
        &c,
        "/api/solicitar/contacto",
        &[("correo", ROSA_EMAIL), ("telefono", "099 123 4567")],
        "/solicitar/codigo",
    )
    .await;
    out.push(
        at_step(
            h,
            &c,
            "/api/recuperar/codigo",
            &["codigo"],
            &[("flujo", "solicitar")],
            &[ChooseQuestionsPending],
        )
        .await,
    );
    let code = newest_code(h, ROSA_EMAIL).await;
    step(
        h,
        &c,
        "/api/recuperar/codigo",
        &[("codigo", &code), ("flujo", "solicitar")],
        "/solicitar/preguntas",
    )
    .await;
    out.push(
        at_step(
            h,
            &c,
            "/api/solicitar/preguntas",
            &[
                "pregunta1",
                "respuesta1",
                "pregunta2",
                "respuesta2",
                "pregunta3",
                "respuesta3",
                "pregunta4",
                "respuesta4",
            ],
            &[],
            &[PasswordPending],
        )
        .await,
    );
    let ids: Vec<String> = security_question::Entity::find()
        .order_by_asc(security_question::Column::Id)
        .all(&h.db)
        .await
        .unwrap()
        .into_iter()
        .take(4)
        .map(|q| q.id.to_string())
        .collect();
    let chosen = [
        ("pregunta1", ids[0].as_str()),
        ("respuesta1", "respuesta uno"),
        ("pregunta2", ids[1].as_str()),
        ("respuesta2", "respuesta dos"),
        ("pregunta3", ids[2].as_str()),
        ("respuesta3", "respuesta tres"),
        ("pregunta4", ids[3].as_str()),
        ("respuesta4", "respuesta cuatro"),
    ];
    step(
        h,
        &c,
        "/api/solicitar/preguntas",
        &chosen,
        "/solicitar/nueva-clave",
    )
    .await;
    out.push(
        at_step(
            h,
            &c,
            "/api/recuperar/nueva-clave",
            &["clave"],
            &[("flujo", "solicitar")],
            &[Done],
        )
        .await,
    );
    out
}

/// Puts a target's flow back as it stood at its step, with no limit spent
/// and the person's clave as it was.
async fn restore(h: &Harness, t: &Target) {
    limit_event::Entity::delete_many()
        .exec(&h.db)
        .await
        .unwrap();
    credential::Entity::delete_by_id(t.flow.cedula.clone())
        .exec(&h.db)
        .await
        .unwrap();
    if let Some(c) = &t.credential {
        credential::Entity::insert(c.clone().into_active_model().reset_all())
            .exec(&h.db)
            .await
            .unwrap();
    }
    recovery_flow::Entity::update(t.flow.clone().into_active_model().reset_all())
        .exec(&h.db)
        .await
        .unwrap();
    verification_code::Entity::delete_many()
        .filter(verification_code::Column::FlowId.eq(&t.flow.id))
        .exec(&h.db)
        .await
        .unwrap();
    for code in &t.codes {
        verification_code::Entity::insert(code.clone().into_active_model().reset_all())
            .exec(&h.db)
            .await
            .unwrap();
    }
}

#[test]
fn arbitrary_input_to_every_step_behind_a_flow_gets_a_clear_answer() {
    use proptest::prelude::*;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _inside = rt.enter();
    let (h, targets) = rt.block_on(async {
        let h = harness(test_support::sqlite().await, ROOMY).await;
        let targets = targets(&h).await;
        (h, targets)
    });
    assert_eq!(targets.len(), 11, "every step that takes typed input");
    let config = proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300),
        max_shrink_iters: 256,
        max_shrink_time: 30_000,
        ..proptest::test_runner::Config::default()
    };
    proptest!(config, |(
        which in 0usize..11,
        values in proptest::collection::vec(proptest::option::of(any::<String>()), 8),
        plain in any::<bool>(),
    )| {
        let t = &targets[which];
        rt.block_on(restore(&h, t));
        let mut fields: Vec<(&str, &str)> = t
            .fields
            .iter()
            .zip(&values)
            .filter_map(|(n, v)| v.as_deref().map(|v| (*n, v)))
            .collect();
        fields.extend(t.fixed.iter().copied());
        let (status, _, body) =
            rt.block_on(send(&h.app, post_form(t.path, Some(&t.cookie), &fields, plain)));
        prop_assert!(!status.is_server_error(), "{} {status}: {body}", t.path);
        let after = rt.block_on(flow_of(&h, &t.cookie));
        if after.state != t.flow.state {
            let moved_to = FlowState::from_stored(&after.state).ok();
            prop_assert!(
                moved_to.is_some_and(|s| t.next.contains(&s)),
                "{} moved {} → {}", t.path, t.flow.state, after.state
            );
            prop_assert!(
                status == StatusCode::OK || status == StatusCode::FOUND,
                "{} moved on with {status}", t.path
            );
        } else {
            prop_assert!(
                status.is_client_error() || status == StatusCode::SEE_OTHER,
                "{} stayed with {status}: {body}", t.path
            );
        }
    });
    rt.block_on(async move { h.db.close().await.unwrap() });
}
