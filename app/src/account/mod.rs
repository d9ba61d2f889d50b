//! The affiliate's account: login, the "Servicios en línea" home with *Salir*,
//! and the "no fui yo" link from notice mails.

pub mod ingresar;
pub mod no_fui_yo;
pub mod servicios;
