//! Solicitar clave (SPEC §2.2): the first clave. The steps only this flow has
//! live here; cédula + captcha, the code, the new clave and "listo" are in
//! [`crate::shared_steps`], mounted under both flows' paths (see [`crate::App`]).

pub mod contacto;
pub mod identidad;
pub mod preguntas;
pub mod start;
