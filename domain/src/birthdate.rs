//! Step 2, "Identidad": the birth day and month, asked as two numeric
//! fields (SPEC §2.1). This module only checks that they form a date that
//! can exist; whether it is the affiliate's is the services' business.
//!
//! Each field gets its own message, so the error summary can link to the
//! field that needs fixing (SPEC §7).

use crate::lang::Text;

/// Form field name of the day.
pub const DAY: &str = "day";
/// Form field name of the month.
pub const MONTH: &str = "month";
/// Form field name of the year (solicitar clave asks the full date).
pub const YEAR: &str = "year";

/// One message for one field of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    /// [`DAY`] or [`MONTH`].
    pub field: &'static str,
    pub message: Text,
}

/// Every problem of a form, in the order of its fields.
pub type FormProblems = Vec<FieldProblem>;

const DAY_EMPTY: Text = Text {
    es: "Escriba el día en que nació.",
    en: "Enter the day you were born.",
};
const DAY_NOT_NUMBER: Text = Text {
    es: "Escriba el día con números, por ejemplo 9.",
    en: "Enter the day in numbers, for example 9.",
};
const DAY_OUT_OF_RANGE: Text = Text {
    es: "El día debe ser un número del 1 al 31.",
    en: "The day must be a number from 1 to 31.",
};
const MONTH_EMPTY: Text = Text {
    es: "Escriba el mes en que nació.",
    en: "Enter the month you were born.",
};
const MONTH_NOT_NUMBER: Text = Text {
    es: "Escriba el mes con números, por ejemplo 4 para abril.",
    en: "Enter the month in numbers, for example 4 for April.",
};
const MONTH_OUT_OF_RANGE: Text = Text {
    es: "El mes debe ser un número del 1 al 12.",
    en: "The month must be a number from 1 to 12.",
};

/// Parses the two fields into `(day, month)`. 29 February is allowed: the
/// year is not asked.
///
/// Accepts surrounding spaces, leading zeros ("05") and fullwidth digits.
/// A day that the month does not have (31/04, 30/02) is reported on the day
/// field.
pub fn parse_day_month(day: &str, month: &str) -> Result<(u32, u32), FormProblems> {
    let d = parse_field(day, 31).map_err(|e| FieldProblem {
        field: DAY,
        message: match e {
            FieldError::Empty => DAY_EMPTY,
            FieldError::NotNumber => DAY_NOT_NUMBER,
            FieldError::OutOfRange => DAY_OUT_OF_RANGE,
        },
    });
    let m = parse_field(month, 12).map_err(|e| FieldProblem {
        field: MONTH,
        message: match e {
            FieldError::Empty => MONTH_EMPTY,
            FieldError::NotNumber => MONTH_NOT_NUMBER,
            FieldError::OutOfRange => MONTH_OUT_OF_RANGE,
        },
    });
    match (d, m) {
        (Ok(d), Ok(m)) => match too_many_days(d, m) {
            Some(message) => Err(vec![FieldProblem {
                field: DAY,
                message,
            }]),
            None => Ok((d, m)),
        },
        (d, m) => Err([d.err(), m.err()].into_iter().flatten().collect()),
    }
}

const YEAR_EMPTY: Text = Text {
    es: "Escriba el año en que nació.",
    en: "Enter the year you were born.",
};
const YEAR_NOT_NUMBER: Text = Text {
    es: "Escriba el año con cuatro números, por ejemplo 1960.",
    en: "Enter the year in four digits, for example 1960.",
};
const YEAR_OUT_OF_RANGE: Text = Text {
    es: "Revise el año: debe tener cuatro números, por ejemplo 1960.",
    en: "Check the year: it must have four digits, for example 1960.",
};
const NOT_LEAP: Text = Text {
    es: "Ese año febrero tuvo 28 días. Revise el día.",
    en: "February had 28 days that year. Check the day.",
};

/// The earliest birth year accepted.
pub const MIN_YEAR: i32 = 1900;

