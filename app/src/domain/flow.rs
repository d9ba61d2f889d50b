//! The recovery flow as a state machine, persisted by the services layer.
//!
//! Each step may only be taken from the state just before it, and only while the
//! flow is within its idle timeout; the server checks both on every request, so
//! posting a later step early is refused instead of skipping ahead.

use serde::{Deserialize, Serialize};

/// Where a recovery flow stands: the step the user must complete next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RecoveryState {
    /// Step 2: birth day and month.
    IdentityPending,
    /// Step 3: confirm masked name and e-mail.
    ConfirmPending,
    /// Step 4: the e-mailed code.
    CodePending,
    /// Step 5: two security answers.
    QuestionsPending,
    /// Step 6: the new clave.
    PasswordPending,
    /// Step 7: finished; nothing more can be posted.
    Done,
}

impl RecoveryState {
    pub const ALL: [RecoveryState; 6] = [
        RecoveryState::IdentityPending,
        RecoveryState::ConfirmPending,
        RecoveryState::CodePending,
        RecoveryState::QuestionsPending,
        RecoveryState::PasswordPending,
        RecoveryState::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecoveryState::IdentityPending => "identity_pending",
            RecoveryState::ConfirmPending => "confirm_pending",
            RecoveryState::CodePending => "code_pending",
            RecoveryState::QuestionsPending => "questions_pending",
            RecoveryState::PasswordPending => "password_pending",
            RecoveryState::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<RecoveryState> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The state a successful submission of this step leads to.
    pub fn next(self) -> Option<RecoveryState> {
        let i = Self::ALL.iter().position(|s| *s == self)?;
        Self::ALL.get(i + 1).copied()
    }

    /// The page that serves this state, so reload and Back land where the flow is.
    pub fn path(self) -> &'static str {
        match self {
            RecoveryState::IdentityPending => "/recuperar/identidad",
            RecoveryState::ConfirmPending => "/recuperar/confirmar",
            RecoveryState::CodePending => "/recuperar/codigo",
            RecoveryState::QuestionsPending => "/recuperar/preguntas",
            RecoveryState::PasswordPending => "/recuperar/nueva-clave",
            RecoveryState::Done => "/recuperar/listo",
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
        if now >= self.expires_at {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_their_names() {
        for s in RecoveryState::ALL {
            assert_eq!(RecoveryState::parse(s.as_str()), Some(s));
        }
        assert_eq!(RecoveryState::parse("bogus"), None);
    }

    #[test]
    fn steps_follow_the_spec_order() {
        let mut s = RecoveryState::IdentityPending;
        let mut seen = vec![s];
        while let Some(n) = s.next() {
            seen.push(n);
            s = n;
        }
        assert_eq!(seen, RecoveryState::ALL.to_vec());
        assert_eq!(RecoveryState::Done.next(), None);
    }

    #[test]
    fn a_later_step_cannot_be_posted_early() {
        let clock = FlowClock {
            state: RecoveryState::IdentityPending,
            expires_at: 1_000,
        };
        assert_eq!(
            clock.check(RecoveryState::CodePending, 10),
            Err(FlowError::OutOfOrder {
                current: RecoveryState::IdentityPending
            })
        );
        assert_eq!(clock.check(RecoveryState::IdentityPending, 10), Ok(()));
    }

    #[test]
    fn expiry_wins_over_everything() {
        let clock = FlowClock {
            state: RecoveryState::IdentityPending,
            expires_at: 1_000,
        };
        assert_eq!(
            clock.check(RecoveryState::IdentityPending, 1_000),
            Err(FlowError::Expired)
        );
        assert_eq!(
            clock.check(RecoveryState::Done, 5_000),
            Err(FlowError::Expired)
        );
        assert_eq!(idle_deadline(100, 900), 1_000);
    }
}
