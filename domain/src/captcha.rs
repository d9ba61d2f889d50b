//! Self-hosted proof-of-work captcha speaking the ALTCHA v1 wire format.
//!
//! # Wire format
//!
//! The server issues a [`Challenge`]:
//!
//! * `salt` = 32 lowercase hex characters (16 random bytes) followed by a
//!   query string: `?expires=<unix seconds>&`, optionally followed by more
//!   `key=value&` pairs (this module uses `bind=<binding>&` to tie a challenge
//!   to one form). The salt always ends with `&`.
//! * `number` is a secret, uniformly random integer in `1..=maxnumber`.
//! * `challenge` = lowercase hex of `SHA-256(salt bytes ‖ ASCII decimal of number)`.
//! * `signature` = lowercase hex of `HMAC-SHA-256(server secret, challenge)`,
//!   where the HMAC message is the *hex string* of the challenge, not the raw
//!   digest.
//!
//! It is sent to the browser as JSON:
//! `{"algorithm":"SHA-256","challenge":…,"maxnumber":…,"salt":…,"signature":…}`.
//! `number` itself is never sent; the browser recovers it by brute force
//! (see [`Solver`]), which is the work being proven.
//!
//! The browser answers with standard base64 (with padding) of the JSON
//! [`Solution`] `{"algorithm","challenge","number","salt","signature","took"}`.
//! `verify` checks the algorithm, the salt's parameters (expiry and
//! optional binding), recomputes the challenge from `salt` and `number`, and
//! recomputes the signature. Both comparisons run in constant time. The
//! signature proves that the server issued exactly this challenge, and since
//! the challenge is a hash of `salt ‖ number`, it also vouches for the salt
//! (and therefore for the expiry written inside it).
//!
//! Single use is **not** enforced here: the caller must record the returned
//! `Verified::signature` (kept at least until `Verified::expires_unix`)
//! and reject it when seen again.
//!
//! # Why the salt must end with `&`
//!
//! The hash input is the plain concatenation of the salt and the digits of
//! the number, with no separator. If the salt ended with the expiry digits
//! (`…?expires=1767225600`), the boundary between "salt" and "number" would
//! be ambiguous: a client holding a solved challenge with number `48213`
//! could resubmit it as salt `…?expires=17672256004821` and number `3`. The
//! concatenated bytes, and therefore the challenge and the server signature,
//! would be identical, yet the expiry would now lie far in the future, so an
//! old solution could be replayed forever (this is the ALTCHA replay
//! advisory, CVE-2025-68113). Requiring the salt to end with `&`, a byte that
//! can never appear in a decimal number, pins the boundary: the only way to
//! split `salt ‖ number` so that the left part ends with `&` and the right
//! part is all digits is the original split. `verify` therefore rejects any
//! salt that does not end with `&` before looking at anything else inside it.
//!
//! # Features
//!
//! Issuing and verifying challenges needs a secret, HMAC, constant-time
//! comparison and randomness, so `build_challenge`, `new_challenge`,
//! `verify` and `Verified` only exist with the `ssr` feature. The data
//! types, the payload encoding, [`expires_of`] and the solver are plain and
//! also compile for `wasm32-unknown-unknown`.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The only hash algorithm this module issues and accepts.
pub const ALGORITHM: &str = "SHA-256";

/// Upper bound on the length of an incoming base64 payload. Legitimate
/// payloads are a few hundred bytes; anything larger is rejected before
/// decoding.
const MAX_PAYLOAD_LEN: usize = 8 * 1024;

/// A `u64` has at most 20 decimal digits.
const MAX_DIGITS: usize = 20;

/// Base64 decoding configuration that accepts input with or without padding.
const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);

/// Challenge sent to the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    pub algorithm: String,
    pub challenge: String,
    pub maxnumber: u64,
    pub salt: String,
    pub signature: String,
}

/// Solved challenge sent back by the browser (base64 of its JSON form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solution {
    pub algorithm: String,
    pub challenge: String,
    pub number: u64,
    pub salt: String,
    pub signature: String,
    /// Milliseconds the client spent solving. Informational only; defaults
    /// to 0 when absent.
    #[serde(default)]
    pub took: u64,
}

impl Solution {
    /// Builds a solution for `challenge` with the found `number`.
    pub fn new(challenge: &Challenge, number: u64, took: u64) -> Solution {
        Solution {
            algorithm: challenge.algorithm.clone(),
            challenge: challenge.challenge.clone(),
            number,
            salt: challenge.salt.clone(),
            signature: challenge.signature.clone(),
            took,
        }
    }

