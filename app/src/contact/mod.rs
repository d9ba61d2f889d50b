//! Contact with the institute's staff (SPEC §2.3): the call-back request for
//! residents abroad and for whoever is locked out or cannot pass a check.

pub mod llamada;
