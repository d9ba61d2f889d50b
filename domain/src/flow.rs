//! The self-service flows as one state machine, persisted by the services layer.
//!
//! Each step may only be taken from the state just before it, and only while the
//! flow is within its idle timeout; the server checks both on every request, so
//! posting a later step early is refused instead of skipping ahead.
//!
//! Going back to correct an earlier answer is a transition of the machine, not
//! a restart: from the code step a flow may show again the step that chose the
//! address ([`FlowState::correcting`]) and take that step anew, which mails a
//! new code to the corrected address (the old code is void, every limit counts).
//!
//! Three paths share the machine:
//! - recuperar clave (SPEC §2.1): identity → confirm → code → questions →
//!   new clave → done;
//! - without access to the registered e-mail (§2.1.1): identity → confirm →
//!   all four answers → new e-mail → code (to the new address) → new clave → done;
//! - solicitar clave (§2.2): identity (full date and código dactilar) → contact
//!   data → code → choose four questions → new clave → done.

use super::steps::Step;
use super::stored::Stored;
use crate::lang::Lang;
use serde::{Deserialize, Serialize};

/// Which flow a user is in: the same steps serve both where they are the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowKind {
    /// Recuperar clave: the affiliate already has a clave.
    Recovery,
    /// Solicitar clave: the first clave.
    Request,
}

impl Stored for FlowKind {
    const COLUMN: &'static str = "recovery_flow.kind";
    const VALUES: &'static [Self] = &[FlowKind::Recovery, FlowKind::Request];

    fn stored(self) -> &'static str {
        match self {
            FlowKind::Recovery => "recovery",
            FlowKind::Request => "request",
        }
    }
}

impl FlowKind {
    /// The value of the hidden `flujo` field of the shared steps' forms.
    pub fn form_value(self) -> &'static str {
        match self {
            FlowKind::Recovery => "recuperar",
            FlowKind::Request => "solicitar",
        }
    }

    /// From the `flujo` field; anything else is the recovery flow (the flow
    /// itself, loaded from the cookie, has the last word).
    pub fn from_form(value: Option<&str>) -> FlowKind {
        match value {
            Some("solicitar") => FlowKind::Request,
            _ => FlowKind::Recovery,
        }
    }

    /// The start page.
    pub fn home(self) -> &'static str {
        Step::start(self).path()
    }

    /// The flow's name as the pages say it.
    pub fn name(self, lang: Lang) -> &'static str {
        Step::start(self).page().journey.name(lang)
    }
}

/// Where a flow stands: the step the user must complete next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlowState {
    /// Step 2: birth day and month (recovery), or the full birth date and the
    /// código dactilar (request).
    IdentityPending,
    /// Recovery step 3: confirm masked name and e-mail.
    ConfirmPending,
    /// §2.1.1: all four security answers instead of the e-mail proof.
    AllAnswersPending,
    /// §2.1.1: the address the code (and later mail) goes to.
    NewEmailPending,
    /// Request step 3: the e-mail (and optional mobile phone) to register.
    ContactPending,
    /// Step 4: the e-mailed code.
    CodePending,
    /// Recovery step 5: two security answers.
    QuestionsPending,
    /// Request step 5: choose four questions and answer them.
    ChooseQuestionsPending,
    /// Step 6: the new clave.
    PasswordPending,
    /// Finished; nothing more can be posted.
    Done,
    /// Too many failed checks: the flow is over and must be started again.
    Failed,
}

/// What the user just achieved in a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowEvent {
    IdentityProved,
    CodeRequested,
    NoEmailAccess,
    AllAnswersGiven,
    NewEmailGiven,
    ContactGiven,
    CodeAccepted,
    AnswersGiven,
    QuestionsChosen,
    ClaveSet,
    TooManyFailures,
}

impl FlowState {
    pub const ALL: [FlowState; 11] = [
        FlowState::IdentityPending,
        FlowState::ConfirmPending,
        FlowState::AllAnswersPending,
        FlowState::NewEmailPending,
        FlowState::ContactPending,
        FlowState::CodePending,
        FlowState::QuestionsPending,
        FlowState::ChooseQuestionsPending,
        FlowState::PasswordPending,
        FlowState::Done,
        FlowState::Failed,
    ];
}

