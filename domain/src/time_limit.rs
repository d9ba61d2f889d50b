//! Time limits people are warned of (WCAG 2.2.1): an idle flow or session ends,
//! and at least two minutes before it does the page says so and offers one
//! button that extends it. The flow's and the session's pages take the moment
//! of the warning from here.

/// How long before the end the warning comes.
pub const WARN_BEFORE_SECS: i64 = 120;

/// Seconds from now until the warning, for a limit `seconds_left` away: at
/// once when less than the warning's lead is left.
pub fn warn_in(seconds_left: i64) -> u32 {
    (seconds_left - WARN_BEFORE_SECS).clamp(0, i64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_comes_two_minutes_before_the_end_or_at_once() {
        // By hand: a 15-minute flow is warned after 13 minutes.
        assert_eq!(warn_in(900), 780);
        assert_eq!(warn_in(121), 1);
        assert_eq!(warn_in(120), 0);
        assert_eq!(warn_in(30), 0);
        assert_eq!(warn_in(-5), 0);
    }
}
