//! Recuperar clave (SPEC §2.1): the steps only this flow has, one module per
//! step, each with its page, its server function and a note of what it may
//! reveal. The steps both flows take are in [`crate::shared_steps`].

pub mod confirmar;
pub mod identidad;
pub mod nuevo_correo;
pub mod preguntas;
pub mod start;
