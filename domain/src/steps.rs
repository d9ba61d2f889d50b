//! Every page of the service, declared once: its path, its title, its place
//! in a journey ("paso N de M"), its back link, the flow states that may show
//! it and what a visit needs to see it. The routes, the links, the captions,
//! the back links, the page each flow state is served on (and so every
//! redirect after a step) and the end-to-end tests' list of pages (`clave
//! steps`) are generated from [`PAGES`]; a path or a step number is written
//! nowhere else.

use super::flow::{FlowKind, FlowState};

/// The journeys of SPEC §2, each with its own steps, and the pages around
/// them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Journey {
    /// Recuperar clave (§2.1).
    Recovery,
    /// Its branch for a person without access to the registered e-mail
    /// (§2.1.1): the same flow, other pages, unnumbered.
    RecoveryWithoutEmail,
    /// Solicitar clave (§2.2).
    Request,
    /// Contacto and "Pedir que le llamemos" (§2.3): no flow behind it.
    Callback,
    /// The affiliate's sign-in and what it opens (§5).
    Account,
    /// The contact centre's console (§6).
    Staff,
    /// The home page and the development mailbox.
    Site,
}

impl Journey {
    /// The name a step's caption starts with.
    pub fn name_es(self) -> &'static str {
        match self {
            Journey::Recovery => "Recuperar clave",
            Journey::RecoveryWithoutEmail => "Recuperar clave sin acceso al correo",
            Journey::Request => "Solicitar clave",
            Journey::Callback => "Pedir que le llamemos",
            Journey::Account => "Servicios en línea",
            Journey::Staff => "Consola del personal",
            Journey::Site => "Clave",
        }
    }

    /// The stored flow its pages belong to, if any.
    pub fn flow(self) -> Option<FlowKind> {
        match self {
            Journey::Recovery | Journey::RecoveryWithoutEmail => Some(FlowKind::Recovery),
            Journey::Request => Some(FlowKind::Request),
            Journey::Callback | Journey::Account | Journey::Staff | Journey::Site => None,
        }
    }

    /// How many numbered steps it has (the M of "paso N de M").
    pub fn steps(self) -> u8 {
        PAGES
            .iter()
            .filter(|p| p.journey == self)
            .filter_map(|p| match p.place {
                Place::Step(n) => Some(n),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }
}

/// Where a page stands in its journey, as its caption says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A start, an end or a landing page: no caption.
    Outside,
    /// A page of a branch: the caption names the journey only.
    Unnumbered,
    /// "paso N de M".
    Step(u8),
}

/// What a visit must bring for a page to show its main content; without it
/// the page says why and where to go (tests open each page accordingly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Anyone may open it.
    Nothing,
    /// A flow in one of the page's states (the flow's cookie).
    Flow,
    /// A link the service gave: a mailed code or token, a call-back's
    /// reference.
    Link,
    /// An affiliate's session.
    Session,
    /// A staff member's right password, before the second factor.
    StaffPassword,
    /// A staff session.
    StaffSession,
    /// A supervisor's session.
    Supervisor,
    /// The development mode: the page does not exist in production.
    Development,
}

impl Needs {
    /// Whether the page shows what only its visitor may see: a session's
    /// data, a staff member's factor secret, the development mailbox's codes.
    pub fn private(self) -> bool {
        match self {
            Needs::Nothing | Needs::Flow | Needs::Link => false,
            Needs::Session
            | Needs::StaffPassword
            | Needs::StaffSession
            | Needs::Supervisor
            | Needs::Development => true,
        }
    }
}

/// One page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub step: Step,
    pub journey: Journey,
    pub path: &'static str,
    /// The document's title (the browser tab, what a screen reader says first).
    pub title_es: &'static str,
    pub place: Place,
    pub back: Option<Step>,
    /// The flow states this page serves; the first page listing a state is
    /// where a flow in that state is sent.
    pub states: &'static [FlowState],
    pub needs: Needs,
}

