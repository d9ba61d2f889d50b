//! The synthetic demo registry shipped for the embedded run and the tests.
//!
//! Every person here is invented: valid cédulas (check digit computed), e-mails
//! on `example.com` / `example.org`. Some have a clave and four security answers,
//! some have none, one is locked and one lives abroad.

use super::hashing;
use crate::domain::answer::normalise;
use crate::domain::stored::{AffiliateStatus, Stored};
use entity::{affiliate, credential, security_answer, security_question};
use sea_orm::{
    sea_query::OnConflict,
    ActiveValue::{NotSet, Set},
    DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, TransactionTrait,
};

/// The clave of every demo affiliate that has one.
pub const DEMO_CLAVE: &str = "cielo claro sobre el Cotopaxi";

/// The demo answers to questions 1–4 of the catalogue, in order.
pub const DEMO_ANSWERS: [&str; 4] = ["Andrea", "Olmedo", "Locro de papa", "Carmita"];

/// A person of the demo registry.
pub struct DemoAffiliate {
    pub cedula: &'static str,
    pub given_names: &'static str,
    pub surnames: &'static str,
    pub birth_date: (i32, u32, u32),
    pub codigo_dactilar: &'static str,
    pub email: &'static str,
    pub country: &'static str,
    pub has_clave: bool,
    pub locked: bool,
    /// What the README says about this person.
    pub note: &'static str,
}