impl Stored for FlowState {
    const COLUMN: &'static str = "recovery_flow.state";
    const VALUES: &'static [Self] = &FlowState::ALL;

    fn stored(self) -> &'static str {
        match self {
            FlowState::IdentityPending => "identity_pending",
            FlowState::ConfirmPending => "confirm_pending",
            FlowState::AllAnswersPending => "all_answers_pending",
            FlowState::NewEmailPending => "new_email_pending",
            FlowState::ContactPending => "contact_pending",
            FlowState::CodePending => "code_pending",
            FlowState::QuestionsPending => "questions_pending",
            FlowState::ChooseQuestionsPending => "choose_questions_pending",
            FlowState::PasswordPending => "password_pending",
            FlowState::Done => "done",
            FlowState::Failed => "failed",
        }
    }
}

impl FlowState {
    /// The state `event` leads to from here in a flow of `kind`, or `None` when
    /// it is not allowed. `replacing_email` tells the §2.1.1 path apart once
    /// the code is accepted: its questions were already answered, all four.
    pub fn after(
        self,
        event: FlowEvent,
        kind: FlowKind,
        replacing_email: bool,
    ) -> Option<FlowState> {
        self.forward(event, kind, replacing_email).or_else(|| {
            // Taking the earlier step again, to correct it.
            let earlier = self.correcting(kind, replacing_email)?;
            (event != FlowEvent::TooManyFailures)
                .then(|| earlier.forward(event, kind, replacing_email))
                .flatten()
        })
    }

    /// The earlier step a flow here may go back to and take again, to correct
    /// what it gave there: from the code step, the step that chose where the
    /// code goes — the registered address (recovery; from there also the
    /// §2.1.1 path), the new address (§2.1.1), the contact data (request).
    pub fn correcting(self, kind: FlowKind, replacing_email: bool) -> Option<FlowState> {
        match (kind, self) {
            (FlowKind::Recovery, FlowState::CodePending) if replacing_email => {
                Some(FlowState::NewEmailPending)
            }
            (FlowKind::Recovery, FlowState::CodePending) => Some(FlowState::ConfirmPending),
            (FlowKind::Request, FlowState::CodePending) => Some(FlowState::ContactPending),
            _ => None,
        }
    }

    /// Whether a flow here may show (and take) the step that expects `step`:
    /// its own, or the one it may go back to correct.
    pub fn may_show(self, step: FlowState, kind: FlowKind, replacing_email: bool) -> bool {
        self == step || self.correcting(kind, replacing_email) == Some(step)
    }

    /// The steps forward from here.
    fn forward(self, event: FlowEvent, kind: FlowKind, replacing_email: bool) -> Option<FlowState> {
        use FlowEvent as E;
        use FlowState as S;
        match (kind, self, event) {
            (_, S::Done | S::Failed, _) => None,
            (_, S::PasswordPending, E::ClaveSet) => Some(S::Done),
            (FlowKind::Recovery, from, event) => match (from, event) {
                (
                    S::IdentityPending | S::AllAnswersPending | S::QuestionsPending,
                    E::TooManyFailures,
                ) => Some(S::Failed),
                (S::IdentityPending, E::IdentityProved) => Some(S::ConfirmPending),
                (S::ConfirmPending, E::CodeRequested) => Some(S::CodePending),
                (S::ConfirmPending, E::NoEmailAccess) => Some(S::AllAnswersPending),
                (S::AllAnswersPending, E::AllAnswersGiven) => Some(S::NewEmailPending),
                (S::NewEmailPending, E::NewEmailGiven) => Some(S::CodePending),
                (S::CodePending, E::CodeAccepted) if replacing_email => Some(S::PasswordPending),
                (S::CodePending, E::CodeAccepted) => Some(S::QuestionsPending),
                (S::QuestionsPending, E::AnswersGiven) => Some(S::PasswordPending),
                _ => None,
            },
            (FlowKind::Request, from, event) => match (from, event) {
                (S::IdentityPending, E::TooManyFailures) => Some(S::Failed),
                (S::IdentityPending, E::IdentityProved) => Some(S::ContactPending),
                (S::ContactPending, E::ContactGiven) => Some(S::CodePending),
                (S::CodePending, E::CodeAccepted) => Some(S::ChooseQuestionsPending),
                (S::ChooseQuestionsPending, E::QuestionsChosen) => Some(S::PasswordPending),
                _ => None,
            },
        }
    }