/// Parses a full birth date (solicitar clave, SPEC §2.2) into
/// `(year, month, day)`. `this_year` bounds the year: nobody is born later.
/// Day and month follow [`parse_day_month`]; 29 February needs a leap year.
pub fn parse_full_date(
    day: &str,
    month: &str,
    year: &str,
    this_year: i32,
) -> Result<(i32, u32, u32), FormProblems> {
    let dm = parse_day_month(day, month);
    let y = parse_field(year, this_year.max(MIN_YEAR) as u32)
        .and_then(|y| {
            if (y as i32) < MIN_YEAR {
                Err(FieldError::OutOfRange)
            } else {
                Ok(y as i32)
            }
        })
        .map_err(|e| FieldProblem {
            field: YEAR,
            message: match e {
                FieldError::Empty => YEAR_EMPTY,
                FieldError::NotNumber => YEAR_NOT_NUMBER,
                FieldError::OutOfRange => YEAR_OUT_OF_RANGE,
            },
        });
    match (dm, y) {
        (Ok((29, 2)), Ok(y)) if !is_leap(y) => Err(vec![FieldProblem {
            field: DAY,
            message: NOT_LEAP,
        }]),
        (Ok((d, m)), Ok(y)) => Ok((y, m, d)),
        (dm, y) => {
            let mut problems = dm.err().unwrap_or_default();
            problems.extend(y.err());
            Err(problems)
        }
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FieldError {
    Empty,
    NotNumber,
    OutOfRange,
}

/// A number from 1 to `max`.
fn parse_field(input: &str, max: u32) -> Result<u32, FieldError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(FieldError::Empty);
    }
    let mut value: u32 = 0;
    for c in trimmed.chars() {
        let digit = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '\u{FF10}'..='\u{FF19}' => c as u32 - 0xFF10,
            _ => return Err(FieldError::NotNumber),
        };
        // Saturate instead of overflowing: any value over `max` is refused
        // anyway, and leading zeros keep it at 0.
        value = value.saturating_mul(10).saturating_add(digit);
    }
    if (1..=max).contains(&value) {
        Ok(value)
    } else {
        Err(FieldError::OutOfRange)
    }
}