    /// Encodes the solution as standard base64 (with padding) of its JSON.
    pub fn to_payload(&self) -> String {
        let json = serde_json::to_vec(self).expect("serializing strings and integers cannot fail");
        base64::engine::general_purpose::STANDARD.encode(json)
    }

    /// Decodes a payload produced by [`Solution::to_payload`] (or by an ALTCHA
    /// widget). Surrounding whitespace is ignored; padded and unpadded
    /// input, in the standard or the URL-safe alphabet, is accepted.
    pub fn from_payload(s: &str) -> Result<Solution, CaptchaError> {
        let s = s.trim();
        if s.is_empty() || s.len() > MAX_PAYLOAD_LEN {
            return Err(CaptchaError::Malformed);
        }
        let engine = if s.bytes().any(|b| b == b'-' || b == b'_') {
            &URL_SAFE_LENIENT
        } else {
            &STANDARD_LENIENT
        };
        let json = engine.decode(s).map_err(|_| CaptchaError::Malformed)?;
        serde_json::from_slice(&json).map_err(|_| CaptchaError::Malformed)
    }
}

/// Reasons a captcha payload is rejected, in the order `verify` checks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaptchaError {
    /// Not base64, not the expected JSON, too long, or a salt query string
    /// that does not consist of `key=value` pairs (or repeats a known key).
    #[error("malformed captcha payload")]
    Malformed,
    /// The algorithm is not exactly `SHA-256`.
    #[error("unsupported captcha algorithm")]
    Algorithm,
    /// The salt does not end with `&` (see the module docs).
    #[error("captcha salt does not end with '&'")]
    MissingAmpersand,
    /// The salt has no `expires` parameter, or its value is not a
    /// non-negative decimal integer.
    #[error("captcha salt has no valid expiry")]
    MissingExpiry,
    /// The expiry is not in the future.
    #[error("captcha challenge expired")]
    Expired,
    /// The salt's `bind` parameter does not match the expected binding.
    #[error("captcha challenge was issued for another form")]
    Binding,
    /// `SHA-256(salt ‖ number)` differs from the submitted challenge.
    #[error("captcha solution does not match the challenge")]
    ChallengeMismatch,
    /// The signature was not produced by this server's secret for this challenge.
    #[error("captcha signature is invalid")]
    BadSignature,
}

/// Writes the ASCII decimal form of `n` into the end of `buf` and returns the
/// written digits, without allocating.
fn write_decimal(mut n: u64, buf: &mut [u8; MAX_DIGITS]) -> &[u8] {
    let mut start = MAX_DIGITS;
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[start..]
}

/// Finds `n` in `0..=maxnumber` such that
/// `hex(SHA-256(salt ‖ n)) == challenge.challenge`. Returns `None` if the
/// challenge hex is invalid or no such number exists.
pub fn solve(challenge: &Challenge) -> Option<u64> {
    let solver = Solver::new(challenge)?;
    solver.search_inclusive(0, solver.maxnumber)
}

/// Resumable solver. The salt is absorbed once into a SHA-256 state which is
/// cloned for each candidate, and candidates are compared as raw digests
/// against the decoded challenge, so the hot loop never allocates.
#[derive(Clone, Debug)]
pub struct Solver {
    salted: Sha256,
    target: [u8; 32],
    maxnumber: u64,
}

impl Solver {
    /// Prepares a solver. Returns `None` if `challenge.challenge` is not
    /// 64 hex characters.
    pub fn new(challenge: &Challenge) -> Option<Solver> {
        let mut target = [0u8; 32];
        hex::decode_to_slice(&challenge.challenge, &mut target).ok()?;
        let mut salted = Sha256::new();
        salted.update(challenge.salt.as_bytes());
        Some(Solver {
            salted,
            target,
            maxnumber: challenge.maxnumber,
        })
    }

    /// Checks the candidates in `[start, end)`, with `end` clamped to
    /// `maxnumber + 1`, and returns the matching number if it is among them.
    /// Meant to be called in chunks (e.g. `[0, k)`, `[k, 2k)`, …) so the
    /// browser can yield between them.
    pub fn search(&self, start: u64, end: u64) -> Option<u64> {
        let last = end.checked_sub(1)?.min(self.maxnumber);
        if start > last {
            return None;
        }
        self.search_inclusive(start, last)
    }

    /// The largest candidate this solver will try.
    pub fn maxnumber(&self) -> u64 {
        self.maxnumber
    }

