//! Every page of the service, declared once: its path, its title, its place
//! in a journey ("paso N de M"), its back link, the flow states that may show
//! it and what a visit needs to see it. The routes, the links, the captions,
//! the back links, the page each flow state is served on (and so every
//! redirect after a step) and the end-to-end tests' list of pages (`clave
//! steps`) are generated from [`PAGES`]; a path or a step number is written
//! nowhere else.

use super::flow::{FlowKind, FlowState};
use crate::lang::{Lang, Text};

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
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Journey::Recovery => lang.pick("Recuperar clave", "Recover your password"),
            Journey::RecoveryWithoutEmail => lang.pick(
                "Recuperar clave sin acceso al correo",
                "Recover your password without access to your e-mail",
            ),
            Journey::Request => lang.pick("Solicitar clave", "Get a password"),
            Journey::Callback => lang.pick("Pedir que le llamemos", "Ask us to call you"),
            Journey::Account => lang.pick("Servicios en línea", "Online services"),
            Journey::Staff => lang.pick("Consola del personal", "Staff console"),
            Journey::Site => lang.pick("Clave", "Online services password"),
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
    pub title: Text,
    pub place: Place,
    pub back: Option<Step>,
    /// The flow states this page serves; the first page listing a state is
    /// where a flow in that state is sent.
    pub states: &'static [FlowState],
    /// The page's form has typed values worth keeping when the language
    /// changes: it carries the id the switch's button names.
    pub form: bool,
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
pub const NOT_FOUND_TITLE: Text = Text {
    es: "Página no encontrada",
    en: "Page not found",
};

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
        title: Text {
            es: "Recuperar clave",
            en: "Recover your password",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::Nothing,
    },
    Page {
        step: T::RecoverySearch,
        journey: J::Recovery,
        path: "/recuperar/buscar",
        title: Text {
            es: "Buscar su cédula – Recuperar clave",
            en: "Find your ID number – Recover your password",
        },
        place: P::Step(1),
        back: Some(T::RecoveryStart),
        states: &[],
        form: true,
        needs: N::Nothing,
    },
    Page {
        step: T::RecoveryIdentity,
        journey: J::Recovery,
        path: "/recuperar/identidad",
        title: Text {
            es: "Su fecha de nacimiento – Recuperar clave",
            en: "Your date of birth – Recover your password",
        },
        place: P::Step(2),
        back: Some(T::RecoverySearch),
        states: &[S::IdentityPending],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryConfirm,
        journey: J::Recovery,
        path: "/recuperar/confirmar",
        title: Text {
            es: "Confirme sus datos – Recuperar clave",
            en: "Confirm your details – Recover your password",
        },
        place: P::Step(3),
        back: Some(T::RecoveryIdentity),
        states: &[S::ConfirmPending],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryAllAnswers,
        journey: J::RecoveryWithoutEmail,
        path: "/recuperar/sin-correo",
        title: Text {
            es: "Sus cuatro preguntas – Recuperar clave sin su correo",
            en: "Your four questions – Recover your password without your e-mail",
        },
        place: P::Unnumbered,
        back: Some(T::RecoveryConfirm),
        states: &[S::AllAnswersPending],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryNewEmail,
        journey: J::RecoveryWithoutEmail,
        path: "/recuperar/nuevo-correo",
        title: Text {
            es: "Su nuevo correo – Recuperar clave",
            en: "Your new e-mail address – Recover your password",
        },
        place: P::Unnumbered,
        back: Some(T::RecoveryAllAnswers),
        states: &[S::NewEmailPending],
        form: true,
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryCode,
        journey: J::Recovery,
        path: "/recuperar/codigo",
        title: Text {
            es: "Código de verificación – Recuperar clave",
            en: "Verification code – Recover your password",
        },
        place: P::Step(4),
        back: Some(T::RecoveryConfirm),
        states: &[S::CodePending],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryCodeLink,
        journey: J::Recovery,
        path: "/recuperar/codigo/enlace",
        title: Text {
            es: "Confirmar el código – Recuperar clave",
            en: "Confirm the code – Recover your password",
        },
        place: P::Outside,
        back: None,
        states: &[S::CodePending],
        form: false,
        needs: N::Link,
    },
    Page {
        step: T::RecoveryQuestions,
        journey: J::Recovery,
        path: "/recuperar/preguntas",
        title: Text {
            es: "Preguntas de seguridad – Recuperar clave",
            en: "Security questions – Recover your password",
        },
        place: P::Step(5),
        back: Some(T::RecoveryCode),
        states: &[S::QuestionsPending],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryNewClave,
        journey: J::Recovery,
        path: "/recuperar/nueva-clave",
        title: Text {
            es: "Su nueva clave – Recuperar clave",
            en: "Your new password – Recover your password",
        },
        place: P::Step(6),
        back: Some(T::RecoveryQuestions),
        states: &[S::PasswordPending],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::RecoveryDone,
        journey: J::Recovery,
        path: "/recuperar/listo",
        title: Text {
            es: "Clave restablecida – Recuperar clave",
            en: "Password reset – Recover your password",
        },
        place: P::Outside,
        back: None,
        states: &[S::Done],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::RequestStart,
        journey: J::Request,
        path: "/solicitar",
        title: Text {
            es: "Solicitar clave",
            en: "Get a password",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::Nothing,
    },
    Page {
        step: T::RequestSearch,
        journey: J::Request,
        path: "/solicitar/buscar",
        title: Text {
            es: "Buscar su cédula – Solicitar clave",
            en: "Find your ID number – Get a password",
        },
        place: P::Step(1),
        back: Some(T::RequestStart),
        states: &[],
        form: true,
        needs: N::Nothing,
    },
    Page {
        step: T::RequestIdentity,
        journey: J::Request,
        path: "/solicitar/identidad",
        title: Text {
            es: "Confirme su identidad – Solicitar clave",
            en: "Confirm your identity – Get a password",
        },
        place: P::Step(2),
        back: Some(T::RequestSearch),
        states: &[S::IdentityPending],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::RequestContact,
        journey: J::Request,
        path: "/solicitar/contacto",
        title: Text {
            es: "Sus datos de contacto – Solicitar clave",
            en: "Your contact details – Get a password",
        },
        place: P::Step(3),
        back: Some(T::RequestIdentity),
        states: &[S::ContactPending],
        form: true,
        needs: N::Flow,
    },
    Page {
        step: T::RequestCode,
        journey: J::Request,
        path: "/solicitar/codigo",
        title: Text {
            es: "Código de verificación – Solicitar clave",
            en: "Verification code – Get a password",
        },
        place: P::Step(4),
        back: Some(T::RequestContact),
        states: &[S::CodePending],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::RequestCodeLink,
        journey: J::Request,
        path: "/solicitar/codigo/enlace",
        title: Text {
            es: "Confirmar el código – Solicitar clave",
            en: "Confirm the code – Get a password",
        },
        place: P::Outside,
        back: None,
        states: &[S::CodePending],
        form: false,
        needs: N::Link,
    },
    Page {
        step: T::RequestQuestions,
        journey: J::Request,
        path: "/solicitar/preguntas",
        title: Text {
            es: "Sus preguntas de seguridad – Solicitar clave",
            en: "Your security questions – Get a password",
        },
        place: P::Step(5),
        back: Some(T::RequestCode),
        states: &[S::ChooseQuestionsPending],
        form: true,
        needs: N::Flow,
    },
    Page {
        step: T::RequestNewClave,
        journey: J::Request,
        path: "/solicitar/nueva-clave",
        title: Text {
            es: "Su nueva clave – Solicitar clave",
            en: "Your new password – Get a password",
        },
        place: P::Step(6),
        back: Some(T::RequestQuestions),
        states: &[S::PasswordPending],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::RequestDone,
        journey: J::Request,
        path: "/solicitar/listo",
        title: Text {
            es: "Clave creada – Solicitar clave",
            en: "Password created – Get a password",
        },
        place: P::Outside,
        back: None,
        states: &[S::Done],
        form: false,
        needs: N::Flow,
    },
    Page {
        step: T::Contact,
        journey: J::Callback,
        path: "/contacto",
        title: Text {
            es: "Contacto",
            en: "Contact us",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::Nothing,
    },
    Page {
        step: T::Callback,
        journey: J::Callback,
        path: "/contacto/llamada",
        title: Text {
            es: "Pedir que le llamemos",
            en: "Ask us to call you",
        },
        place: P::Outside,
        back: Some(T::Contact),
        states: &[],
        form: true,
        needs: N::Nothing,
    },
    Page {
        step: T::CallbackReceipt,
        journey: J::Callback,
        path: "/contacto/recibida",
        title: Text {
            es: "Solicitud recibida",
            en: "Request received",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::Link,
    },
    Page {
        step: T::SignIn,
        journey: J::Account,
        path: "/ingresar",
        title: Text {
            es: "Ingresar",
            en: "Sign in",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: true,
        needs: N::Nothing,
    },
    Page {
        step: T::Services,
        journey: J::Account,
        path: "/servicios",
        title: Text {
            es: "Servicios en línea",
            en: "Online services",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::Session,
    },
    Page {
        step: T::NotMe,
        journey: J::Account,
        path: "/no-fui-yo",
        title: Text {
            es: "No fui yo",
            en: "It was not me",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::Link,
    },
    Page {
        step: T::StaffSignIn,
        journey: J::Staff,
        path: "/personal/ingresar",
        title: Text {
            es: "Ingresar – Consola del personal",
            en: "Sign in – Staff console",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: true,
        needs: N::Nothing,
    },
    Page {
        step: T::StaffFactor,
        journey: J::Staff,
        path: "/personal/verificar",
        title: Text {
            es: "Código de verificación – Consola del personal",
            en: "Verification code – Staff console",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::StaffPassword,
    },
    Page {
        step: T::StaffQueue,
        journey: J::Staff,
        path: "/personal",
        title: Text {
            es: "Solicitudes y casos – Consola del personal",
            en: "Requests and cases – Staff console",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::StaffSession,
    },
    Page {
        step: T::StaffAffiliate,
        journey: J::Staff,
        path: "/personal/afiliado",
        title: Text {
            es: "Buscar afiliado – Consola del personal",
            en: "Find a member – Staff console",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::StaffSession,
    },
    Page {
        step: T::StaffSupervision,
        journey: J::Staff,
        path: "/personal/supervision",
        title: Text {
            es: "Supervisión – Consola del personal",
            en: "Supervision – Staff console",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::Supervisor,
    },
    Page {
        step: T::Home,
        journey: J::Site,
        path: "/",
        title: Text {
            es: "Inicio",
            en: "Home",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
        needs: N::Nothing,
    },
    Page {
        step: T::DevMailbox,
        journey: J::Site,
        path: "/dev/correo",
        title: Text {
            es: "Buzón de desarrollo",
            en: "Development mailbox",
        },
        place: P::Outside,
        back: None,
        states: &[],
        form: false,
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

    pub fn title(self, lang: Lang) -> &'static str {
        self.page().title.get(lang)
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
    pub fn announcement(self, lang: Lang) -> String {
        let page = self.page();
        let title = page.title.get(lang);
        match page.place {
            Place::Step(n) => {
                let m = page.journey.steps();
                lang.pick(
                    format!("Paso {n} de {m}: {title}"),
                    format!("Step {n} of {m}: {title}"),
                )
            }
            _ => title.to_owned(),
        }
    }

    /// "Recuperar clave · paso 2 de 6", the branch's name, or nothing.
    pub fn caption(self, lang: Lang) -> Option<String> {
        let page = self.page();
        let name = page.journey.name(lang);
        match page.place {
            Place::Outside => None,
            Place::Unnumbered => Some(name.to_owned()),
            Place::Step(n) => {
                let m = page.journey.steps();
                Some(lang.pick(
                    format!("{name} · paso {n} de {m}"),
                    format!("{name} · step {n} of {m}"),
                ))
            }
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
            Step::RecoveryIdentity.caption(Lang::Es).as_deref(),
            Some("Recuperar clave · paso 2 de 6")
        );
        assert_eq!(
            Step::RequestNewClave.caption(Lang::Es).as_deref(),
            Some("Solicitar clave · paso 6 de 6")
        );
        assert_eq!(
            Step::RecoveryNewEmail.caption(Lang::Es).as_deref(),
            Some("Recuperar clave sin acceso al correo")
        );
        assert_eq!(Step::RecoveryDone.caption(Lang::Es), None);
        assert_eq!(
            Step::RecoveryIdentity.caption(Lang::En).as_deref(),
            Some("Recover your password · step 2 of 6")
        );
        assert_eq!(
            Step::RequestNewClave.caption(Lang::En).as_deref(),
            Some("Get a password · step 6 of 6")
        );
        assert_eq!(
            Step::RecoveryNewEmail.caption(Lang::En).as_deref(),
            Some("Recover your password without access to your e-mail")
        );
        assert_eq!(Step::RecoveryDone.caption(Lang::En), None);
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
            Step::RecoveryIdentity.announcement(Lang::Es),
            "Paso 2 de 6: Su fecha de nacimiento – Recuperar clave"
        );
        assert_eq!(
            Step::RequestNewClave.announcement(Lang::Es),
            "Paso 6 de 6: Su nueva clave – Solicitar clave"
        );
        assert_eq!(
            Step::RecoveryNewEmail.announcement(Lang::Es),
            "Su nuevo correo – Recuperar clave"
        );
        assert_eq!(
            Step::RecoveryIdentity.announcement(Lang::En),
            "Step 2 of 6: Your date of birth – Recover your password"
        );
        assert_eq!(
            Step::RequestNewClave.announcement(Lang::En),
            "Step 6 of 6: Your new password – Get a password"
        );
        assert_eq!(
            Step::RecoveryNewEmail.announcement(Lang::En),
            "Your new e-mail address – Recover your password"
        );
        assert_eq!(Step::Home.title(Lang::En), "Home");
        assert_eq!(Step::Home.title(Lang::Es), "Inicio");
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
        for lang in Lang::ALL {
            for (i, a) in PAGES.iter().enumerate() {
                for b in &PAGES[i + 1..] {
                    assert_ne!(a.title.get(lang), b.title.get(lang));
                }
                assert_ne!(a.title.get(lang), NOT_FOUND_TITLE.get(lang));
            }
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
