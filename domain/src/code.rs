//! The e-mailed verification code of step 4 (SPEC §4.2): 6 digits from a
//! CSPRNG, valid 3 minutes, single use, killed by 5 wrong tries, resent only
//! after a cool-down.
//!
//! This module holds the rules only. Storing the keyed hash, comparing it in
//! constant time and counting sends per hour belong to the services layer,
//! which feeds the results into [`check`] and [`resend_allowed`].

use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Digits in a code.
pub const CODE_DIGITS: usize = 6;
/// Seconds a code stays valid after it is sent.
pub const CODE_LIFETIME_SECS: i64 = 180;
/// Wrong tries that kill a code: the 5th wrong try is the last one.
pub const MAX_WRONG_TRIES: i32 = 5;

/// Number of distinct codes, 10^CODE_DIGITS.
#[cfg(feature = "server")]
const CODE_SPACE: u32 = 1_000_000;
#[cfg(feature = "server")]
const _: () = assert!(10u32.pow(CODE_DIGITS as u32) == CODE_SPACE);

/// A freshly generated code, to be e-mailed once and stored only as a hash.
#[derive(Clone, PartialEq, Eq)]
pub struct VerificationCode(String);

impl VerificationCode {
    /// A uniformly random code from the operating system's CSPRNG,
    /// zero-padded (`"004217"` is as likely as any other).
    #[cfg(feature = "server")]
    pub fn generate() -> VerificationCode {
        use rand::Rng;
        let n: u32 = rand::rngs::OsRng.gen_range(0..CODE_SPACE);
        VerificationCode(format!("{n:0width$}", width = CODE_DIGITS))
    }

    /// The 6 ASCII digits, for the e-mail and the keyed hash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Redacted, so a stray `{:?}` in a log line cannot leak a live code.
impl fmt::Debug for VerificationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VerificationCode(******)")
    }
}

/// Why what the user typed is not a code at all (before any comparison).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeInputError {
    /// Nothing left after removing spaces and separators.
    Empty,
    /// Something other than digits.
    NotDigits,
    /// Digits only, but not 6 of them.
    WrongLength,
}

impl CodeInputError {
    pub fn message(&self, lang: Lang) -> &'static str {
        match self {
            CodeInputError::Empty => lang.pick(
                "Escriba el código de 6 dígitos que le enviamos por correo.",
                "Enter the 6-digit code we sent you by e-mail.",
            ),
            CodeInputError::NotDigits => lang.pick(
                "El código solo tiene números. Escriba los 6 dígitos que le enviamos por correo.",
                "The code only has digits. Enter the 6 digits we sent you by e-mail.",
            ),
            CodeInputError::WrongLength => lang.pick(
                "El código tiene 6 dígitos. Revise el correo y escríbalos todos.",
                "The code has 6 digits. Check the e-mail and enter all of them.",
            ),
        }
    }
}

/// The Spanish message (for logs and `?`); pages use [`CodeInputError::message`].
impl fmt::Display for CodeInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Lang::Es))
    }
}

impl std::error::Error for CodeInputError {}

/// Turns what people type or paste ("123 456", "123-456", "１２３４５６",
/// " 123456\u{200b}") into the 6 ASCII digits.
///
/// Removes whitespace (including no-break and zero-width spaces), hyphens and
/// dashes, and dots; maps fullwidth digits to ASCII. Anything else left over
/// is [`CodeInputError::NotDigits`].
pub fn parse_input(input: &str) -> Result<String, CodeInputError> {
    let mut digits = String::with_capacity(CODE_DIGITS);
    let mut count = 0usize;
    for c in input.chars() {
        if is_separator(c) {
            continue;
        }
        let d = match c {
            '0'..='9' => c,
            // Fullwidth digits, from Asian keyboards and some phone keyboards.
            '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
            _ => return Err(CodeInputError::NotDigits),
        };
        count += 1;
        // Keep counting but stop storing: a huge paste must not grow the string.
        if count <= CODE_DIGITS {
            digits.push(d);
        }
    }
    match count {
        0 => Err(CodeInputError::Empty),
        CODE_DIGITS => Ok(digits),
        _ => Err(CodeInputError::WrongLength),
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            // zero-width characters that mail clients and chat apps insert
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            // hyphen-minus, hyphens and dashes, minus sign, small and fullwidth hyphen-minus
            | '-' | '\u{2010}'
                ..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}'
            // full stop, middle dot, one-dot leader, ideographic and fullwidth full stop
            | '.' | '\u{00B7}' | '\u{2024}' | '\u{3002}' | '\u{FF0E}'
        )
}

