//! Plain-Rust rules of the product: no Leptos, no database. Shared by the server
//! and the browser (the cédula check and the captcha solver run in both).

pub mod answer;
pub mod birthdate;
pub mod captcha;
pub mod cedula;
pub mod code;
pub mod flow;
pub mod mask;
pub mod password;
