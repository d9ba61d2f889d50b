//! The contact centre's office hours (SPEC §2.3): Monday to Sunday, 08:00 to
//! 17:00 in Ecuador (America/Guayaquil), computed with the time-zone database,
//! never with a hand-written offset.
//!
//! The hours themselves are plain constants, shared with the browser; what
//! computes with instants is server only: chrono-tz's database stays out of the
//! WASM bundle. The browser is given the window as Unix instants and shows
//! them in its own zone.

#[cfg(feature = "server")]
pub use server::*;

use crate::lang::Lang;

/// Opening and closing, Ecuador clock time (every day of the week).
pub const OPENS: (u32, u32) = (8, 0);
pub const CLOSES: (u32, u32) = (17, 0);
/// Where a morning call-back window ends and an afternoon one starts.
pub const MIDDAY: (u32, u32) = (12, 0);

/// "08:00".
pub fn hhmm((h, m): (u32, u32)) -> String {
    format!("{h:02}:{m:02}")
}

/// "lunes a domingo, de 08:00 a 17:00 (hora de Ecuador)".
pub fn hours(lang: Lang) -> String {
    let (opens, closes) = (hhmm(OPENS), hhmm(CLOSES));
    lang.pick(
        format!("lunes a domingo, de {opens} a {closes} (hora de Ecuador)"),
        format!("Monday to Sunday, {opens} to {closes} (Ecuador time)"),
    )
}

#[cfg(feature = "server")]
mod server {
    use super::{CLOSES, OPENS};
    use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
    use chrono_tz::America::Guayaquil;
    use chrono_tz::Tz;

    use crate::ecuador_time::clock_at;

    /// One day's opening hours, as instants.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Window {
        pub opens: DateTime<Utc>,
        pub closes: DateTime<Utc>,
    }

    fn at(date: NaiveDate, (h, m): (u32, u32)) -> DateTime<Utc> {
        let time = NaiveTime::from_hms_opt(h, m, 0).expect("valid office time");
        // Ecuador has no daylight saving time, so every local time exists once.
        Guayaquil
            .from_local_datetime(&date.and_time(time))
            .single()
            .expect("Ecuador local times are unambiguous")
            .with_timezone(&Utc)
    }

    /// The window of Ecuador's calendar day `date`.
    pub fn window_on(date: NaiveDate) -> Window {
        Window {
            opens: at(date, OPENS),
            closes: at(date, CLOSES),
        }
    }

    /// Whether the contact centre is open at `now` (open at 08:00, closed at 17:00).
    pub fn is_open(now: DateTime<Utc>) -> bool {
        let w = window_on(now.with_timezone(&Guayaquil).date_naive());
        now >= w.opens && now < w.closes
    }

    /// The window that matters at `now`: today's while it has not closed, else
    /// tomorrow's (Ecuador days).
    pub fn current_or_next(now: DateTime<Utc>) -> Window {
        let today = now.with_timezone(&Guayaquil).date_naive();
        let w = window_on(today);
        if now < w.closes {
            w
        } else {
            window_on(today + Duration::days(1))
        }
    }

    /// The window as clock times in zone `tz` ("02:00", "11:00"): what a visitor
    /// elsewhere sees beside the Ecuador hours. `None` when `tz` shows the same
    /// clock times as Ecuador.
    pub fn in_zone(w: Window, tz: Tz) -> Option<(String, String)> {
        let local = |t: DateTime<Utc>| t.with_timezone(&tz).format("%H:%M").to_string();
        let shown = (local(w.opens), local(w.closes));
        (shown != (clock_at(w.opens), clock_at(w.closes))).then_some(shown)
    }
}

#[cfg(all(test, feature = "server"))]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};
    use chrono_tz::America::Guayaquil;
    use chrono_tz::Tz;

    /// An instant given as Ecuador clock time.
    fn ec(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Guayaquil
            .with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn open_from_eight_until_just_before_five_every_day() {
        for day in 23..=29 {
            // 23–29 November 2026 is Monday to Sunday.
            assert!(!is_open(ec(2026, 11, day, 7, 59)), "07:59 on the {day}th");
            assert!(is_open(ec(2026, 11, day, 8, 0)), "08:00");
            assert!(is_open(ec(2026, 11, day, 16, 59)), "16:59");
            assert!(!is_open(ec(2026, 11, day, 17, 0)), "17:00");
            assert!(!is_open(ec(2026, 11, day, 0, 0)), "midnight");
            assert!(!is_open(ec(2026, 11, day, 23, 59)), "23:59");
        }
    }

    #[test]
    fn ecuador_is_utc_minus_five_all_year() {
        for (mo, d) in [(1, 15), (3, 29), (7, 1), (10, 25), (12, 31)] {
            let w = window_on(NaiveDate::from_ymd_opt(2026, mo, d).unwrap());
            assert_eq!(w.opens.format("%H:%M").to_string(), "13:00");
            assert_eq!(w.closes.format("%H:%M").to_string(), "22:00");
        }
    }

    #[test]
    fn after_closing_the_next_window_is_tomorrows() {
        assert_eq!(
            current_or_next(ec(2026, 11, 25, 7, 0)),
            window_on(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap())
        );
        assert_eq!(
            current_or_next(ec(2026, 11, 25, 16, 59)),
            window_on(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap())
        );
        assert_eq!(
            current_or_next(ec(2026, 11, 25, 17, 0)),
            window_on(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
        );
        // 23:30 in Ecuador is already the next day in UTC: still the 26th's window.
        assert_eq!(
            current_or_next(ec(2026, 11, 25, 23, 30)),
            window_on(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())
        );
    }

    fn shown(y: i32, mo: u32, d: u32, tz: Tz) -> Option<(String, String)> {
        in_zone(window_on(NaiveDate::from_ymd_opt(y, mo, d).unwrap()), tz)
    }

    fn pair(a: &str, b: &str) -> Option<(String, String)> {
        Some((a.to_owned(), b.to_owned()))
    }

    #[test]
    fn a_visitor_in_madrid_across_both_dst_changes() {
        use chrono_tz::Europe::Madrid;
        // Winter: UTC+1, six hours ahead.
        assert_eq!(shown(2026, 3, 28, Madrid), pair("14:00", "23:00"));
        // Summer time from 29 March 2026: UTC+2, seven hours ahead.
        assert_eq!(shown(2026, 3, 29, Madrid), pair("15:00", "00:00"));
        assert_eq!(shown(2026, 10, 24, Madrid), pair("15:00", "00:00"));
        // Back to winter time on 25 October 2026.
        assert_eq!(shown(2026, 10, 25, Madrid), pair("14:00", "23:00"));
    }

    #[test]
    fn a_visitor_in_new_york_across_both_dst_changes() {
        use chrono_tz::America::New_York;
        // Winter: UTC−5, the same clock as Ecuador: nothing extra to show.
        assert_eq!(shown(2026, 3, 7, New_York), None);
        // Daylight time from 8 March 2026: one hour ahead.
        assert_eq!(shown(2026, 3, 8, New_York), pair("09:00", "18:00"));
        assert_eq!(shown(2026, 10, 31, New_York), pair("09:00", "18:00"));
        // Back on 1 November 2026.
        assert_eq!(shown(2026, 11, 1, New_York), None);
    }

    #[test]
    fn ecuador_itself_needs_no_second_line() {
        assert_eq!(shown(2026, 6, 1, Guayaquil), None);
        assert_eq!(shown(2026, 6, 1, chrono_tz::America::Bogota), None);
    }
}
