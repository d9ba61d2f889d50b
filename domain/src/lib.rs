//! Plain-Rust rules of the product: no Leptos, no database, no runtime (the
//! crate's dependencies keep it so). Shared by the server and the browser (the
//! cédula check and the captcha solver run in both); what only the server
//! needs is behind the `server` feature, out of the WASM.

#[cfg(feature = "server")]
pub mod answer;
pub mod birthdate;
pub mod callback;
pub mod captcha;
pub mod cedula;
/// Server only: which address a request comes from.
#[cfg(feature = "server")]
pub mod client_address;
pub mod code;
pub mod dactilar;
/// Server only: chrono-tz's database stays out of the WASM bundle.
#[cfg(feature = "server")]
pub mod ecuador_time;
pub mod email;
pub mod flow;
pub mod guesses;
pub mod lang;
pub mod mask;
pub mod office_hours;
pub mod password;
/// Server only: libphonenumber's metadata stays out of the WASM bundle.
#[cfg(feature = "server")]
pub mod phone;
pub mod questions;
pub mod staff;
pub mod steps;
pub mod stored;
pub mod time_limit;
