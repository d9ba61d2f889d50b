//! sea-orm entities, one module per table (see the `migration` crate).

pub mod affiliate;
pub mod captcha_use;
pub mod credential;
pub mod rate_limit;
pub mod recovery_flow;
pub mod security_answer;
pub mod security_question;