/// The message when `month` has fewer than `day` days, counting February as
/// 29 because the year is unknown.
fn too_many_days(day: u32, month: u32) -> Option<Text> {
    let (es, en) = match (month, day) {
        (2, 30..) => (
            "Febrero tiene como máximo 29 días. Revise el día.",
            "February has at most 29 days. Check the day.",
        ),
        (4, 31) => (
            "Abril tiene 30 días. Revise el día.",
            "April has 30 days. Check the day.",
        ),
        (6, 31) => (
            "Junio tiene 30 días. Revise el día.",
            "June has 30 days. Check the day.",
        ),
        (9, 31) => (
            "Septiembre tiene 30 días. Revise el día.",
            "September has 30 days. Check the day.",
        ),
        (11, 31) => (
            "Noviembre tiene 30 días. Revise el día.",
            "November has 30 days. Check the day.",
        ),
        _ => return None,
    };
    Some(Text { es, en })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn problems(day: &str, month: &str) -> Vec<(&'static str, Text)> {
        match parse_day_month(day, month) {
            Ok(v) => panic!("{day:?}/{month:?} should be refused, got {v:?}"),
            Err(p) => p.into_iter().map(|p| (p.field, p.message)).collect(),
        }
    }

    #[test]
    fn accepts_what_people_type() {
        assert_eq!(parse_day_month("5", "3"), Ok((5, 3)));
        assert_eq!(parse_day_month("05", "03"), Ok((5, 3)));
        assert_eq!(parse_day_month(" 31 ", "\t12\n"), Ok((31, 12)));
        assert_eq!(parse_day_month("００７", "０１"), Ok((7, 1)));
        assert_eq!(parse_day_month("0000000000000000000001", "1"), Ok((1, 1)));
        assert_eq!(parse_day_month("1", "1"), Ok((1, 1)));
    }

    #[test]
    fn twenty_ninth_of_february_is_allowed() {
        assert_eq!(parse_day_month("29", "2"), Ok((29, 2)));
        assert_eq!(parse_day_month("28", "02"), Ok((28, 2)));
    }

    #[test]
    fn empty_fields() {
        assert_eq!(problems("", "3"), vec![(DAY, DAY_EMPTY)]);
        assert_eq!(problems("5", "  "), vec![(MONTH, MONTH_EMPTY)]);
        assert_eq!(
            problems(" ", ""),
            vec![(DAY, DAY_EMPTY), (MONTH, MONTH_EMPTY)]
        );
    }

    #[test]
    fn not_numbers() {
        assert_eq!(problems("cinco", "3"), vec![(DAY, DAY_NOT_NUMBER)]);
        assert_eq!(problems("-5", "3"), vec![(DAY, DAY_NOT_NUMBER)]);
        assert_eq!(problems("5.0", "3"), vec![(DAY, DAY_NOT_NUMBER)]);
        assert_eq!(problems("1 5", "3"), vec![(DAY, DAY_NOT_NUMBER)]);
        assert_eq!(problems("5", "marzo"), vec![(MONTH, MONTH_NOT_NUMBER)]);
        assert_eq!(
            problems("x", "y"),
            vec![(DAY, DAY_NOT_NUMBER), (MONTH, MONTH_NOT_NUMBER)]
        );
    }

    #[test]
    fn out_of_range() {
        assert_eq!(problems("0", "3"), vec![(DAY, DAY_OUT_OF_RANGE)]);
        assert_eq!(problems("00", "3"), vec![(DAY, DAY_OUT_OF_RANGE)]);
        assert_eq!(problems("32", "3"), vec![(DAY, DAY_OUT_OF_RANGE)]);
        assert_eq!(
            problems("99999999999999999999", "3"),
            vec![(DAY, DAY_OUT_OF_RANGE)]
        );
        assert_eq!(problems("5", "0"), vec![(MONTH, MONTH_OUT_OF_RANGE)]);
        assert_eq!(problems("5", "13"), vec![(MONTH, MONTH_OUT_OF_RANGE)]);
        assert_eq!(
            problems("32", "13"),
            vec![(DAY, DAY_OUT_OF_RANGE), (MONTH, MONTH_OUT_OF_RANGE)]
        );
        // A bad month means the day cannot be judged against it.
        assert_eq!(problems("31", "13"), vec![(MONTH, MONTH_OUT_OF_RANGE)]);
    }

    #[test]
    fn impossible_combinations_are_reported_on_the_day() {
        for (d, m) in [
            ("31", "4"),
            ("31", "6"),
            ("31", "9"),
            ("31", "11"),
            ("30", "2"),
            ("31", "02"),
        ] {
            let p = problems(d, m);
            assert_eq!(p.len(), 1, "{d}/{m}");
            assert_eq!(p[0].0, DAY, "{d}/{m}");
            assert!(p[0].1.es.contains("Revise el día"), "{d}/{m}");
            assert!(p[0].1.en.contains("Check the day"), "{d}/{m}");
        }
        for m in ["1", "3", "5", "7", "8", "10", "12"] {
            assert_eq!(parse_day_month("31", m), Ok((31, m.parse().unwrap())));
        }
        for m in ["4", "6", "9", "11"] {
            assert_eq!(parse_day_month("30", m), Ok((30, m.parse().unwrap())));
        }
    }

    #[test]
    fn full_dates_need_a_real_year_and_leap_years_for_29_february() {
        assert_eq!(parse_full_date("14", "3", "1985", 2026), Ok((1985, 3, 14)));
        assert_eq!(parse_full_date("29", "2", "2000", 2026), Ok((2000, 2, 29)));
        assert_eq!(parse_full_date("29", "02", "1996", 2026), Ok((1996, 2, 29)));
        let one = |d: &str, m: &str, y: &str| -> Vec<(&'static str, Text)> {
            parse_full_date(d, m, y, 2026)
                .expect_err("refused")
                .into_iter()
                .map(|p| (p.field, p.message))
                .collect()
        };
        assert_eq!(one("29", "2", "1900"), vec![(DAY, NOT_LEAP)]);
        assert_eq!(
            NOT_LEAP.get(crate::lang::Lang::En),
            "February had 28 days that year. Check the day."
        );
        assert_eq!(one("29", "2", "2023"), vec![(DAY, NOT_LEAP)]);
        assert_eq!(one("1", "1", ""), vec![(YEAR, YEAR_EMPTY)]);
        assert_eq!(one("1", "1", "mil"), vec![(YEAR, YEAR_NOT_NUMBER)]);
        assert_eq!(one("1", "1", "85"), vec![(YEAR, YEAR_OUT_OF_RANGE)]);
        assert_eq!(one("1", "1", "2027"), vec![(YEAR, YEAR_OUT_OF_RANGE)]);
        assert_eq!(one("1", "1", "1899"), vec![(YEAR, YEAR_OUT_OF_RANGE)]);
        assert_eq!(
            one("", "13", "x"),
            vec![
                (DAY, DAY_EMPTY),
                (MONTH, MONTH_OUT_OF_RANGE),
                (YEAR, YEAR_NOT_NUMBER)
            ]
        );
    }

    /// Days in each month of a leap year (the year is not asked).
    const DAYS: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    proptest! {
        #[test]
        fn never_panics(day in any::<String>(), month in any::<String>()) {
            match parse_day_month(&day, &month) {
                Ok((d, m)) => {
                    prop_assert!((1..=12).contains(&m));
                    prop_assert!(d >= 1 && d <= DAYS[m as usize - 1]);
                }
                Err(p) => {
                    prop_assert!(!p.is_empty() && p.len() <= 2);
                    prop_assert!(p.iter().all(|f| f.field == DAY || f.field == MONTH));
                }
            }
        }

        #[test]
        fn full_dates_agree_with_the_calendar(y in 1890i32..2040, m in 1u32..=12, d in 1u32..=31) {
            let r = parse_full_date(&d.to_string(), &m.to_string(), &y.to_string(), 2026);
            let month_days = if m == 2 && !is_leap(y) { 28 } else { DAYS[m as usize - 1] };
            let real = d <= month_days;
            prop_assert_eq!(r.is_ok(), real && (1900..=2026).contains(&y), "{}-{}-{}", y, m, d);
        }

        #[test]
        fn every_real_day_is_accepted(m in 1u32..=12, d in 1u32..=31, zeros in 0usize..3) {
            let pad = "0".repeat(zeros);
            let r = parse_day_month(&format!(" {pad}{d}"), &format!("{pad}{m} "));
            if d <= DAYS[m as usize - 1] {
                prop_assert_eq!(r, Ok((d, m)));
            } else {
                prop_assert!(r.is_err());
            }
        }
    }
}
