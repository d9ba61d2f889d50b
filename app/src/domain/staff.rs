//! Contact-centre staff (SPEC §2.4): roles and what each may do, and the
//! rules for user names. Plain Rust, unit-tested on its own.

/// A staff user's role. Supervisors may do everything agents do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Agent,
    Supervisor,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Supervisor => "supervisor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "agent" | "agente" => Some(Role::Agent),
            "supervisor" => Some(Role::Supervisor),
            _ => None,
        }
    }

    pub fn label_es(self) -> &'static str {
        match self {
            Role::Agent => "Agente",
            Role::Supervisor => "Supervisor/a",
        }
    }

    /// Whether this role may do what `needed` may.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

/// A user name: 3 to 32 lower-case ASCII letters, digits, dots, hyphens or
/// underscores, starting with a letter (it appears in the audit log).
pub fn parse_username(input: &str) -> Result<String, &'static str> {
    let name = input.trim().to_ascii_lowercase();
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    let starts_with_letter = name.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    if (3..=32).contains(&name.len()) && ok_chars && starts_with_letter {
        Ok(name)
    } else {
        Err("El usuario debe tener de 3 a 32 letras sin tildes, números, puntos o guiones, y empezar con una letra.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn supervisors_may_do_what_agents_do_not_the_reverse() {
        assert!(Role::Supervisor.allows(Role::Agent));
        assert!(Role::Supervisor.allows(Role::Supervisor));
        assert!(Role::Agent.allows(Role::Agent));
        assert!(!Role::Agent.allows(Role::Supervisor));
        for r in [Role::Agent, Role::Supervisor] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn user_names() {
        assert_eq!(parse_username(" Ana.Perez ").as_deref(), Ok("ana.perez"));
        for bad in ["", "ab", "1ana", "ana pérez", "ana;drop", &"a".repeat(33)] {
            assert!(parse_username(bad).is_err(), "{bad:?}");
        }
    }

    proptest! {
        #[test]
        fn accepted_names_are_canonical(input in "\\PC{0,40}") {
            if let Ok(name) = parse_username(&input) {
                prop_assert_eq!(parse_username(&name), Ok(name.clone()));
                prop_assert!(name.is_ascii());
            }
        }
    }
}
