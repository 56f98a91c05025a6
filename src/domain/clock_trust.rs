//! Whether a kiosk can trust its own clock, and where the hub places what it wrote when it could not.
//!
//! A Raspberry Pi has no battery clock: after a power cut without network it resumes from the last
//! time it saved, days behind, until NTP answers. Dates matter (caps per week and month, best-before
//! checks, reports), so the kiosk judges its clock before it writes ([`judge`]): a time before the
//! program was built, before the last time the kiosk trusted its clock, or one the system says is
//! not synchronised is doubted. The kiosk keeps selling; each event written meanwhile carries a
//! [`ClockMark`], and the kiosk counts its dates from [`effective_now`] (never before the last
//! trusted time). The hub then places a marked event with the clock offset it measures at the push
//! that brings it ([`place`]). Everything here takes times as inputs; the edges read the clocks.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How far behind the last trusted time a synchronised clock may step (NTP's small corrections)
/// before it is doubted.
pub const BACKSTEP_TOLERANCE_MS: i64 = 2 * 60 * 1000;

/// What the operating system says of its clock's synchronisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synchronised {
    Yes,
    No,
    /// The system cannot tell (no `timedatectl`, not Linux): only the other checks apply.
    Unknown,
}

/// Why a kiosk doubted its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum ClockDoubt {
    /// Earlier than the build of the program running: surely wrong.
    BeforeBuild,
    /// Earlier than the last time the kiosk trusted its clock: it went back (a power cut).
    BeforeLastTrusted,
    /// The system says its clock is not synchronised (no NTP answer since boot).
    NotSynchronised,
}

/// What the kiosk knows when it judges its clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockFacts {
    /// The wall clock now.
    pub now: DateTime<Utc>,
    /// When the program was built.
    pub built: DateTime<Utc>,
    /// The last time the kiosk trusted its clock (the latest unmarked event after a restart).
    pub last_trusted: Option<DateTime<Utc>>,
    pub synchronised: Synchronised,
}

/// `Ok` when the clock can be trusted, else the first reason to doubt it.
pub fn judge(facts: &ClockFacts) -> Result<(), ClockDoubt> {
    if facts.now < facts.built {
        return Err(ClockDoubt::BeforeBuild);
    }
    if let Some(last) = facts.last_trusted
        && facts.now < last - Duration::milliseconds(BACKSTEP_TOLERANCE_MS)
    {
        return Err(ClockDoubt::BeforeLastTrusted);
    }
    if facts.synchronised == Synchronised::No {
        return Err(ClockDoubt::NotSynchronised);
    }
    Ok(())
}

/// The time a kiosk counts dates from: its clock when trusted; otherwise its clock, but never
/// before the last trusted time (a clock resumed days behind would reopen last week's caps and
/// sell what expired since).
pub fn effective_now(
    now: DateTime<Utc>,
    verdict: Result<(), ClockDoubt>,
    last_trusted: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    match (verdict, last_trusted) {
        (Err(_), Some(last)) => now.max(last),
        _ => now,
    }
}

/// On an event written while the kiosk doubted its clock. Absent (and absent from the event's
/// JSON, so older events keep their content hash) when the clock was trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct ClockMark {
    pub doubt: ClockDoubt,
    /// The last time the kiosk trusted its clock before this event, if it ever did: the event
    /// cannot have happened earlier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_trusted: Option<DateTime<Utc>>,
}

impl ClockMark {
    /// The time the kiosk counted this event at (its day for caps): the event's time, never
    /// before the last trusted time.
    pub fn counted_at(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        self.last_trusted.map_or(at, |last| at.max(last))
    }
}