    /// Checks `first..=last`; requires `first <= last`.
    fn search_inclusive(&self, first: u64, last: u64) -> Option<u64> {
        let mut digits = [0u8; MAX_DIGITS];
        let mut n = first;
        loop {
            let mut hasher = self.salted.clone();
            hasher.update(write_decimal(n, &mut digits));
            if hasher.finalize().as_slice() == self.target {
                return Some(n);
            }
            if n >= last {
                return None;
            }
            n += 1;
        }
    }
}

/// `SHA-256(salt ‖ decimal(number))`.
#[cfg(feature = "server")]
fn challenge_digest(salt: &str, number: u64) -> [u8; 32] {
    let mut digits = [0u8; MAX_DIGITS];
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update(write_decimal(number, &mut digits));
    hasher.finalize().into()
}

/// Lowercase hex of `HMAC-SHA-256(secret, challenge_hex)`.
#[cfg(feature = "server")]
fn sign(secret: &[u8], challenge_hex: &str) -> String {
    use hmac::Mac as _;
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(secret)
        .expect("HMAC-SHA-256 accepts keys of any length");
    mac.update(challenge_hex.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Deterministic core of challenge creation, used by `new_challenge` and by
/// tests. It does not validate `salt`: a salt without the trailing `&` or
/// without `expires` yields a challenge that `verify` will always reject.
#[cfg(feature = "server")]
pub fn build_challenge(secret: &[u8], salt: &str, number: u64, maxnumber: u64) -> Challenge {
    let challenge = hex::encode(challenge_digest(salt, number));
    let signature = sign(secret, &challenge);
    Challenge {
        algorithm: ALGORITHM.to_owned(),
        challenge,
        maxnumber,
        salt: salt.to_owned(),
        signature,
    }
}

/// Percent-encodes every byte outside the URL "unreserved" set
/// (`A-Z a-z 0-9 - . _ ~`), so a value can never inject `&`, `=` or `?`
/// into the salt's query string.
#[cfg(feature = "server")]
fn encode_param(value: &str) -> String {
    const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// Issues a fresh challenge: 16 random salt bytes, `expires=<expires_unix>`,
/// and a secret number drawn uniformly from `1..=maxnumber` (a `maxnumber`
/// of 0 is treated as 1).
///
/// `binding`, if given, is appended as `bind=<binding>&` so that `verify`
/// can require the solution to come from the same form. Bindings should be
/// URL-safe identifiers (`A-Z a-z 0-9 - . _ ~`), which appear verbatim; any
/// other byte is percent-encoded (and `verify` encodes the expected
/// binding the same way), so a binding can never inject extra parameters.
#[cfg(feature = "server")]
pub fn new_challenge(
    secret: &[u8],
    maxnumber: u64,
    expires_unix: i64,
    binding: Option<&str>,
) -> Challenge {
    use rand::{Rng as _, RngCore as _};
    let mut rng = rand::thread_rng();
    let mut random = [0u8; 16];
    rng.fill_bytes(&mut random);
    let mut salt = format!("{}?expires={}&", hex::encode(random), expires_unix);
    if let Some(binding) = binding {
        salt.push_str("bind=");
        salt.push_str(&encode_param(binding));
        salt.push('&');
    }
    let maxnumber = maxnumber.max(1);
    let number = rng.gen_range(1..=maxnumber);
    build_challenge(secret, &salt, number, maxnumber)
}

/// A successfully verified solution.
#[cfg(feature = "server")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Canonical (lowercase hex) signature of the challenge. It is unique per
    /// issued challenge, so the caller should store it and reject repeats.
    pub signature: String,
    /// Expiry taken from the salt; the stored signature may be forgotten
    /// after this time, since `verify` rejects the payload from then on.
    pub expires_unix: i64,
}

/// Parameters read from the salt's query string.
struct SaltParams<'a> {
    expires_unix: i64,
    /// Only read by `verify`.
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    flow: Option<&'a str>,
}

/// Expiry (unix seconds) written in a salt, if the salt is well formed (ends
/// with `&` and carries a valid `expires`). Lets the browser renew a solution
/// before it lapses. This reads untrusted text: only `verify` vouches for it.
pub fn expires_of(salt: &str) -> Option<i64> {
    parse_salt(salt).ok().map(|params| params.expires_unix)
}

/// Parses the part of the salt after the first `?` as `key=value&` pairs.
/// Unknown keys are ignored (they are covered by the signature anyway).
fn parse_salt(salt: &str) -> Result<SaltParams<'_>, CaptchaError> {
    let body = salt
        .strip_suffix('&')
        .ok_or(CaptchaError::MissingAmpersand)?;
    let (_, query) = body.split_once('?').ok_or(CaptchaError::MissingExpiry)?;
    let mut expires = None;
    let mut flow = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').ok_or(CaptchaError::Malformed)?;
        match key {
            "expires" => {
                if expires.is_some() {
                    return Err(CaptchaError::Malformed);
                }
                expires = Some(parse_unix(value).ok_or(CaptchaError::MissingExpiry)?);
            }
            "bind" => {
                if flow.is_some() {
                    return Err(CaptchaError::Malformed);
                }
                flow = Some(value);
            }
            _ => {}
        }
    }
    Ok(SaltParams {
        expires_unix: expires.ok_or(CaptchaError::MissingExpiry)?,
        flow,
    })
}

