//! The recovery flow as a state machine, persisted by the services layer.
//!
//! Each step may only be taken from the state just before it, and only while the
//! flow is within its idle timeout; the server checks both on every request, so
//! posting a later step early is refused instead of skipping ahead.
//!
//! Two paths share the machine (SPEC §2.1 and §2.1.1):
//! identity → confirm → code → questions → new clave → done, and, without access
//! to the registered e-mail, identity → confirm → all four answers → new e-mail
//! → code (to the new address) → new clave → done.

use serde::{Deserialize, Serialize};

/// Where a recovery flow stands: the step the user must complete next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecoveryState {
    /// Step 2: birth day and month.
    IdentityPending,
    /// Step 3: confirm masked name and e-mail.
    ConfirmPending,
    /// §2.1.1: all four security answers instead of the e-mail proof.
    AllAnswersPending,
    /// §2.1.1: the address the code (and later mail) goes to.
    NewEmailPending,
    /// Step 4: the e-mailed code.
    CodePending,
    /// Step 5: two security answers.
    QuestionsPending,
    /// Step 6: the new clave.
    PasswordPending,
    /// Step 7: finished; nothing more can be posted.
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
    CodeAccepted,
    AnswersGiven,
    ClaveSet,
    TooManyFailures,
}

impl RecoveryState {
    pub const ALL: [RecoveryState; 9] = [
        RecoveryState::IdentityPending,
        RecoveryState::ConfirmPending,
        RecoveryState::AllAnswersPending,
        RecoveryState::NewEmailPending,
        RecoveryState::CodePending,
        RecoveryState::QuestionsPending,
        RecoveryState::PasswordPending,
        RecoveryState::Done,
        RecoveryState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecoveryState::IdentityPending => "identity_pending",
            RecoveryState::ConfirmPending => "confirm_pending",
            RecoveryState::AllAnswersPending => "all_answers_pending",
            RecoveryState::NewEmailPending => "new_email_pending",
            RecoveryState::CodePending => "code_pending",
            RecoveryState::QuestionsPending => "questions_pending",
            RecoveryState::PasswordPending => "password_pending",
            RecoveryState::Done => "done",
            RecoveryState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<RecoveryState> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The state `event` leads to from here, or `None` when it is not allowed.
    /// `replacing_email` tells the §2.1.1 path apart once the code is accepted:
    /// its questions were already answered, all four of them.
    pub fn after(self, event: FlowEvent, replacing_email: bool) -> Option<RecoveryState> {
        use FlowEvent as E;
        use RecoveryState as S;
        match (self, event) {
            (S::Done | S::Failed, _) => None,
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
            (S::PasswordPending, E::ClaveSet) => Some(S::Done),
            _ => None,
        }
    }

    /// The page that serves this state, so reload and Back land where the flow is.
    pub fn path(self) -> &'static str {
        match self {
            RecoveryState::IdentityPending => "/recuperar/identidad",
            RecoveryState::ConfirmPending => "/recuperar/confirmar",
            RecoveryState::AllAnswersPending => "/recuperar/sin-correo",
            RecoveryState::NewEmailPending => "/recuperar/nuevo-correo",
            RecoveryState::CodePending => "/recuperar/codigo",
            RecoveryState::QuestionsPending => "/recuperar/preguntas",
            RecoveryState::PasswordPending => "/recuperar/nueva-clave",
            RecoveryState::Done => "/recuperar/listo",
            RecoveryState::Failed => "/recuperar/buscar",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowError {
    /// The idle timeout passed: the user must start again.
    Expired,
    /// The flow is not at the step being posted.
    OutOfOrder { current: RecoveryState },
}

/// The parts of a stored flow the rules look at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowClock {
    pub state: RecoveryState,
    pub expires_at: i64,
}

impl FlowClock {
    /// A step that expects the flow in `expected` may run at `now`.
    pub fn check(&self, expected: RecoveryState, now: i64) -> Result<(), FlowError> {
        if now >= self.expires_at || self.state == RecoveryState::Failed {
            return Err(FlowError::Expired);
        }
        if self.state != expected {
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

/// Failed identity checks or answers that end a flow (SPEC §4.2).
pub const MAX_FAILURES_PER_FLOW: i32 = 3;

#[cfg(test)]
mod tests {
    use super::*;
    use FlowEvent as E;
    use RecoveryState as S;

    #[test]
    fn states_round_trip_through_their_names() {
        for s in RecoveryState::ALL {
            assert_eq!(RecoveryState::parse(s.as_str()), Some(s));
        }
        assert_eq!(RecoveryState::parse("bogus"), None);
    }

    fn walk(events: &[E], replacing: bool) -> Vec<S> {
        let mut s = S::IdentityPending;
        let mut seen = vec![s];
        for e in events {
            s = s.after(*e, replacing).expect("allowed");
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
    fn no_event_skips_a_step_or_leaves_an_end_state() {
        // Every (state, event) pair not on the two paths above is refused.
        let allowed = [
            (S::IdentityPending, E::IdentityProved),
            (S::ConfirmPending, E::CodeRequested),
            (S::ConfirmPending, E::NoEmailAccess),
            (S::AllAnswersPending, E::AllAnswersGiven),
            (S::NewEmailPending, E::NewEmailGiven),
            (S::CodePending, E::CodeAccepted),
            (S::QuestionsPending, E::AnswersGiven),
            (S::PasswordPending, E::ClaveSet),
            (S::IdentityPending, E::TooManyFailures),
            (S::AllAnswersPending, E::TooManyFailures),
            (S::QuestionsPending, E::TooManyFailures),
        ];
        let events = [
            E::IdentityProved,
            E::CodeRequested,
            E::NoEmailAccess,
            E::AllAnswersGiven,
            E::NewEmailGiven,
            E::CodeAccepted,
            E::AnswersGiven,
            E::ClaveSet,
            E::TooManyFailures,
        ];
        for s in RecoveryState::ALL {
            for e in events {
                for replacing in [false, true] {
                    assert_eq!(
                        s.after(e, replacing).is_some(),
                        allowed.contains(&(s, e)),
                        "{s:?} + {e:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_later_step_cannot_be_posted_early() {
        let clock = FlowClock {
            state: S::IdentityPending,
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
            state: S::IdentityPending,
            expires_at: 1_000,
        };
        assert_eq!(
            clock.check(S::IdentityPending, 1_000),
            Err(FlowError::Expired)
        );
        assert_eq!(clock.check(S::Done, 5_000), Err(FlowError::Expired));
        let failed = FlowClock {
            state: S::Failed,
            expires_at: 1_000,
        };
        assert_eq!(failed.check(S::Failed, 10), Err(FlowError::Expired));
        assert_eq!(idle_deadline(100, 900), 1_000);
    }
}
