//! The steps both flows take, once each: cédula and captcha (buscar), the
//! mailed code (código), the new clave (nueva clave) and the end (listo).
//! Each page takes the flow's kind and is mounted under both flows' paths
//! (see [`crate::App`] and the step table, `domain::steps`).

pub mod buscar;
pub mod captcha;
pub mod codigo;
pub mod listo;
pub mod nueva_clave;
pub mod tiempo;