    /// The page that serves this state in a flow of `kind` (the step table
    /// says which), so reload and Back land where the flow is.
    pub fn path(self, kind: FlowKind) -> &'static str {
        Step::serving(kind, self).path()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowError {
    /// The idle timeout passed: the user must start again.
    Expired,
    /// The flow is not at the step being posted.
    OutOfOrder { current: FlowState },
}

/// The parts of a stored flow the rules look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowClock {
    pub kind: FlowKind,
    pub state: FlowState,
    /// On the §2.1.1 path once the new address is given.
    pub replacing_email: bool,
    pub expires_at: i64,
}

impl FlowClock {
    /// A step that expects the flow in `expected` may run at `now`: the flow
    /// is there, or may go back there to correct it.
    pub fn check(&self, expected: FlowState, now: i64) -> Result<(), FlowError> {
        if now >= self.expires_at || self.state == FlowState::Failed {
            return Err(FlowError::Expired);
        }
        if !self
            .state
            .may_show(expected, self.kind, self.replacing_email)
        {
            return Err(FlowError::OutOfOrder {
                current: self.state,
            });
        }
        Ok(())
    }
}

/// When a flow touched at `now` stops being valid.
pub fn idle_deadline(now: i64, idle_timeout_secs: i64) -> i64 {
    now + idle_timeout_secs
}

#[cfg(test)]
mod tests {
    use super::*;
    use FlowEvent as E;
    use FlowState as S;

    #[test]
    fn kinds_and_states_are_stored_as_the_schema_allows_and_nothing_else_is_read() {
        // The values migration 9's CHECK constraints allow, written out again.
        let states = [
            "identity_pending",
            "confirm_pending",
            "all_answers_pending",
            "new_email_pending",
            "contact_pending",
            "code_pending",
            "questions_pending",
            "choose_questions_pending",
            "password_pending",
            "done",
            "failed",
        ];
        let stored: Vec<_> = FlowState::VALUES.iter().map(|s| s.stored()).collect();
        assert_eq!(stored, states);
        for (state, text) in FlowState::VALUES.iter().zip(states) {
            assert_eq!(FlowState::from_stored(text), Ok(*state));
        }
        let kinds: Vec<_> = FlowKind::VALUES.iter().map(|k| k.stored()).collect();
        assert_eq!(kinds, ["recovery", "request"]);
        for bogus in ["bogus", "Done", "", "recovery "] {
            assert!(FlowState::from_stored(bogus).is_err(), "{bogus:?}");
            assert!(FlowKind::from_stored(bogus).is_err(), "{bogus:?}");
        }
    }

    fn walk(events: &[E], kind: FlowKind, replacing: bool) -> Vec<S> {
        let mut s = S::IdentityPending;
        let mut seen = vec![s];
        for e in events {
            s = s.after(*e, kind, replacing).expect("allowed");
            seen.push(s);
        }
        seen
    }

    #[test]
    fn the_usual_path_follows_the_spec_order() {
        let seen = walk(
            &[
                E::IdentityProved,
                E::CodeRequested,
                E::CodeAccepted,
                E::AnswersGiven,
                E::ClaveSet,
            ],
            FlowKind::Recovery,
            false,
        );
        assert_eq!(
            seen,
            vec![
                S::IdentityPending,
                S::ConfirmPending,
                S::CodePending,
                S::QuestionsPending,
                S::PasswordPending,
                S::Done
            ]
        );
    }

    #[test]
    fn without_the_email_all_answers_come_before_the_code_and_none_after() {
        let seen = walk(
            &[
                E::IdentityProved,
                E::NoEmailAccess,
                E::AllAnswersGiven,
                E::NewEmailGiven,
                E::CodeAccepted,
                E::ClaveSet,
            ],
            FlowKind::Recovery,
            true,
        );
        assert_eq!(
            seen,
            vec![
                S::IdentityPending,
                S::ConfirmPending,
                S::AllAnswersPending,
                S::NewEmailPending,
                S::CodePending,
                S::PasswordPending,
                S::Done
            ]
        );
    }

