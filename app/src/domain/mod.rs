//! Plain-Rust rules of the product: no Leptos, no database. Shared by the server
//! and the browser (the cédula check and the captcha solver run in both).

pub mod answer;
pub mod birthdate;
pub mod callback;
pub mod captcha;
pub mod cedula;
/// Server only: which address a request comes from.
#[cfg(feature = "ssr")]
pub mod client_address;
pub mod code;
pub mod dactilar;
pub mod email;
pub mod flow;
pub mod mask;
/// Server only: chrono-tz's database stays out of the WASM bundle.
#[cfg(feature = "ssr")]
pub mod office_hours;
pub mod password;
/// Server only: libphonenumber's metadata stays out of the WASM bundle.
#[cfg(feature = "ssr")]
pub mod phone;
pub mod questions;
pub mod staff;
pub mod stored;