/// Every page, in the order of [`Step`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    RecoveryStart,
    RecoverySearch,
    RecoveryIdentity,
    RecoveryConfirm,
    RecoveryAllAnswers,
    RecoveryNewEmail,
    RecoveryCode,
    RecoveryCodeLink,
    RecoveryQuestions,
    RecoveryNewClave,
    RecoveryDone,
    RequestStart,
    RequestSearch,
    RequestIdentity,
    RequestContact,
    RequestCode,
    RequestCodeLink,
    RequestQuestions,
    RequestNewClave,
    RequestDone,
    Contact,
    Callback,
    CallbackReceipt,
    SignIn,
    Services,
    NotMe,
    StaffSignIn,
    StaffFactor,
    StaffQueue,
    StaffAffiliate,
    StaffSupervision,
    Home,
    DevMailbox,
}

/// The title of the page any other path answers (404); it has no path of its
/// own.
pub const NOT_FOUND_TITLE_ES: &str = "Página no encontrada";

use FlowState as S;
use Journey as J;
use Needs as N;
use Place as P;
use Step as T;

pub const PAGES: [Page; 33] = [
    Page {
        step: T::RecoveryStart,
        journey: J::Recovery,
        path: "/recuperar",
        title_es: "Recuperar clave",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Nothing,
    },
    Page {
        step: T::RecoverySearch,
        journey: J::Recovery,
        path: "/recuperar/buscar",
        title_es: "Buscar su cédula – Recuperar clave",
        place: P::Step(1),
        back: Some(T::RecoveryStart),
        states: &[],
        needs: N::Nothing,
    },
    Page {
        step: T::RecoveryIdentity,
        journey: J::Recovery,
        path: "/recuperar/identidad",
        title_es: "Su fecha de nacimiento – Recuperar clave",
        place: P::Step(2),
        back: Some(T::RecoverySearch),
        states: &[S::IdentityPending],
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryConfirm,
        journey: J::Recovery,
        path: "/recuperar/confirmar",
        title_es: "Confirme sus datos – Recuperar clave",
        place: P::Step(3),
        back: Some(T::RecoveryIdentity),
        states: &[S::ConfirmPending],
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryAllAnswers,
        journey: J::RecoveryWithoutEmail,
        path: "/recuperar/sin-correo",
        title_es: "Sus cuatro preguntas – Recuperar clave sin su correo",
        place: P::Unnumbered,
        back: Some(T::RecoveryConfirm),
        states: &[S::AllAnswersPending],
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryNewEmail,
        journey: J::RecoveryWithoutEmail,
        path: "/recuperar/nuevo-correo",
        title_es: "Su nuevo correo – Recuperar clave",
        place: P::Unnumbered,
        back: Some(T::RecoveryAllAnswers),
        states: &[S::NewEmailPending],
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryCode,
        journey: J::Recovery,
        path: "/recuperar/codigo",
        title_es: "Código de verificación – Recuperar clave",
        place: P::Step(4),
        back: Some(T::RecoveryConfirm),
        states: &[S::CodePending],
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryCodeLink,
        journey: J::Recovery,
        path: "/recuperar/codigo/enlace",
        title_es: "Confirmar el código – Recuperar clave",
        place: P::Outside,
        back: None,
        states: &[S::CodePending],
        needs: N::Link,
    },
    Page {
        step: T::RecoveryQuestions,
        journey: J::Recovery,
        path: "/recuperar/preguntas",
        title_es: "Preguntas de seguridad – Recuperar clave",
        place: P::Step(5),
        back: Some(T::RecoveryCode),
        states: &[S::QuestionsPending],
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryNewClave,
        journey: J::Recovery,
        path: "/recuperar/nueva-clave",
        title_es: "Su nueva clave – Recuperar clave",
        place: P::Step(6),
        back: Some(T::RecoveryQuestions),
        states: &[S::PasswordPending],
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryDone,
        journey: J::Recovery,
        path: "/recuperar/listo",
        title_es: "Clave restablecida – Recuperar clave",
        place: P::Outside,
        back: None,
        states: &[S::Done],
        needs: N::Flow,
    },
    Page {
        step: T::RequestStart,
        journey: J::Request,
        path: "/solicitar",
        title_es: "Solicitar clave",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Nothing,
    },
    Page {
        step: T::RequestSearch,
        journey: J::Request,
        path: "/solicitar/buscar",
        title_es: "Buscar su cédula – Solicitar clave",
        place: P::Step(1),
        back: Some(T::RequestStart),
        states: &[],
        needs: N::Nothing,
    },
    Page {
        step: T::RequestIdentity,
        journey: J::Request,
        path: "/solicitar/identidad",
        title_es: "Confirme su identidad – Solicitar clave",
        place: P::Step(2),
        back: Some(T::RequestSearch),
        states: &[S::IdentityPending],
        needs: N::Flow,
    },
    Page {
        step: T::RequestContact,
        journey: J::Request,
        path: "/solicitar/contacto",
        title_es: "Sus datos de contacto – Solicitar clave",
        place: P::Step(3),
        back: Some(T::RequestIdentity),
        states: &[S::ContactPending],
        needs: N::Flow,
    },
    Page {
        step: T::RequestCode,
        journey: J::Request,
        path: "/solicitar/codigo",
        title_es: "Código de verificación – Solicitar clave",
        place: P::Step(4),
        back: Some(T::RequestContact),
        states: &[S::CodePending],
        needs: N::Flow,
    },
    Page {
        step: T::RequestCodeLink,
        journey: J::Request,
        path: "/solicitar/codigo/enlace",
        title_es: "Confirmar el código – Solicitar clave",
        place: P::Outside,
        back: None,
        states: &[S::CodePending],
        needs: N::Link,
    },
    Page {
        step: T::RequestQuestions,
        journey: J::Request,
        path: "/solicitar/preguntas",
        title_es: "Sus preguntas de seguridad – Solicitar clave",
        place: P::Step(5),
        back: Some(T::RequestCode),
        states: &[S::ChooseQuestionsPending],
        needs: N::Flow,
    },
    Page {
        step: T::RequestNewClave,
        journey: J::Request,
        path: "/solicitar/nueva-clave",
        title_es: "Su nueva clave – Solicitar clave",
        place: P::Step(6),
        back: Some(T::RequestQuestions),
        states: &[S::PasswordPending],
        needs: N::Flow,
    },
    Page {
        step: T::RequestDone,
        journey: J::Request,
        path: "/solicitar/listo",
        title_es: "Clave creada – Solicitar clave",
        place: P::Outside,
        back: None,
        states: &[S::Done],
        needs: N::Flow,
    },
    Page {
        step: T::Contact,
        journey: J::Callback,
        path: "/contacto",
        title_es: "Contacto",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Nothing,
    },
    Page {
        step: T::Callback,
        journey: J::Callback,
        path: "/contacto/llamada",
        title_es: "Pedir que le llamemos",
        place: P::Outside,
        back: Some(T::Contact),
        states: &[],
        needs: N::Nothing,
    },
    Page {
        step: T::CallbackReceipt,
        journey: J::Callback,
        path: "/contacto/recibida",
        title_es: "Solicitud recibida",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Link,
    },
    Page {
        step: T::SignIn,
        journey: J::Account,
        path: "/ingresar",
        title_es: "Ingresar",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Nothing,
    },
    Page {
        step: T::Services,
        journey: J::Account,
        path: "/servicios",
        title_es: "Servicios en línea",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Session,
    },
    Page {
        step: T::NotMe,
        journey: J::Account,
        path: "/no-fui-yo",
        title_es: "No fui yo",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Link,
    },
    Page {
        step: T::StaffSignIn,
        journey: J::Staff,
        path: "/personal/ingresar",
        title_es: "Ingresar – Consola del personal",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Nothing,
    },
    Page {
        step: T::StaffFactor,
        journey: J::Staff,
        path: "/personal/verificar",
        title_es: "Código de verificación – Consola del personal",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::StaffPassword,
    },
    Page {
        step: T::StaffQueue,
        journey: J::Staff,
        path: "/personal",
        title_es: "Solicitudes y casos – Consola del personal",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::StaffSession,
    },
    Page {
        step: T::StaffAffiliate,
        journey: J::Staff,
        path: "/personal/afiliado",
        title_es: "Buscar afiliado – Consola del personal",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::StaffSession,
    },
    Page {
        step: T::StaffSupervision,
        journey: J::Staff,
        path: "/personal/supervision",
        title_es: "Supervisión – Consola del personal",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Supervisor,
    },
    Page {
        step: T::Home,
        journey: J::Site,
        path: "/",
        title_es: "Inicio",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Nothing,
    },
    Page {
        step: T::DevMailbox,
        journey: J::Site,
        path: "/dev/correo",
        title_es: "Buzón de desarrollo",
        place: P::Outside,
        back: None,
        states: &[],
        needs: N::Development,
    },
];