    #[test]
    fn a_first_request_proves_identity_then_contact_then_chooses_questions() {
        let seen = walk(
            &[
                E::IdentityProved,
                E::ContactGiven,
                E::CodeAccepted,
                E::QuestionsChosen,
                E::ClaveSet,
            ],
            FlowKind::Request,
            true,
        );
        assert_eq!(
            seen,
            vec![
                S::IdentityPending,
                S::ContactPending,
                S::CodePending,
                S::ChooseQuestionsPending,
                S::PasswordPending,
                S::Done
            ]
        );
    }

    const EVENTS: [E; 11] = [
        E::IdentityProved,
        E::CodeRequested,
        E::NoEmailAccess,
        E::AllAnswersGiven,
        E::NewEmailGiven,
        E::ContactGiven,
        E::CodeAccepted,
        E::AnswersGiven,
        E::QuestionsChosen,
        E::ClaveSet,
        E::TooManyFailures,
    ];

    /// Which path an allowed move is on: the §2.1.1 path once the new
    /// address is given (`Replacing`), the others (`Keeping`), or both.
    #[derive(Clone, Copy, PartialEq)]
    enum On {
        Both,
        Keeping,
        Replacing,
    }

    fn only_these_are_allowed(kind: FlowKind, allowed: &[(S, E, On, S)]) {
        for s in FlowState::ALL {
            for e in EVENTS {
                for replacing in [false, true] {
                    let expected = allowed.iter().find(|(from, event, on, _)| {
                        (*from, *event) == (s, e)
                            && match on {
                                On::Both => true,
                                On::Keeping => !replacing,
                                On::Replacing => replacing,
                            }
                    });
                    assert_eq!(
                        s.after(e, kind, replacing),
                        expected.map(|a| a.3),
                        "{kind:?}: {s:?} + {e:?} (replacing: {replacing})"
                    );
                }
            }
        }
    }

    #[test]
    fn no_event_skips_a_recovery_step_or_leaves_an_end_state() {
        use On::*;
        only_these_are_allowed(
            FlowKind::Recovery,
            &[
                (
                    S::IdentityPending,
                    E::IdentityProved,
                    Both,
                    S::ConfirmPending,
                ),
                (S::ConfirmPending, E::CodeRequested, Both, S::CodePending),
                (
                    S::ConfirmPending,
                    E::NoEmailAccess,
                    Both,
                    S::AllAnswersPending,
                ),
                (
                    S::AllAnswersPending,
                    E::AllAnswersGiven,
                    Both,
                    S::NewEmailPending,
                ),
                (S::NewEmailPending, E::NewEmailGiven, Both, S::CodePending),
                (
                    S::CodePending,
                    E::CodeAccepted,
                    Keeping,
                    S::QuestionsPending,
                ),
                (
                    S::CodePending,
                    E::CodeAccepted,
                    Replacing,
                    S::PasswordPending,
                ),
                (
                    S::QuestionsPending,
                    E::AnswersGiven,
                    Both,
                    S::PasswordPending,
                ),
                (S::PasswordPending, E::ClaveSet, Both, S::Done),
                (S::IdentityPending, E::TooManyFailures, Both, S::Failed),
                (S::AllAnswersPending, E::TooManyFailures, Both, S::Failed),
                (S::QuestionsPending, E::TooManyFailures, Both, S::Failed),
                // Back from the code step to the registered address: a new
                // code to it, or the §2.1.1 path after all.
                (S::CodePending, E::CodeRequested, Keeping, S::CodePending),
                (
                    S::CodePending,
                    E::NoEmailAccess,
                    Keeping,
                    S::AllAnswersPending,
                ),
                // Back from the code step to correct the new address.
                (S::CodePending, E::NewEmailGiven, Replacing, S::CodePending),
            ],
        );
    }

    #[test]
    fn a_request_takes_none_of_the_recovery_steps() {
        use On::*;
        only_these_are_allowed(
            FlowKind::Request,
            &[
                (
                    S::IdentityPending,
                    E::IdentityProved,
                    Both,
                    S::ContactPending,
                ),
                (S::ContactPending, E::ContactGiven, Both, S::CodePending),
                (
                    S::CodePending,
                    E::CodeAccepted,
                    Both,
                    S::ChooseQuestionsPending,
                ),
                (
                    S::ChooseQuestionsPending,
                    E::QuestionsChosen,
                    Both,
                    S::PasswordPending,
                ),
                (S::PasswordPending, E::ClaveSet, Both, S::Done),
                (S::IdentityPending, E::TooManyFailures, Both, S::Failed),
                // Back from the code step to correct the address or phone.
                (S::CodePending, E::ContactGiven, Both, S::CodePending),
            ],
        );
    }