/// Where the hub places an event the kiosk marked: its time moved by the kiosk's clock offset
/// measured at the push that brought it (`offset_ms`, kiosk minus hub), never before the kiosk's
/// last trusted time and never after the hub received it.
pub fn place(
    at: DateTime<Utc>,
    mark: &ClockMark,
    offset_ms: i64,
    received_at: DateTime<Utc>,
) -> DateTime<Utc> {
    let moved = at
        .checked_sub_signed(Duration::milliseconds(offset_ms))
        .unwrap_or(at);
    let floored = mark.last_trusted.map_or(moved, |last| moved.max(last));
    floored.min(received_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn t(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    const BUILT: &str = "2026-11-01T00:00:00Z";

    #[rstest]
    #[case::synchronised_and_after_everything("2026-12-05T12:00:00Z", Some("2026-12-05T11:00:00Z"), Synchronised::Yes, Ok(()))]
    #[case::no_history_yet("2026-12-05T12:00:00Z", None, Synchronised::Yes, Ok(()))]
    #[case::the_system_cannot_tell("2026-12-05T12:00:00Z", Some("2026-12-05T11:00:00Z"), Synchronised::Unknown, Ok(()))]
    #[case::ntp_stepped_back_a_little("2026-12-05T11:59:00Z", Some("2026-12-05T12:00:00Z"), Synchronised::Yes, Ok(()))]
    #[case::booted_in_1970(
        "1970-01-01T00:00:10Z",
        None,
        Synchronised::Unknown,
        Err(ClockDoubt::BeforeBuild)
    )]
    #[case::before_the_build_even_if_synchronised(
        "2026-10-31T23:59:59Z",
        None,
        Synchronised::Yes,
        Err(ClockDoubt::BeforeBuild)
    )]
    #[case::resumed_days_behind(
        "2026-12-02T12:00:00Z",
        Some("2026-12-05T11:00:00Z"),
        Synchronised::Unknown,
        Err(ClockDoubt::BeforeLastTrusted)
    )]
    #[case::behind_beats_unsynchronised(
        "2026-12-02T12:00:00Z",
        Some("2026-12-05T11:00:00Z"),
        Synchronised::No,
        Err(ClockDoubt::BeforeLastTrusted)
    )]
    #[case::plausible_but_unsynchronised(
        "2026-12-05T12:00:00Z",
        Some("2026-12-05T11:00:00Z"),
        Synchronised::No,
        Err(ClockDoubt::NotSynchronised)
    )]
    fn clocks_are_judged(
        #[case] now: &str,
        #[case] last_trusted: Option<&str>,
        #[case] synchronised: Synchronised,
        #[case] expected: Result<(), ClockDoubt>,
    ) {
        let facts = ClockFacts {
            now: t(now),
            built: t(BUILT),
            last_trusted: last_trusted.map(t),
            synchronised,
        };
        assert_eq!(judge(&facts), expected);
    }

    #[rstest]
    #[case::trusted_clock_counts_as_is(Ok(()), "2026-12-02T12:00:00Z", Some("2026-12-05T11:00:00Z"), "2026-12-02T12:00:00Z")]
    #[case::doubted_clock_behind_counts_from_the_last_trusted_time(
        Err(ClockDoubt::BeforeLastTrusted),
        "2026-12-02T12:00:00Z",
        Some("2026-12-05T11:00:00Z"),
        "2026-12-05T11:00:00Z"
    )]
    #[case::doubted_clock_ahead_counts_as_is(
        Err(ClockDoubt::NotSynchronised),
        "2026-12-06T12:00:00Z",
        Some("2026-12-05T11:00:00Z"),
        "2026-12-06T12:00:00Z"
    )]
    #[case::doubted_with_no_history(
        Err(ClockDoubt::BeforeBuild),
        "1970-01-01T00:00:00Z",
        None,
        "1970-01-01T00:00:00Z"
    )]
    fn dates_count_from_the_effective_time(
        #[case] verdict: Result<(), ClockDoubt>,
        #[case] now: &str,
        #[case] last_trusted: Option<&str>,
        #[case] expected: &str,
    ) {
        assert_eq!(
            effective_now(t(now), verdict, last_trusted.map(t)),
            t(expected)
        );
    }

    #[rstest]
    // Three days behind at the push: moved forward three days.
    #[case("2026-12-02T12:00:00Z", -259_200_000, None, "2026-12-05T12:00:00Z")]
    // An hour ahead: moved back an hour.
    #[case("2026-12-05T13:00:00Z", 3_600_000, None, "2026-12-05T12:00:00Z")]
    // Corrected before the push (offset 0): never before the last trusted time.
    #[case(
        "2026-12-02T12:00:00Z",
        0,
        Some("2026-12-05T09:00:00Z"),
        "2026-12-05T09:00:00Z"
    )]
    // Never after the hub received it.
    #[case("2026-12-05T18:00:00Z", 0, None, "2026-12-05T14:00:00Z")]
    fn the_hub_places_marked_events(
        #[case] at: &str,
        #[case] offset_ms: i64,
        #[case] last_trusted: Option<&str>,
        #[case] expected: &str,
    ) {
        let mark = ClockMark {
            doubt: ClockDoubt::NotSynchronised,
            last_trusted: last_trusted.map(t),
        };
        let received = t("2026-12-05T14:00:00Z");
        assert_eq!(place(t(at), &mark, offset_ms, received), t(expected));
    }

    #[test]
    fn a_mark_counts_the_event_no_earlier_than_the_last_trusted_time() {
        let mark = ClockMark {
            doubt: ClockDoubt::BeforeLastTrusted,
            last_trusted: Some(t("2026-12-05T11:00:00Z")),
        };
        assert_eq!(
            mark.counted_at(t("2026-12-02T12:00:00Z")),
            t("2026-12-05T11:00:00Z")
        );
        assert_eq!(
            mark.counted_at(t("2026-12-06T12:00:00Z")),
            t("2026-12-06T12:00:00Z")
        );
    }
}
