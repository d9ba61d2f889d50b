//! Recuperar clave (SPEC §2.1): one module per step, each with its page, its
//! server function and a note of what it may reveal.

pub mod buscar;
pub mod codigo;
pub mod confirmar;
pub mod identidad;
pub mod listo;
pub mod nueva_clave;
pub mod nuevo_correo;
pub mod preguntas;
pub mod start;