/// Parses a non-negative decimal integer made of ASCII digits only.
fn parse_unix(value: &str) -> Option<i64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// Verifies a base64 payload submitted by the browser.
///
/// Checks, in order: payload decoding, algorithm, trailing `&`, presence and
/// syntax of `expires`, `expires > now_unix`, the binding (only if
/// `expected_binding` is `Some`: the salt's `bind` must then equal it),
/// the recomputed challenge, and the signature. The challenge and
/// signature must be in canonical lowercase hex, so that one issued
/// challenge has exactly one accepted signature string.
///
/// On success the caller must still enforce single use by recording
/// `Verified::signature`.
#[cfg(feature = "server")]
pub fn verify(
    secret: &[u8],
    payload: &str,
    now_unix: i64,
    expected_binding: Option<&str>,
) -> Result<Verified, CaptchaError> {
    use subtle::ConstantTimeEq as _;

    let solution = Solution::from_payload(payload)?;
    if solution.algorithm != ALGORITHM {
        return Err(CaptchaError::Algorithm);
    }
    let params = parse_salt(&solution.salt)?;
    if params.expires_unix <= now_unix {
        return Err(CaptchaError::Expired);
    }
    if let Some(expected) = expected_binding {
        if params.flow != Some(encode_param(expected).as_str()) {
            return Err(CaptchaError::Binding);
        }
    }

    let challenge = hex::encode(challenge_digest(&solution.salt, solution.number));
    if !bool::from(challenge.as_bytes().ct_eq(solution.challenge.as_bytes())) {
        return Err(CaptchaError::ChallengeMismatch);
    }
    let signature = sign(secret, &challenge);
    if !bool::from(signature.as_bytes().ct_eq(solution.signature.as_bytes())) {
        return Err(CaptchaError::BadSignature);
    }
    Ok(Verified {
        signature,
        expires_unix: params.expires_unix,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTOR_SALT: &str = "2b6f0c1e9a4d7f3b5c8e1a02?expires=1767225600&";
    const VECTOR_NUMBER: u64 = 48213;
    #[cfg(feature = "server")]
    const VECTOR_KEY: &[u8] = b"test-hmac-key";
    const VECTOR_CHALLENGE: &str =
        "9f821090191c1f9e3d3bc0da053796d6b35166af6e7ab120dda8a23016692b71";
    const VECTOR_SIGNATURE: &str =
        "a6303f6f08cf9c275f7a2f178fc531e34dc260ac6c447847c016d83166269c6f";

    /// Shortly before the vector's expiry (2026-01-01T00:00:00Z).
    #[cfg(feature = "server")]
    const BEFORE_VECTOR_EXPIRY: i64 = 1_767_225_000;

    fn vector_challenge() -> Challenge {
        Challenge {
            algorithm: ALGORITHM.to_owned(),
            challenge: VECTOR_CHALLENGE.to_owned(),
            maxnumber: 100_000,
            salt: VECTOR_SALT.to_owned(),
            signature: VECTOR_SIGNATURE.to_owned(),
        }
    }

    #[cfg(feature = "server")]
    fn vector_payload() -> String {
        Solution::new(&vector_challenge(), VECTOR_NUMBER, 12).to_payload()
    }

    #[cfg(feature = "server")]
    fn payload_with(edit: impl FnOnce(&mut Solution)) -> String {
        let mut solution = Solution::new(&vector_challenge(), VECTOR_NUMBER, 12);
        edit(&mut solution);
        solution.to_payload()
    }

    #[cfg(feature = "server")]
    fn verify_vector(payload: &str) -> Result<Verified, CaptchaError> {
        verify(VECTOR_KEY, payload, BEFORE_VECTOR_EXPIRY, None)
    }

    #[test]
    fn write_decimal_formats_like_display() {
        let mut buf = [0u8; MAX_DIGITS];
        for n in [
            0,
            1,
            9,
            10,
            99,
            100,
            48213,
            1_000_000,
            u64::MAX - 1,
            u64::MAX,
        ] {
            assert_eq!(write_decimal(n, &mut buf), n.to_string().as_bytes());
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn spec_test_vector() {
        let challenge = build_challenge(VECTOR_KEY, VECTOR_SALT, VECTOR_NUMBER, 100_000);
        assert_eq!(challenge, vector_challenge());
        assert_eq!(challenge.challenge, VECTOR_CHALLENGE);
        assert_eq!(challenge.signature, VECTOR_SIGNATURE);
    }

    #[test]
    fn solver_finds_spec_vector_number() {
        assert_eq!(solve(&vector_challenge()), Some(VECTOR_NUMBER));
    }

    #[test]
    fn challenge_json_uses_altcha_field_names() {
        let json = serde_json::to_string(&vector_challenge()).unwrap();
        assert_eq!(
            json,
            format!(
                r#"{{"algorithm":"SHA-256","challenge":"{VECTOR_CHALLENGE}","maxnumber":100000,"salt":"{VECTOR_SALT}","signature":"{VECTOR_SIGNATURE}"}}"#
            )
        );
    }

    #[test]
    fn payload_round_trip_and_lenient_decoding() {
        let solution = Solution::new(&vector_challenge(), VECTOR_NUMBER, 1234);
        let payload = solution.to_payload();
        assert_eq!(Solution::from_payload(&payload), Ok(solution.clone()));

        let json = serde_json::to_vec(&solution).unwrap();
        let unpadded = base64::engine::general_purpose::STANDARD_NO_PAD.encode(&json);
        let url_safe = base64::engine::general_purpose::URL_SAFE.encode(&json);
        for input in [unpadded, url_safe, format!("  {payload}\n")] {
            assert_eq!(Solution::from_payload(&input), Ok(solution.clone()));
        }

        // `took` is optional on input.
        let without_took = format!(
            r#"{{"algorithm":"SHA-256","challenge":"{VECTOR_CHALLENGE}","number":{VECTOR_NUMBER},"salt":"{VECTOR_SALT}","signature":"{VECTOR_SIGNATURE}"}}"#
        );
        let decoded =
            Solution::from_payload(&base64::engine::general_purpose::STANDARD.encode(without_took))
                .unwrap();
        assert_eq!(decoded.took, 0);
        assert_eq!(decoded.number, VECTOR_NUMBER);
    }

    #[cfg(feature = "server")]
    #[test]
    fn spec_vector_verifies() {
        let verified = verify_vector(&vector_payload()).unwrap();
        assert_eq!(verified.signature, VECTOR_SIGNATURE);
        assert_eq!(verified.expires_unix, 1_767_225_600);
    }

    #[cfg(feature = "server")]
    #[test]
    fn round_trip_new_challenge_solve_verify() {
        let secret = b"round-trip-secret";
        let now = 1_700_000_000;
        let challenge = new_challenge(secret, 5_000, now + 300, None);
        assert_eq!(challenge.algorithm, ALGORITHM);
        assert_eq!(challenge.maxnumber, 5_000);
        assert!(challenge.salt.ends_with('&'));
        assert!(challenge.salt.contains(&format!("?expires={}&", now + 300)));

        let number = solve(&challenge).expect("solvable");
        assert!((1..=5_000).contains(&number));
        let payload = Solution::new(&challenge, number, 5).to_payload();
        let verified = verify(secret, &payload, now, None).unwrap();
        assert_eq!(verified.signature, challenge.signature);
        assert_eq!(verified.expires_unix, now + 300);
    }

    #[cfg(feature = "server")]
    #[test]
    fn new_challenge_treats_zero_maxnumber_as_one() {
        let challenge = new_challenge(b"k", 0, 10, None);
        assert_eq!(challenge.maxnumber, 1);
        assert_eq!(solve(&challenge), Some(1));
    }

    #[cfg(feature = "server")]
    #[test]
    fn changed_number_is_rejected() {
        // Keeping the original challenge: the recomputed hash differs.
        let payload = payload_with(|s| s.number += 1);
        assert_eq!(
            verify_vector(&payload),
            Err(CaptchaError::ChallengeMismatch)
        );

        // Recomputing the challenge for the new number: the signature no
        // longer matches.
        let payload = payload_with(|s| {
            s.number += 1;
            s.challenge = hex::encode(challenge_digest(&s.salt, s.number));
        });
        assert_eq!(verify_vector(&payload), Err(CaptchaError::BadSignature));
    }

    #[cfg(feature = "server")]
    #[test]
    fn spliced_expires_is_rejected() {
        // Move the leading digit of the number into the expiry, keeping the
        // trailing '&': salt ‖ number now differs, so the original challenge
        // does not match ...
        let spliced_salt = "2b6f0c1e9a4d7f3b5c8e1a02?expires=17672256004&";
        let payload = payload_with(|s| {
            s.salt = spliced_salt.to_owned();
            s.number = 8213;
        });
        assert_eq!(
            verify_vector(&payload),
            Err(CaptchaError::ChallengeMismatch)
        );

        // ... and a recomputed challenge is not signed by the server.
        let payload = payload_with(|s| {
            s.salt = spliced_salt.to_owned();
            s.number = 8213;
            s.challenge = hex::encode(challenge_digest(&s.salt, s.number));
        });
        assert_eq!(verify_vector(&payload), Err(CaptchaError::BadSignature));

        // Moving digits without keeping the '&' (which is the only way to
        // keep the hashed bytes identical) leaves a salt ending in a digit.
        let payload = payload_with(|s| {
            s.salt = format!("{VECTOR_SALT}4");
            s.number = 8213;
        });
        assert_eq!(verify_vector(&payload), Err(CaptchaError::MissingAmpersand));
    }

    #[cfg(feature = "server")]
    #[test]
    fn legacy_salt_without_ampersand_is_spliceable_but_rejected() {
        // A salt without the trailing '&' (the vulnerable legacy format).
        let salt = "2b6f0c1e9a4d7f3b5c8e1a02?expires=1767225600";
        let issued = build_challenge(VECTOR_KEY, salt, 48213, 100_000);
        let original = Solution::new(&issued, 48213, 1).to_payload();
        assert_eq!(
            verify_vector(&original),
            Err(CaptchaError::MissingAmpersand)
        );

        // Splicing digits from the number into the expiry gives the very same
        // challenge and signature, i.e. the attack would work at the hash
        // level; only the '&' rule stops it.
        let spliced_salt = "2b6f0c1e9a4d7f3b5c8e1a02?expires=17672256004821";
        assert_eq!(
            build_challenge(VECTOR_KEY, spliced_salt, 3, 100_000).signature,
            issued.signature
        );
        let mut spliced = Solution::new(&issued, 3, 1);
        spliced.salt = spliced_salt.to_owned();
        assert_eq!(
            verify(VECTOR_KEY, &spliced.to_payload(), 1_800_000_000, None),
            Err(CaptchaError::MissingAmpersand)
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn expired_is_rejected() {
        let payload = vector_payload();
        assert_eq!(
            verify(VECTOR_KEY, &payload, 1_767_225_600, None),
            Err(CaptchaError::Expired)
        );
        assert_eq!(
            verify(VECTOR_KEY, &payload, 1_900_000_000, None),
            Err(CaptchaError::Expired)
        );
        assert!(verify(VECTOR_KEY, &payload, 1_767_225_599, None).is_ok());
    }

    #[cfg(feature = "server")]
    #[test]
    fn wrong_key_is_rejected() {
        assert_eq!(
            verify(
                b"another-key",
                &vector_payload(),
                BEFORE_VECTOR_EXPIRY,
                None
            ),
            Err(CaptchaError::BadSignature)
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn missing_ampersand_is_rejected() {
        let payload = payload_with(|s| s.salt = s.salt.trim_end_matches('&').to_owned());
        assert_eq!(verify_vector(&payload), Err(CaptchaError::MissingAmpersand));
    }

    #[cfg(feature = "server")]
    #[test]
    fn missing_or_invalid_expiry_is_rejected() {
        for salt in [
            "2b6f0c1e9a4d7f3b5c8e1a02&",
            "2b6f0c1e9a4d7f3b5c8e1a02?bind=login&",
            "2b6f0c1e9a4d7f3b5c8e1a02?expires=&",
            "2b6f0c1e9a4d7f3b5c8e1a02?expires=+1767225600&",
            "2b6f0c1e9a4d7f3b5c8e1a02?expires=-1&",
            "2b6f0c1e9a4d7f3b5c8e1a02?expires=17672256.5&",
            "2b6f0c1e9a4d7f3b5c8e1a02?expires=99999999999999999999&",
        ] {
            let issued = build_challenge(VECTOR_KEY, salt, 7, 10);
            let payload = Solution::new(&issued, 7, 1).to_payload();
            assert_eq!(
                verify_vector(&payload),
                Err(CaptchaError::MissingExpiry),
                "{salt}"
            );
        }
        for salt in [
            "2b6f0c1e9a4d7f3b5c8e1a02?&",
            "2b6f0c1e9a4d7f3b5c8e1a02?expires&",
            "2b6f0c1e9a4d7f3b5c8e1a02?expires=1767225600&&",
            "2b6f0c1e9a4d7f3b5c8e1a02?expires=1767225600&expires=1767225600&",
        ] {
            let issued = build_challenge(VECTOR_KEY, salt, 7, 10);
            let payload = Solution::new(&issued, 7, 1).to_payload();
            assert_eq!(
                verify_vector(&payload),
                Err(CaptchaError::Malformed),
                "{salt}"
            );
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn other_algorithm_is_rejected() {
        for algorithm in ["SHA-1", "SHA-512", "sha-256", ""] {
            let payload = payload_with(|s| s.algorithm = algorithm.to_owned());
            assert_eq!(verify_vector(&payload), Err(CaptchaError::Algorithm));
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn malformed_payloads_are_rejected() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        let cases = [
            String::new(),
            "   ".to_owned(),
            "not base64!".to_owned(),
            "@@@@".to_owned(),
            b64("not json"),
            b64("[]"),
            b64("{}"),
            b64(
                r#"{"algorithm":"SHA-256","challenge":"00","salt":"a?expires=1&","signature":"00"}"#,
            ),
            b64(
                r#"{"algorithm":"SHA-256","challenge":"00","number":-1,"salt":"a?expires=1&","signature":"00"}"#,
            ),
            b64(
                r#"{"algorithm":"SHA-256","challenge":"00","number":"5","salt":"a?expires=1&","signature":"00"}"#,
            ),
            "A".repeat(MAX_PAYLOAD_LEN + 4),
        ];
        for payload in cases {
            assert_eq!(
                verify_vector(&payload),
                Err(CaptchaError::Malformed),
                "{payload:.40}"
            );
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn binding_is_enforced() {
        let secret = b"binding-secret";
        let now = 1_700_000_000;
        let challenge = new_challenge(secret, 1_000, now + 60, Some("signup"));
        assert!(challenge.salt.ends_with("&bind=signup&"));
        let number = solve(&challenge).unwrap();
        let payload = Solution::new(&challenge, number, 1).to_payload();

        assert!(verify(secret, &payload, now, Some("signup")).is_ok());
        assert!(verify(secret, &payload, now, None).is_ok());
        assert_eq!(
            verify(secret, &payload, now, Some("login")),
            Err(CaptchaError::Binding)
        );
        assert_eq!(
            verify(secret, &payload, now, Some("signu")),
            Err(CaptchaError::Binding)
        );

        // A challenge without binding does not satisfy an expected binding.
        assert_eq!(
            verify_vector(&vector_payload()).map(|v| v.signature),
            Ok(VECTOR_SIGNATURE.to_owned())
        );
        assert_eq!(
            verify(
                VECTOR_KEY,
                &vector_payload(),
                BEFORE_VECTOR_EXPIRY,
                Some("signup")
            ),
            Err(CaptchaError::Binding)
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn binding_cannot_inject_parameters() {
        let binding = "a&expires=9999999999&bind=b";
        let challenge = new_challenge(b"k", 10, 100, Some(binding));
        assert_eq!(challenge.salt.matches('&').count(), 2);
        assert!(challenge
            .salt
            .ends_with("&bind=a%26expires%3D9999999999%26bind%3Db&"));
        let number = solve(&challenge).unwrap();
        let payload = Solution::new(&challenge, number, 1).to_payload();
        let verified = verify(b"k", &payload, 50, Some(binding)).unwrap();
        assert_eq!(verified.expires_unix, 100);
        assert_eq!(
            verify(b"k", &payload, 50, Some("a")),
            Err(CaptchaError::Binding)
        );
    }

    #[cfg(feature = "server")]
    #[test]
    fn tampered_signature_is_rejected() {
        let mut flipped = VECTOR_SIGNATURE.to_owned().into_bytes();
        flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
        let flipped = String::from_utf8(flipped).unwrap();
        let cases = [
            flipped,
            VECTOR_SIGNATURE.to_uppercase(),
            VECTOR_SIGNATURE[..62].to_owned(),
            format!("{VECTOR_SIGNATURE}00"),
            String::new(),
        ];
        for signature in cases {
            let payload = payload_with(|s| s.signature = signature.clone());
            assert_eq!(
                verify_vector(&payload),
                Err(CaptchaError::BadSignature),
                "{signature}"
            );
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn non_canonical_challenge_is_rejected() {
        let payload = payload_with(|s| s.challenge = s.challenge.to_uppercase());
        assert_eq!(
            verify_vector(&payload),
            Err(CaptchaError::ChallengeMismatch)
        );
    }

    #[test]
    fn expires_of_reads_well_formed_salts_only() {
        assert_eq!(expires_of(VECTOR_SALT), Some(1_767_225_600));
        assert_eq!(expires_of("ab?expires=42&bind=signup&extra=1&"), Some(42));
        for salt in [
            "",
            "ab",
            "ab?expires=42",
            "ab&",
            "ab?expires=x&",
            "ab?expires=-1&",
            "ab?expires=1&expires=2&",
            "ab?bind=x&",
        ] {
            assert_eq!(expires_of(salt), None, "{salt}");
        }
    }

    #[test]
    fn chunked_search_matches_solve() {
        let challenge = vector_challenge();
        let solver = Solver::new(&challenge).unwrap();
        assert_eq!(solver.maxnumber(), 100_000);
        let expected = solve(&challenge);
        for chunk in [1, 7, 1_000, 4_096, 48_213, 48_214, 200_000] {
            let mut found = None;
            let mut start = 0;
            while start <= solver.maxnumber() {
                let end = start.saturating_add(chunk);
                if let Some(n) = solver.search(start, end) {
                    found = Some(n);
                    break;
                }
                start = end;
            }
            assert_eq!(found, expected, "chunk {chunk}");
        }
    }

    #[test]
    fn search_respects_bounds() {
        let mut challenge = vector_challenge();
        let solver = Solver::new(&challenge).unwrap();
        assert_eq!(
            solver.search(VECTOR_NUMBER, VECTOR_NUMBER + 1),
            Some(VECTOR_NUMBER)
        );
        assert_eq!(solver.search(0, VECTOR_NUMBER), None);
        assert_eq!(solver.search(VECTOR_NUMBER + 1, u64::MAX), None);
        assert_eq!(solver.search(10, 10), None);
        assert_eq!(solver.search(10, 5), None);
        assert_eq!(solver.search(0, 0), None);

        // `end` is clamped to maxnumber + 1.
        challenge.maxnumber = VECTOR_NUMBER - 1;
        let solver = Solver::new(&challenge).unwrap();
        assert_eq!(solver.search(VECTOR_NUMBER, VECTOR_NUMBER + 1), None);
        assert_eq!(solve(&challenge), None);

        challenge.maxnumber = VECTOR_NUMBER;
        assert_eq!(solve(&challenge), Some(VECTOR_NUMBER));
    }

    #[test]
    fn solver_rejects_invalid_challenge_hex() {
        for bad in [
            "",
            "zz",
            &VECTOR_CHALLENGE[..62],
            &format!("{VECTOR_CHALLENGE}00"),
        ] {
            let mut challenge = vector_challenge();
            challenge.challenge = bad.to_owned();
            assert!(Solver::new(&challenge).is_none(), "{bad}");
            assert_eq!(solve(&challenge), None);
        }
    }

    #[cfg(feature = "server")]
    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn verify_never_panics_on_arbitrary_strings(payload in any::<String>(), now in any::<i64>()) {
                let _ = verify(VECTOR_KEY, &payload, now, None);
                let _ = verify(VECTOR_KEY, &payload, now, Some("bind"));
            }

            #[test]
            fn verify_never_panics_on_arbitrary_solutions(
                algorithm in prop_oneof![Just(ALGORITHM.to_owned()), any::<String>()],
                challenge in prop_oneof![Just(VECTOR_CHALLENGE.to_owned()), "[0-9a-fA-F]{0,70}", any::<String>()],
                number in any::<u64>(),
                salt in prop_oneof![
                    Just(VECTOR_SALT.to_owned()),
                    "[0-9a-f]{0,8}(\\?[a-z0-9=&%+-]{0,40})?",
                    any::<String>(),
                ],
                signature in prop_oneof![Just(VECTOR_SIGNATURE.to_owned()), "[0-9a-f]{0,70}", any::<String>()],
                took in any::<u64>(),
                now in any::<i64>(),
                binding in proptest::option::of(any::<String>()),
            ) {
                let payload = Solution { algorithm, challenge, number, salt, signature, took }.to_payload();
                let _ = verify(VECTOR_KEY, &payload, now, binding.as_deref());
            }
        }
    }
}