impl Step {
    pub const fn page(self) -> &'static Page {
        &PAGES[self as usize]
    }

    pub const fn path(self) -> &'static str {
        self.page().path
    }

    pub fn title_es(self) -> &'static str {
        self.page().title_es
    }

    /// Where "Volver" leads.
    pub fn back_path(self) -> Option<&'static str> {
        self.page().back.map(Step::path)
    }

    /// The page at `path` (no query), if it is one of the table's.
    pub fn at(path: &str) -> Option<Step> {
        PAGES.iter().find(|p| p.path == path).map(|p| p.step)
    }

    /// Whether the browser's wizard shows this page in place: every page of
    /// the recovery and request journeys, their start and end included.
    pub fn in_wizard(self) -> bool {
        self.page().journey.flow().is_some()
    }

    /// Whether a page load of this page brings the wizard island: the pages
    /// between the start page and the end, where a step posts. The start and
    /// end pages stay without script; the wizard reaches them in place.
    pub fn hosts_wizard(self) -> bool {
        self.in_wizard()
            && (self.page().back.is_some()
                || matches!(self, Step::RecoveryCodeLink | Step::RequestCodeLink))
    }

    /// What a screen reader is told when the wizard shows this page in place:
    /// "Paso 2 de 6: Su fecha de nacimiento – Recuperar clave", or the title
    /// alone for a page outside the numbered steps.
    pub fn announcement_es(self) -> String {
        let page = self.page();
        match page.place {
            Place::Step(n) => format!("Paso {n} de {}: {}", page.journey.steps(), page.title_es),
            _ => page.title_es.to_owned(),
        }
    }

    /// "Recuperar clave · paso 2 de 6", the branch's name, or nothing.
    pub fn caption_es(self) -> Option<String> {
        let page = self.page();
        match page.place {
            Place::Outside => None,
            Place::Unnumbered => Some(page.journey.name_es().to_owned()),
            Place::Step(n) => Some(format!(
                "{} · paso {n} de {}",
                page.journey.name_es(),
                page.journey.steps()
            )),
        }
    }

    /// The start page of a flow of `kind`.
    pub fn start(kind: FlowKind) -> Step {
        Step::of(kind, Step::RecoveryStart, Step::RequestStart)
    }

    /// Step 1 of a flow of `kind`, where a flow that cannot go on starts again.
    pub fn search(kind: FlowKind) -> Step {
        Step::of(kind, Step::RecoverySearch, Step::RequestSearch)
    }

    /// The shared steps, in a flow of `kind`.
    pub fn code(kind: FlowKind) -> Step {
        Step::of(kind, Step::RecoveryCode, Step::RequestCode)
    }

    pub fn code_link(kind: FlowKind) -> Step {
        Step::of(kind, Step::RecoveryCodeLink, Step::RequestCodeLink)
    }

    pub fn new_clave(kind: FlowKind) -> Step {
        Step::of(kind, Step::RecoveryNewClave, Step::RequestNewClave)
    }

    pub fn done(kind: FlowKind) -> Step {
        Step::of(kind, Step::RecoveryDone, Step::RequestDone)
    }

    fn of(kind: FlowKind, recovery: Step, request: Step) -> Step {
        match kind {
            FlowKind::Recovery => recovery,
            FlowKind::Request => request,
        }
    }

    /// The page a flow of `kind` in `state` is served on, so reload and Back
    /// land where the flow is; a state with no page of that kind (a failed
    /// flow, a state of the other kind) goes to its step 1.
    pub fn serving(kind: FlowKind, state: FlowState) -> Step {
        PAGES
            .iter()
            .find(|p| p.journey.flow() == Some(kind) && p.states.contains(&state))
            .map_or(Step::search(kind), |p| p.step)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_order_of_its_steps() {
        for (i, page) in PAGES.iter().enumerate() {
            assert_eq!(page.step as usize, i, "{:?}", page.step);
        }
    }

    #[test]
    fn paths_are_unique_and_each_flow_lives_under_its_start() {
        for (i, a) in PAGES.iter().enumerate() {
            for b in &PAGES[i + 1..] {
                assert_ne!(a.path, b.path);
            }
            if let Some(kind) = a.journey.flow() {
                assert!(a.path.starts_with(Step::start(kind).path()), "{:?}", a.step);
            }
        }
    }

    #[test]
    fn the_steps_are_numbered_one_to_six_with_nothing_skipped() {
        for journey in [Journey::Recovery, Journey::Request] {
            let mut numbers: Vec<u8> = PAGES
                .iter()
                .filter(|p| p.journey == journey)
                .filter_map(|p| match p.place {
                    Place::Step(n) => Some(n),
                    _ => None,
                })
                .collect();
            numbers.sort();
            assert_eq!(numbers, [1, 2, 3, 4, 5, 6], "{journey:?}");
        }
        assert_eq!(
            Step::RecoveryIdentity.caption_es().as_deref(),
            Some("Recuperar clave · paso 2 de 6")
        );
        assert_eq!(
            Step::RequestNewClave.caption_es().as_deref(),
            Some("Solicitar clave · paso 6 de 6")
        );
        assert_eq!(
            Step::RecoveryNewEmail.caption_es().as_deref(),
            Some("Recuperar clave sin acceso al correo")
        );
        assert_eq!(Step::RecoveryDone.caption_es(), None);
    }

    #[test]
    fn every_state_a_flow_reaches_has_one_page_to_serve_it() {
        // By hand: the pages SPEC §2.1, §2.1.1 and §2.2 walk through.
        let expected = [
            (
                FlowKind::Recovery,
                S::IdentityPending,
                "/recuperar/identidad",
            ),
            (
                FlowKind::Recovery,
                S::ConfirmPending,
                "/recuperar/confirmar",
            ),
            (
                FlowKind::Recovery,
                S::AllAnswersPending,
                "/recuperar/sin-correo",
            ),
            (
                FlowKind::Recovery,
                S::NewEmailPending,
                "/recuperar/nuevo-correo",
            ),
            (FlowKind::Recovery, S::CodePending, "/recuperar/codigo"),
            (
                FlowKind::Recovery,
                S::QuestionsPending,
                "/recuperar/preguntas",
            ),
            (
                FlowKind::Recovery,
                S::PasswordPending,
                "/recuperar/nueva-clave",
            ),
            (FlowKind::Recovery, S::Done, "/recuperar/listo"),
            (FlowKind::Recovery, S::Failed, "/recuperar/buscar"),
            (FlowKind::Recovery, S::ContactPending, "/recuperar/buscar"),
            (
                FlowKind::Request,
                S::IdentityPending,
                "/solicitar/identidad",
            ),
            (FlowKind::Request, S::ContactPending, "/solicitar/contacto"),
            (FlowKind::Request, S::CodePending, "/solicitar/codigo"),
            (
                FlowKind::Request,
                S::ChooseQuestionsPending,
                "/solicitar/preguntas",
            ),
            (
                FlowKind::Request,
                S::PasswordPending,
                "/solicitar/nueva-clave",
            ),
            (FlowKind::Request, S::Done, "/solicitar/listo"),
            (FlowKind::Request, S::Failed, "/solicitar/buscar"),
            (FlowKind::Request, S::QuestionsPending, "/solicitar/buscar"),
        ];
        for (kind, state, path) in expected {
            assert_eq!(
                Step::serving(kind, state).path(),
                path,
                "{kind:?} {state:?}"
            );
        }
    }

    #[test]
    fn the_wizard_lives_between_the_start_and_the_end_of_both_flows() {
        // By hand: the pages a step posts from, which a page load brings the
        // wizard to; the start and end pages and the call-back pages have none.
        let hosts: Vec<&str> = PAGES
            .iter()
            .filter(|p| p.step.hosts_wizard())
            .map(|p| p.path)
            .collect();
        assert_eq!(
            hosts,
            [
                "/recuperar/buscar",
                "/recuperar/identidad",
                "/recuperar/confirmar",
                "/recuperar/sin-correo",
                "/recuperar/nuevo-correo",
                "/recuperar/codigo",
                "/recuperar/codigo/enlace",
                "/recuperar/preguntas",
                "/recuperar/nueva-clave",
                "/solicitar/buscar",
                "/solicitar/identidad",
                "/solicitar/contacto",
                "/solicitar/codigo",
                "/solicitar/codigo/enlace",
                "/solicitar/preguntas",
                "/solicitar/nueva-clave",
            ]
        );
        assert!(Step::RecoveryDone.in_wizard() && Step::RequestStart.in_wizard());
        assert!(!Step::Callback.in_wizard() && !Step::Contact.in_wizard());
        assert_eq!(Step::at("/recuperar/codigo"), Some(Step::RecoveryCode));
        assert_eq!(Step::at("/recuperar/codigo/"), None);
        assert_eq!(
            Step::RecoveryIdentity.announcement_es(),
            "Paso 2 de 6: Su fecha de nacimiento – Recuperar clave"
        );
        assert_eq!(
            Step::RequestNewClave.announcement_es(),
            "Paso 6 de 6: Su nueva clave – Solicitar clave"
        );
        assert_eq!(
            Step::RecoveryNewEmail.announcement_es(),
            "Su nuevo correo – Recuperar clave"
        );
    }

    #[test]
    fn the_pages_outside_the_journeys_are_listed_with_what_they_need() {
        // By hand: SPEC §5 and §6's pages and the site's own.
        let expected = [
            ("/ingresar", Needs::Nothing),
            ("/servicios", Needs::Session),
            ("/no-fui-yo", Needs::Link),
            ("/personal/ingresar", Needs::Nothing),
            ("/personal/verificar", Needs::StaffPassword),
            ("/personal", Needs::StaffSession),
            ("/personal/afiliado", Needs::StaffSession),
            ("/personal/supervision", Needs::Supervisor),
            ("/", Needs::Nothing),
            ("/dev/correo", Needs::Development),
        ];
        let listed: Vec<(&str, Needs)> = PAGES
            .iter()
            .filter(|p| matches!(p.journey, Journey::Account | Journey::Staff | Journey::Site))
            .map(|p| (p.path, p.needs))
            .collect();
        assert_eq!(listed, expected);
        assert_eq!(Step::at("/"), Some(Step::Home));
        assert_eq!(Step::at("/personal"), Some(Step::StaffQueue));
        assert!(!Step::StaffQueue.in_wizard() && !Step::Home.hosts_wizard());
    }

    #[test]
    fn a_page_needs_a_flow_exactly_when_it_serves_a_state() {
        for page in &PAGES {
            let flow = !page.states.is_empty();
            match page.needs {
                Needs::Flow => assert!(flow, "{:?}", page.step),
                // The code link's flow is found by the mailed code.
                Needs::Link => {}
                _ => assert!(!flow, "{:?}", page.step),
            }
            if page.needs.private() {
                assert_eq!(page.journey.flow(), None, "{:?}", page.step);
            }
        }
    }

    #[test]
    fn titles_are_unique() {
        for (i, a) in PAGES.iter().enumerate() {
            for b in &PAGES[i + 1..] {
                assert_ne!(a.title_es, b.title_es);
            }
            assert_ne!(a.title_es, NOT_FOUND_TITLE_ES);
        }
    }

    #[test]
    fn back_links_stay_in_the_journey_and_lead_back() {
        for page in &PAGES {
            if let Some(back) = page.back {
                let to = back.page();
                assert_eq!(to.journey.flow(), page.journey.flow(), "{:?}", page.step);
                assert!((back as usize) < (page.step as usize), "{:?}", page.step);
            }
        }
    }
}