/// The moment a code sent at `sent_at` stops being valid (unix seconds).
pub fn expires_at(sent_at: i64) -> i64 {
    sent_at.saturating_add(CODE_LIFETIME_SECS)
}

/// Whole seconds a code has left (0 once expired), for the step's clock.
pub fn seconds_left(expires_at: i64, now: i64) -> i64 {
    expires_at.saturating_sub(now).max(0)
}

/// What the database holds about a code, minus the hash itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoredCode {
    /// Unix seconds; the code is valid while `now < expires_at`.
    pub expires_at: i64,
    /// Wrong tries recorded so far.
    pub wrong_tries: i32,
    /// Already accepted once.
    pub used: bool,
    /// Replaced by a newer code, or its flow ended.
    pub voided: bool,
}

/// Why a code can no longer be accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeDeadReason {
    Expired,
    TooManyTries,
    Used,
    Voided,
}

/// The verdict on one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodeOutcome {
    /// Right digits on a live code: mark it used and move on.
    Accepted,
    /// Wrong digits on a live code: record one more wrong try.
    /// `tries_left == 0` means this try killed the code.
    Wrong { tries_left: i32 },
    /// The code is dead; the user needs a new one.
    Dead(CodeDeadReason),
}

/// Decides one attempt. `matches` is the constant-time comparison of the
/// keyed hashes, done by the caller.
///
/// A dead code is refused even with the right digits, so the checks for
/// death come first: used, voided, expired (`now >= expires_at`), too many
/// wrong tries.
pub fn check(stored: &StoredCode, matches: bool, now: i64) -> CodeOutcome {
    if stored.used {
        return CodeOutcome::Dead(CodeDeadReason::Used);
    }
    if stored.voided {
        return CodeOutcome::Dead(CodeDeadReason::Voided);
    }
    if now >= stored.expires_at {
        return CodeOutcome::Dead(CodeDeadReason::Expired);
    }
    if stored.wrong_tries >= MAX_WRONG_TRIES {
        return CodeOutcome::Dead(CodeDeadReason::TooManyTries);
    }
    if matches {
        return CodeOutcome::Accepted;
    }
    // Counting this try; a negative stored count (never written by us) is
    // treated as zero rather than granting extra tries.
    let tried = stored.wrong_tries.max(0) + 1;
    CodeOutcome::Wrong {
        tries_left: MAX_WRONG_TRIES - tried,
    }
}

