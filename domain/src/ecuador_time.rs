//! Instants as Ecuador's clock shows them (America/Guayaquil, from the
//! time-zone database): the one place a time is formatted for people — in
//! pages, mails and the staff console.
//!
//! Server only: chrono-tz's database stays out of the WASM bundle.

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::America::Guayaquil;

use crate::lang::Lang;

fn format(t: DateTime<Utc>, pattern: &str) -> String {
    t.with_timezone(&Guayaquil).format(pattern).to_string()
}

fn from_unix(unix: i64) -> Option<DateTime<Utc>> {
    Utc.timestamp_opt(unix, 0).single()
}

/// "10:42".
pub fn clock_at(t: DateTime<Utc>) -> String {
    format(t, "%H:%M")
}

/// "10:42", from Unix seconds.
pub fn clock(unix: i64) -> String {
    from_unix(unix).map(clock_at).unwrap_or_default()
}

/// "26/11/2026 a las 14:30" ("26/11/2026 at 14:30").
pub fn date_time(unix: i64, lang: Lang) -> String {
    from_unix(unix)
        .map(|t| format(t, lang.pick("%d/%m/%Y a las %H:%M", "%d/%m/%Y at %H:%M")))
        .unwrap_or_default()
}

/// "2026-11-26": the date in Ecuador (sorts as text).
pub fn date(unix: i64) -> String {
    from_unix(unix)
        .map(|t| format(t, "%Y-%m-%d"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_read_as_ecuador_clock_time_five_hours_behind_utc() {
        // 2026-11-26 19:30:00 UTC, worked out by hand: 14:30 in Ecuador.
        let unix = 1_795_721_400;
        assert_eq!(clock(unix), "14:30");
        assert_eq!(date_time(unix, Lang::Es), "26/11/2026 a las 14:30");
        assert_eq!(date_time(unix, Lang::En), "26/11/2026 at 14:30");
        assert_eq!(date(unix), "2026-11-26");
        // 03:00 UTC is still the day before in Ecuador.
        assert_eq!(date(1_795_748_400), "2026-11-26");
        assert_eq!(clock(1_795_748_400), "22:00");
    }
}