pub const DEMO_AFFILIATES: [DemoAffiliate; 27] = [
    DemoAffiliate {
        cedula: "1712345675",
        given_names: "María José",
        surnames: "Pérez López",
        birth_date: (1985, 3, 14),
        codigo_dactilar: "V4443V4242",
        email: "maria.perez@example.com",
        country: "EC",
        has_clave: true,
        locked: false,
        note: "afiliada con clave (recuperar clave)",
    },
    DemoAffiliate {
        cedula: "0918765439",
        given_names: "Carlos Andrés",
        surnames: "Guamán Tipán",
        birth_date: (1979, 11, 2),
        codigo_dactilar: "E1234I5678",
        email: "carlos.guaman@example.org",
        country: "EC",
        has_clave: true,
        locked: false,
        note: "afiliado con clave",
    },
    DemoAffiliate {
        cedula: "1755512348",
        given_names: "Blanca Piedad",
        surnames: "Torres Vaca",
        birth_date: (1948, 7, 25),
        codigo_dactilar: "A2345B6789",
        email: "blanca.torres@example.com",
        country: "EC",
        has_clave: true,
        locked: false,
        note: "jubilada con clave",
    },
    DemoAffiliate {
        cedula: "0104567896",
        given_names: "Rosa Elena",
        surnames: "Quishpe Andrade",
        birth_date: (1992, 1, 30),
        codigo_dactilar: "C3456D7890",
        email: "rosa.quishpe@example.com",
        country: "EC",
        has_clave: false,
        locked: false,
        note: "afiliada sin clave (solicitar clave)",
    },
    DemoAffiliate {
        cedula: "1305678904",
        given_names: "Luis Alberto",
        surnames: "Chávez Mora",
        birth_date: (2001, 9, 9),
        codigo_dactilar: "F4567G8901",
        email: "luis.chavez@example.org",
        country: "EC",
        has_clave: false,
        locked: false,
        note: "afiliado sin clave",
    },
    DemoAffiliate {
        cedula: "1709876542",
        given_names: "Ana Lucía",
        surnames: "Vera Cedeño",
        birth_date: (1990, 5, 5),
        codigo_dactilar: "H5678J9012",
        email: "ana.vera@example.com",
        country: "EC",
        has_clave: true,
        locked: true,
        note: "cuenta bloqueada",
    },
    DemoAffiliate {
        cedula: "3023456787",
        given_names: "Jorge Enrique",
        surnames: "Salazar Ortiz",
        birth_date: (1970, 12, 1),
        codigo_dactilar: "K6789L0123",
        email: "jorge.salazar@example.org",
        country: "ES",
        has_clave: true,
        locked: false,
        note: "residente en el exterior (España)",
    },
    DemoAffiliate {
        cedula: "1711223345",
        given_names: "Patricia Elena",
        surnames: "Andrade Ruiz",
        birth_date: (1988, 6, 21),
        codigo_dactilar: "M1234N5678",
        email: "patricia.andrade@example.com",
        country: "EC",
        has_clave: true,
        locked: false,
        note: "afiliada con clave",
    },
    DemoAffiliate {
        cedula: "0609876545",
        given_names: "Segundo Manuel",
        surnames: "Yépez Cando",
        birth_date: (1955, 2, 10),
        codigo_dactilar: "P2345Q6789",
        email: "segundo.yepez@example.org",
        country: "EC",
        has_clave: true,
        locked: false,
        note: "jubilado con clave",
    },
    DemoAffiliate {
        cedula: "1102345673",
        given_names: "Gabriela",
        surnames: "Ochoa Jaramillo",
        birth_date: (1996, 10, 4),
        codigo_dactilar: "R3456S7890",
        email: "gabriela.ochoa@example.com",
        country: "EC",
        has_clave: true,
        locked: false,
        note: "afiliada con clave",
    },
    DemoAffiliate {
        cedula: "1703334449",
        given_names: "Víctor Hugo",
        surnames: "Paredes Lara",
        birth_date: (1967, 8, 30),
        codigo_dactilar: "T4567U8901",
        email: "victor.paredes@example.org",
        country: "EC",
        has_clave: true,
        locked: false,
        note: "afiliado con clave",
    },
    DemoAffiliate {
        cedula: "1715556666",
        given_names: "Gloria Inés",
        surnames: "Salazar Ruiz",
        birth_date: (1958, 4, 17),
        codigo_dactilar: "B1111C2222",
        email: "gloria.salazar@example.com",
        country: "EC",
        has_clave: false,
        locked: false,
        note: "jubilada sin clave",
    },
    DemoAffiliate {
        cedula: "0922334453",
        given_names: "Jorge Luis",
        surnames: "Mendoza Vera",
        birth_date: (1983, 12, 31),
        codigo_dactilar: "D3333E4444",
        email: "jorge.mendoza@example.org",
        country: "EC",
        has_clave: false,
        locked: false,
        note: "afiliado sin clave",
    },
    DemoAffiliate {
        cedula: "1704443330",
        given_names: "Ana Lucía",
        surnames: "Benítez Paz",
        birth_date: (1975, 6, 8),
        codigo_dactilar: "G5555H6666",
        email: "ana.benitez@example.com",
        country: "EC",
        has_clave: false,
        locked: false,
        note: "afiliada sin clave",
    },
    DemoAffiliate {
        cedula: "0501239875",
        given_names: "Segundo Manuel",
        surnames: "Toapanta Caiza",
        birth_date: (1962, 2, 28),
        codigo_dactilar: "J7777K8888",
        email: "segundo.toapanta@example.org",
        country: "EC",
        has_clave: false,
        locked: false,
        note: "jubilado sin clave",
    },
    DemoAffiliate {
        cedula: "1718881111",
        given_names: "Diana Carolina",
        surnames: "Vásquez Mora",
        birth_date: (1988, 6, 9),
        codigo_dactilar: "A1111B2222",
        email: "diana.vasquez@example.org",
        country: "ES",
        has_clave: true,
        locked: true,
        note: "vive en el exterior, con clave y cuenta bloqueada (la desbloquea el personal)",
    },
    DemoAffiliate {
        cedula: "0907772222",
        given_names: "Héctor Fabián",
        surnames: "Quishpe Lema",
        birth_date: (1975, 1, 30),
        codigo_dactilar: "C3333D4444",
        email: "hector.quishpe@example.org",
        country: "US",
        has_clave: true,
        locked: true,
        note: "vive en el exterior, con clave y cuenta bloqueada (la desbloquea el personal)",
    },
    DemoAffiliate {
        cedula: "1716663339",
        given_names: "Lucía Fernanda",
        surnames: "Andrade Ruiz",
        birth_date: (1991, 10, 17),
        codigo_dactilar: "E5555F6666",
        email: "lucia.andrade@example.com",
        country: "IT",
        has_clave: true,
        locked: true,
        note: "vive en el exterior, con clave y cuenta bloqueada (la desbloquea el personal)",
    },
    DemoAffiliate {
        cedula: "0105554448",
        given_names: "Manuel Alberto",
        surnames: "Cedeño Paz",
        birth_date: (1958, 4, 3),
        codigo_dactilar: "G7777H8888",
        email: "manuel.cedeno@example.com",
        country: "ES",
        has_clave: true,
        locked: true,
        note: "vive en el exterior, con clave y cuenta bloqueada (la desbloquea el personal)",
    },
    DemoAffiliate {
        cedula: "1722233341",
        given_names: "Rosa María",
        surnames: "Llumiquinga Caiza",
        birth_date: (1972, 5, 19),
        codigo_dactilar: "K1212L3434",
        email: "rosa.llumiquinga@example.com",
        country: "EC",
        has_clave: false,
        locked: false,
        note: "sin clave (recorrido solo con teclado)",
    },
    DemoAffiliate {
        cedula: "0911122232",
        given_names: "Pedro Pablo",
        surnames: "Chiriboga Ortiz",
        birth_date: (1969, 9, 23),
        codigo_dactilar: "M5656N7878",
        email: "pedro.chiriboga@example.org",
        country: "EC",
        has_clave: false,
        locked: false,
        note: "sin clave (recorrido solo con teclado)",
    },
    DemoAffiliate {
        cedula: "1711199982",
        given_names: "Marta Cecilia",
        surnames: "Zambrano Loor",
        birth_date: (1980, 2, 11),
        codigo_dactilar: "P9090Q1212",
        email: "marta.zambrano@example.com",
        country: "ES",
        has_clave: true,
        locked: true,
        note: "vive en el exterior, con clave y cuenta bloqueada (recorrido solo con teclado)",
    },
    DemoAffiliate {
        cedula: "0808060602",
        given_names: "Luis Fernando",
        surnames: "Cevallos Mejía",
        birth_date: (1964, 7, 6),
        codigo_dactilar: "R3434S5656",
        email: "luis.cevallos@example.org",
        country: "US",
        has_clave: true,
        locked: true,
        note: "vive en el exterior, con clave y cuenta bloqueada (recorrido solo con teclado)",
    },
    DemoAffiliate {
        cedula: "1724445554",
        given_names: "Nancy Elizabeth",
        surnames: "Quishpe Andrango",
        birth_date: (1990, 2, 11),
        codigo_dactilar: "P1313Q2424",
        email: "lucia.quishpe@example.com",
        country: "EC",
        has_clave: false,
        locked: false,
        note: "sin clave (recorrido en inglés)",
    },
    DemoAffiliate {
        cedula: "0917778888",
        given_names: "Washington Efraín",
        surnames: "Macías Zambrano",
        birth_date: (1966, 8, 5),
        codigo_dactilar: "R3535S4646",
        email: "washington.macias@example.org",
        country: "EC",
        has_clave: false,
        locked: false,
        note: "sin clave (recorrido en inglés)",
    },
    DemoAffiliate {
        cedula: "0805556669",
        given_names: "Mercedes Alexandra",
        surnames: "Cortez Valencia",
        birth_date: (1981, 1, 27),
        codigo_dactilar: "T5757U6868",
        email: "mercedes.cortez@example.com",
        country: "EC",
        has_clave: true,
        locked: false,
        note: "afiliada con clave (recorrido en inglés)",
    },
    DemoAffiliate {
        cedula: "1712349875",
        given_names: "Fausto Ramiro",
        surnames: "Villacís Herrera",
        birth_date: (1958, 10, 14),
        codigo_dactilar: "W7979X8080",
        email: "fausto.villacis@example.org",
        country: "EC",
        has_clave: true,
        locked: false,
        note: "afiliado con clave (recorrido en inglés)",
    },
];

