//! sea-orm entities, one module per table (see the `migration` crate).

pub mod affiliate;
pub mod audit_event;
pub mod callback_reference;
pub mod callback_request;
pub mod captcha_use;
pub mod credential;
pub mod flow_answer;
pub mod form_echo;
pub mod limit_event;
pub mod login_lock;
pub mod mail_outbox;
pub mod notice;
pub mod question_pair;
pub mod recovery_flow;
pub mod security_answer;
pub mod security_question;
pub mod session;
pub mod staff_account;
pub mod staff_case;
pub mod staff_factor;
pub mod staff_recovery_code;
pub mod staff_session;
pub mod verification_code;