    #[test]
    fn only_the_code_step_goes_back_and_only_to_where_its_address_was_chosen() {
        // By hand: (kind, replacing) → the step the code page may go back to.
        for kind in [FlowKind::Recovery, FlowKind::Request] {
            for replacing in [false, true] {
                for s in FlowState::ALL {
                    let expected = match (kind, s, replacing) {
                        (FlowKind::Recovery, S::CodePending, false) => Some(S::ConfirmPending),
                        (FlowKind::Recovery, S::CodePending, true) => Some(S::NewEmailPending),
                        (FlowKind::Request, S::CodePending, _) => Some(S::ContactPending),
                        _ => None,
                    };
                    assert_eq!(s.correcting(kind, replacing), expected, "{kind:?} {s:?}");
                }
            }
        }
    }

    #[test]
    fn a_flow_at_the_code_step_may_show_the_step_it_corrects_and_no_other() {
        let at_code = |kind, replacing_email| FlowClock {
            kind,
            state: S::CodePending,
            replacing_email,
            expires_at: 1_000,
        };
        let request = at_code(FlowKind::Request, true);
        assert_eq!(request.check(S::ContactPending, 10), Ok(()));
        assert_eq!(request.check(S::CodePending, 10), Ok(()));
        assert_eq!(
            request.check(S::IdentityPending, 10),
            Err(FlowError::OutOfOrder {
                current: S::CodePending
            })
        );
        let recovery = at_code(FlowKind::Recovery, false);
        assert_eq!(recovery.check(S::ConfirmPending, 10), Ok(()));
        assert!(recovery.check(S::NewEmailPending, 10).is_err());
        let replacing = at_code(FlowKind::Recovery, true);
        assert_eq!(replacing.check(S::NewEmailPending, 10), Ok(()));
        assert!(replacing.check(S::ConfirmPending, 10).is_err());
        assert!(replacing.check(S::AllAnswersPending, 10).is_err());
        // Expiry still wins.
        assert_eq!(
            request.check(S::ContactPending, 1_000),
            Err(FlowError::Expired)
        );
    }

    #[test]
    fn every_state_has_a_page_in_its_own_flow() {
        for kind in [FlowKind::Recovery, FlowKind::Request] {
            assert_eq!(FlowKind::from_form(Some(kind.form_value())), kind);
            for s in FlowState::ALL {
                assert!(s.path(kind).starts_with(kind.home()), "{kind:?} {s:?}");
            }
        }
        assert_eq!(FlowKind::from_form(Some("otro")), FlowKind::Recovery);
        assert_eq!(FlowKind::Request.name(Lang::Es), "Solicitar clave");
        assert_eq!(FlowKind::Request.name(Lang::En), "Get a password");
        assert_eq!(FlowKind::from_form(None), FlowKind::Recovery);
    }

    #[test]
    fn a_later_step_cannot_be_posted_early() {
        let clock = FlowClock {
            kind: FlowKind::Recovery,
            state: S::IdentityPending,
            replacing_email: false,
            expires_at: 1_000,
        };
        assert_eq!(
            clock.check(S::CodePending, 10),
            Err(FlowError::OutOfOrder {
                current: S::IdentityPending
            })
        );
        assert_eq!(clock.check(S::IdentityPending, 10), Ok(()));
    }

    #[test]
    fn expiry_and_failure_win_over_everything() {
        let clock = FlowClock {
            kind: FlowKind::Recovery,
            state: S::IdentityPending,
            replacing_email: false,
            expires_at: 1_000,
        };
        assert_eq!(
            clock.check(S::IdentityPending, 1_000),
            Err(FlowError::Expired)
        );
        assert_eq!(clock.check(S::Done, 5_000), Err(FlowError::Expired));
        let failed = FlowClock {
            kind: FlowKind::Recovery,
            state: S::Failed,
            replacing_email: false,
            expires_at: 1_000,
        };
        assert_eq!(failed.check(S::Failed, 10), Err(FlowError::Expired));
        assert_eq!(idle_deadline(100, 900), 1_000);
    }
}
