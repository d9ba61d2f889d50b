//! Recuperar clave (SPEC §2.1): one module per step, each with its page, its
//! server function and a note of what it may reveal.

pub mod buscar;
pub mod identidad;
pub mod start;