/// True when the registry has nobody in it yet.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(affiliate::Entity::find().count(db).await? == 0)
}

/// Loads the demo people (the question catalogue comes with the migrations). Hashing happens before the
/// transaction so the database is never held while argon2 runs.
pub async fn seed(db: &DatabaseConnection, now: i64) -> Result<(), DbErr> {
    let internal = |e: hashing::HashError| DbErr::Custom(format!("hashing: {e}"));
    let clave_hash = hashing::hash(DEMO_CLAVE.to_owned())
        .await
        .map_err(internal)?;
    let mut answer_hashes = Vec::new();
    for a in DEMO_ANSWERS {
        answer_hashes.push(hashing::hash(normalise(a)).await.map_err(internal)?);
    }

    let txn = db.begin().await?;
    let question_ids: Vec<i32> = {
        use sea_orm::QueryOrder;
        security_question::Entity::find()
            .order_by_asc(security_question::Column::Id)
            .all(&txn)
            .await?
            .into_iter()
            .take(4)
            .map(|q| q.id)
            .collect()
    };

    for p in DEMO_AFFILIATES.iter() {
        let (y, m, d) = p.birth_date;
        // Inserted unless present: two instances seeding at once (each
        // found the registry empty) wait on each other's row, and only the
        // one that inserted the person adds the clave and the answers.
        let inserted = affiliate::Entity::insert(affiliate::ActiveModel {
            cedula: Set(p.cedula.into()),
            given_names: Set(p.given_names.into()),
            surnames: Set(p.surnames.into()),
            birth_date: Set(chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date")),
            codigo_dactilar: Set(p.codigo_dactilar.into()),
            email: Set(p.email.into()),
            phone: Set(None),
            country: Set(p.country.into()),
            status: Set(if p.locked {
                AffiliateStatus::Locked
            } else {
                AffiliateStatus::Active
            }
            .stored()
            .into()),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(affiliate::Column::Cedula)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        if inserted == 0 {
            continue;
        }
        if p.has_clave {
            credential::Entity::insert(credential::ActiveModel {
                cedula: Set(p.cedula.into()),
                password_hash: Set(clave_hash.clone()),
                updated_at: Set(now),
            })
            .exec_without_returning(&txn)
            .await?;
            for (qid, hash) in question_ids.iter().zip(&answer_hashes) {
                security_answer::Entity::insert(security_answer::ActiveModel {
                    id: NotSet,
                    cedula: Set(p.cedula.into()),
                    question_id: Set(*qid),
                    answer_hash: Set(hash.clone()),
                })
                .exec_without_returning(&txn)
                .await?;
            }
        }
    }
    txn.commit().await
}