/// Whether a new code may be sent now, given when the last one was sent.
/// `Err` carries the whole seconds still to wait (at most `cooldown_secs`,
/// even if the clock went backwards).
pub fn resend_allowed(last_sent_at: i64, now: i64, cooldown_secs: i64) -> Result<(), i64> {
    // A zero or negative cool-down (a test setting) means no waiting.
    let cooldown = cooldown_secs.max(0);
    let ready_at = last_sent_at.saturating_add(cooldown);
    if cooldown == 0 || now >= ready_at {
        Ok(())
    } else {
        Err(ready_at.saturating_sub(now).min(cooldown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SENT: i64 = 1_700_000_000;

    fn live(wrong_tries: i32) -> StoredCode {
        StoredCode {
            expires_at: expires_at(SENT),
            wrong_tries,
            used: false,
            voided: false,
        }
    }

    #[test]
    fn numbers_match_the_spec() {
        assert_eq!(CODE_DIGITS, 6);
        assert_eq!(CODE_LIFETIME_SECS, 3 * 60);
        assert_eq!(MAX_WRONG_TRIES, 5);
    }

    #[cfg(feature = "server")]
    #[test]
    fn generated_codes_are_six_ascii_digits_and_vary() {
        let codes: Vec<VerificationCode> =
            (0..2000).map(|_| VerificationCode::generate()).collect();
        for c in &codes {
            assert_eq!(c.as_str().len(), CODE_DIGITS);
            assert!(c.as_str().bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(parse_input(c.as_str()).as_deref(), Ok(c.as_str()));
        }
        let distinct: std::collections::HashSet<&str> = codes.iter().map(|c| c.as_str()).collect();
        // 2000 draws from a million: a handful of collisions at most.
        assert!(
            distinct.len() > 1990,
            "only {} distinct codes",
            distinct.len()
        );
        // Leading zeros are kept: about 10 % of codes start with 0.
        let zeros = codes.iter().filter(|c| c.as_str().starts_with('0')).count();
        assert!((100..=300).contains(&zeros), "{zeros} codes start with 0");
    }

    #[test]
    fn debug_does_not_print_the_code() {
        let code = VerificationCode("123456".to_owned());
        assert!(!format!("{code:?}").contains("123456"));
    }

    #[test]
    fn parse_accepts_typed_and_pasted_forms() {
        for input in [
            "123456",
            " 123456 ",
            "123 456",
            "123-456",
            "12.34.56",
            "1 2 3 4 5 6",
            "１２３４５６",
            "123\u{a0}456",
            "123\u{2013}456",
            "\u{200b}123456\u{feff}",
            "\t123456\n",
        ] {
            assert_eq!(parse_input(input).as_deref(), Ok("123456"), "{input:?}");
        }
        assert_eq!(parse_input("000000").as_deref(), Ok("000000"));
    }

    #[test]
    fn parse_errors() {
        assert_eq!(parse_input(""), Err(CodeInputError::Empty));
        assert_eq!(parse_input("  - . "), Err(CodeInputError::Empty));
        assert_eq!(parse_input("12345a"), Err(CodeInputError::NotDigits));
        assert_eq!(
            parse_input("Código: 123456"),
            Err(CodeInputError::NotDigits)
        );
        assert_eq!(parse_input("١٢٣٤٥٦"), Err(CodeInputError::NotDigits));
        assert_eq!(parse_input("12345"), Err(CodeInputError::WrongLength));
        assert_eq!(parse_input("1234567"), Err(CodeInputError::WrongLength));
        assert_eq!(
            parse_input(&"1".repeat(10_000)),
            Err(CodeInputError::WrongLength)
        );
    }

    #[test]
    fn every_error_has_a_message_in_both_languages() {
        for e in [
            CodeInputError::Empty,
            CodeInputError::NotDigits,
            CodeInputError::WrongLength,
        ] {
            for lang in Lang::ALL {
                assert!(e.message(lang).contains('6'), "{e:?}");
                assert!(e.message(lang).ends_with('.'));
            }
        }
        assert_eq!(
            CodeInputError::Empty.message(Lang::En),
            "Enter the 6-digit code we sent you by e-mail."
        );
    }

    #[test]
    fn three_minute_boundary() {
        assert_eq!(expires_at(SENT), SENT + 180);
        let c = live(0);
        assert_eq!(check(&c, true, SENT), CodeOutcome::Accepted);
        assert_eq!(check(&c, true, SENT + 179), CodeOutcome::Accepted);
        assert_eq!(
            check(&c, true, SENT + 180),
            CodeOutcome::Dead(CodeDeadReason::Expired)
        );
        assert_eq!(
            check(&c, false, SENT + 180),
            CodeOutcome::Dead(CodeDeadReason::Expired)
        );
        assert_eq!(seconds_left(c.expires_at, SENT), 180);
        assert_eq!(seconds_left(c.expires_at, SENT + 179), 1);
        assert_eq!(seconds_left(c.expires_at, SENT + 180), 0);
        assert_eq!(seconds_left(c.expires_at, SENT + 999), 0);
    }

    #[test]
    fn wrong_tries_count_down_and_the_fifth_kills() {
        let now = SENT + 10;
        assert_eq!(
            check(&live(0), false, now),
            CodeOutcome::Wrong { tries_left: 4 }
        );
        assert_eq!(
            check(&live(1), false, now),
            CodeOutcome::Wrong { tries_left: 3 }
        );
        assert_eq!(
            check(&live(3), false, now),
            CodeOutcome::Wrong { tries_left: 1 }
        );
        // 5th wrong try: still judged, and it is the last.
        assert_eq!(
            check(&live(4), false, now),
            CodeOutcome::Wrong { tries_left: 0 }
        );
        // After 4 wrong tries the right code still works.
        assert_eq!(check(&live(4), true, now), CodeOutcome::Accepted);
        // 6th try: dead, even with the right digits.
        assert_eq!(
            check(&live(5), false, now),
            CodeOutcome::Dead(CodeDeadReason::TooManyTries)
        );
        assert_eq!(
            check(&live(5), true, now),
            CodeOutcome::Dead(CodeDeadReason::TooManyTries)
        );
        assert_eq!(
            check(&live(6), true, now),
            CodeOutcome::Dead(CodeDeadReason::TooManyTries)
        );
    }

    #[test]
    fn used_and_voided_codes_never_accept() {
        let now = SENT + 10;
        let used = StoredCode {
            used: true,
            ..live(0)
        };
        let voided = StoredCode {
            voided: true,
            ..live(0)
        };
        assert_eq!(
            check(&used, true, now),
            CodeOutcome::Dead(CodeDeadReason::Used)
        );
        assert_eq!(
            check(&voided, true, now),
            CodeOutcome::Dead(CodeDeadReason::Voided)
        );
        // Order: used, voided, expired, too many tries.
        let all = StoredCode {
            expires_at: SENT,
            wrong_tries: 9,
            used: true,
            voided: true,
        };
        assert_eq!(
            check(&all, true, now),
            CodeOutcome::Dead(CodeDeadReason::Used)
        );
        let not_used = StoredCode { used: false, ..all };
        assert_eq!(
            check(&not_used, true, now),
            CodeOutcome::Dead(CodeDeadReason::Voided)
        );
        let live_flags = StoredCode {
            voided: false,
            ..not_used
        };
        assert_eq!(
            check(&live_flags, true, now),
            CodeOutcome::Dead(CodeDeadReason::Expired)
        );
    }

    #[test]
    fn negative_try_counts_grant_no_extra_tries() {
        assert_eq!(
            check(&live(-100), false, SENT),
            CodeOutcome::Wrong { tries_left: 4 }
        );
        assert_eq!(
            check(&live(i32::MIN), false, SENT),
            CodeOutcome::Wrong { tries_left: 4 }
        );
    }

    #[test]
    fn resend_cooldown_boundary() {
        assert_eq!(resend_allowed(SENT, SENT, 45), Err(45));
        assert_eq!(resend_allowed(SENT, SENT + 1, 45), Err(44));
        assert_eq!(resend_allowed(SENT, SENT + 44, 45), Err(1));
        assert_eq!(resend_allowed(SENT, SENT + 45, 45), Ok(()));
        assert_eq!(resend_allowed(SENT, SENT + 46, 45), Ok(()));
        assert_eq!(resend_allowed(SENT, SENT + 30, 30), Ok(()));
        assert_eq!(resend_allowed(SENT, SENT + 59, 60), Err(1));
        // A clock that went backwards never asks for more than the cool-down.
        assert_eq!(resend_allowed(SENT, SENT - 1000, 60), Err(60));
        assert_eq!(resend_allowed(SENT, SENT, 0), Ok(()));
        assert_eq!(resend_allowed(SENT, SENT - 5, 0), Ok(()));
        assert_eq!(resend_allowed(SENT, SENT, -10), Ok(()));
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_returns_six_ascii_digits(s in any::<String>()) {
            if let Ok(code) = parse_input(&s) {
                prop_assert_eq!(code.len(), CODE_DIGITS);
                prop_assert!(code.bytes().all(|b| b.is_ascii_digit()));
            }
        }

        #[test]
        fn separators_do_not_change_a_code(
            digits in "[0-9]{6}",
            seps in proptest::collection::vec("[ .\\-\u{a0}\u{2013}]{0,2}", 7),
        ) {
            let mut typed = String::new();
            for (i, d) in digits.chars().enumerate() {
                typed.push_str(&seps[i]);
                typed.push(d);
            }
            typed.push_str(&seps[6]);
            prop_assert_eq!(parse_input(&typed), Ok(digits));
        }

        #[test]
        fn check_never_panics_and_dead_codes_never_accept(
            expires in any::<i64>(),
            tries in any::<i32>(),
            used in any::<bool>(),
            voided in any::<bool>(),
            matches in any::<bool>(),
            now in any::<i64>(),
        ) {
            let stored = StoredCode { expires_at: expires, wrong_tries: tries, used, voided };
            let outcome = check(&stored, matches, now);
            let dead = used || voided || now >= expires || tries >= MAX_WRONG_TRIES;
            prop_assert_eq!(matches!(outcome, CodeOutcome::Dead(_)), dead);
            if let CodeOutcome::Wrong { tries_left } = outcome {
                prop_assert!((0..MAX_WRONG_TRIES).contains(&tries_left));
            }
        }

        #[test]
        fn resend_never_panics(last in any::<i64>(), now in any::<i64>(), cd in any::<i64>()) {
            if let Err(wait) = resend_allowed(last, now, cd) {
                prop_assert!((1..=cd.max(1)).contains(&wait));
            }
        }
    }
}
