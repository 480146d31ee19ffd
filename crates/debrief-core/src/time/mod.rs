//! Dates, clock times and zones as people write them in postmortems.
//!
//! A [`Stamp`] keeps what the document said (a civil date, a clock time, a zone label, "about")
//! rather than converting to UTC and forgetting: `11:02 AM GMT` stays a GMT time, a time without a
//! date stays dateless. [`Stamp::utc_seconds`] converts when everything needed is known.
//!
//! Parsing is by hand on a small token stream: chrono and jiff either drop zone abbreviations or
//! refuse them, and postmortems are full of `PDT`, `UTC+2`, `3am`, `April 3rd, 2024`.
//! Nothing here allocates per character or backtracks more than a few tokens, so scanning prose is
//! linear in its length.

mod calendar;
mod read;
mod stamp;
mod tokens;

pub use calendar::*;
pub use read::*;
pub use stamp::*;
pub(crate) use tokens::{Tok, tokenize};
pub use tokens::{is_weekday, month_number, weekday_number};

#[cfg(test)]
mod tests {
    use super::calendar::*;
    use super::read::*;
    use super::stamp::*;
    use super::tokens::*;

    #[test]
    fn a_zone_at_the_start_of_a_text() {
        fn z(s: &str) -> Option<(i32, &str)> {
            zone_prefix(s).map(|(z, end)| (z.offset_minutes, &s[end..]))
        }
        assert_eq!(z(" (CEST) we deployed"), Some((120, " we deployed")));
        assert_eq!(z(" UTC+2: patched"), Some((120, ": patched")));
        assert_eq!(z(" Pacific Time, then"), Some((-480, ", then")));
        assert_eq!(z(" - deploy started"), None);
        assert_eq!(z(" Central database failover"), None);
    }

    #[test]
    fn a_date_written_year_first_with_the_months_name() {
        let day = |s: &str| {
            stamp_prefix(s)
                .and_then(|(p, _)| p.date)
                .map(|d| (d.year, d.month, d.day))
        };
        assert_eq!(day("2023 October 12 22:52 UTC"), Some((Some(2023), 10, 12)));
        assert_eq!(day("2023 Oct. 12th"), Some((Some(2023), 10, 12)));
        assert_eq!(day("2023-Oct-13 06:51"), Some((Some(2023), 10, 13)));
        // The number after the month is a clock's hour, not a day.
        assert_eq!(day("2023 May 12:30"), None);
    }

    #[test]
    fn iso_days_of_any_year() {
        assert!(Date::is_iso_day("0125-07-27"));
        assert!(Date::is_iso_day("2023-02-28"));
        assert!(
            Date::is_iso_day("1900-02-29"),
            "February 29 is a day of some years"
        );
        assert!(!Date::is_iso_day("2023-02-30"));
        assert!(!Date::is_iso_day("2023-13-01"));
        assert!(!Date::is_iso_day("23-01-01"));
        assert!(!Date::is_iso_day("2023/01/01"));
        assert!(!Date::is_iso_day("２０２３-01-01"));
    }

    #[test]
    fn no_zone_abbreviation_is_longer_than_sixteen_bytes() {
        // `declared_zone` skips longer words unread.
        assert!(ZONES.iter().all(|(n, _)| n.len() <= 16));
        assert_eq!(
            declared_zone("All times in UTC").map(|z| z.label),
            Some("UTC".into())
        );
        assert_eq!(
            declared_zone("Timeline (PDT)").map(|z| z.label),
            Some("PDT".into())
        );
    }

    fn one(s: &str) -> Pieces {
        stamp_prefix(s)
            .unwrap_or_else(|| panic!("no stamp in {s:?}"))
            .0
    }

    #[test]
    fn epoch_days_round_trip() {
        for z in [-800_000i64, -1, 0, 1, 19_816, 60_000] {
            assert_eq!(Date::from_days_since_epoch(z).days_since_epoch(), z);
        }
        assert_eq!(Date::new(2024, 4, 3).unwrap().days_since_epoch(), 19_816);
    }

    #[test]
    fn a_weekday_before_a_time_names_no_date() {
        for s in [
            "Tue 15:20 — Index rebuild",
            "Tuesday, 15:20 — x",
            "Tue 3:20 PM x",
        ] {
            let (p, _) = stamp_prefix(s).unwrap_or_else(|| panic!("{s}"));
            assert!(p.date.is_none(), "{s}");
            assert_eq!(p.weekday, Some(2), "{s}");
            assert_eq!(p.time.map(|t| t.minute), Some(20), "{s}");
        }
        assert_eq!(
            stamp_prefix("Tue 9 Jul 15:20")
                .and_then(|(p, _)| p.date)
                .map(|d| d.day),
            Some(9)
        );
        assert!(stamp_prefix("Tuesday was quiet").is_none());
    }

    #[test]
    fn a_date_and_its_time_apart_by_a_dash_or_a_bar() {
        for s in [
            "March 4, 2025 — 10:12 AM EST",
            "2025-03-04 — 10:12 UTC",
            "4 March 2025 – 10:12",
            "March 4, 2025 | 10:12 AM",
            "March 4, 2025 · 10:12",
            "4 Mar 25 10:12",
        ] {
            let (p, _) = stamp_prefix(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(p.date.map(|d| d.day), Some(4), "{s}");
            assert_eq!(p.time, Time::new(10, 12, 0), "{s}");
        }
    }

    #[test]
    fn a_range_of_days_is_dated_by_its_first() {
        for text in [
            "11–12 March 2024",
            "11-12 March 2024",
            "11 to 12 March 2024",
        ] {
            let (p, _) = stamp_prefix(text).unwrap();
            let d = p.date.unwrap();
            assert_eq!((d.year, d.month, d.day), (Some(2024), 3, 11), "{text}");
        }
        // Not a range: the later number is not the later day.
        assert!(
            stamp_prefix("12-11 March 2024")
                .is_none_or(|(p, _)| p.date.is_none_or(|d| d.day != 12))
        );
    }

    #[test]
    fn two_digits_after_a_month_are_a_year_only_before_a_time() {
        let (p, _) = stamp_prefix("4 Mar 25 10:12").unwrap();
        assert_eq!(p.date.and_then(|d| d.year), Some(2025));
        let (p, _) = stamp_prefix("Mar 4 25 users").unwrap();
        assert_eq!(p.date.and_then(|d| d.year), None);
        assert_eq!(p.time, None);
    }

    #[test]
    fn twelve_hour_clock_with_zone() {
        // A two-letter zone in capitals only: "et" and "pt" are words in other languages.
        assert_eq!(one("10:45 ET").zone.unwrap().label, "ET");
        assert!(one("9:30 et le service").zone.is_none());
        assert!(one("9h30 et 11h45").zone.is_none());
        let p = one("11:02 AM GMT— Website");
        assert_eq!(p.time, Time::new(11, 2, 0));
        assert_eq!(p.zone.unwrap().label, "GMT");
        assert_eq!(one("12:02 AM").time, Time::new(0, 2, 0));
        assert_eq!(one("12:30 PM").time, Time::new(12, 30, 0));
        assert_eq!(one("2:16 p.m. UTC").time, Time::new(14, 16, 0));
        assert_eq!(one("3am UTC").time, Time::new(3, 0, 0));
        // A half day written onto the minutes; an article after a time is no half day.
        assert_eq!(one("2:15p - deploy").time, Time::new(14, 15, 0));
        assert_eq!(one("9:40a").time, Time::new(9, 40, 0));
        assert_eq!(one("12:30 a customer called").time, Time::new(12, 30, 0));
        assert_eq!(one("12:30 p").time, Time::new(12, 30, 0));
        // A 24-hour time with a half-day mark it does not need.
        assert_eq!(one("13:55 PM PST").time, Time::new(13, 55, 0));
        assert_eq!(one("23:00 AM MST").time, Time::new(23, 0, 0));
        assert_eq!(one("00:30 AM").time, Time::new(0, 30, 0));
        // A date after the time and its weekday.
        let p = one("12:45 PM PST Saturday Oct 30th: first wave");
        assert_eq!(p.time, Time::new(12, 45, 0));
        assert_eq!(p.date.map(|d| (d.month, d.day)), Some((10, 30)));
    }

    #[test]
    fn dates_in_many_spellings() {
        let d = |s: &str| one(s).date.unwrap();
        assert_eq!(d("April 3rd, 2024 at 11:00 AM GMT").year, Some(2024));
        assert_eq!(d("16/03/2020 3am UTC").day, 16);
        assert_eq!(d("2013-03-09 21:50 UTC").month, 3);
        assert_eq!(d("Feb 28, 9:40 PM").day, 28);
        assert_eq!(d("3 April 2024").month, 4);
        assert_eq!(d("Tue Oct 11 12:24:02 UTC").month, 10);
        assert_eq!(d("06/May/2022 2:17 PM (GMT)").month, 5);
        // A three-digit year is a typo: the date stands, the year comes from the document.
        assert_eq!(d("11/03/202 - released").year, None);
        assert_eq!(d("12-05 16:21 bug introduced").year, None);
        assert_eq!(one("06-May-2022 2:17 PM").time, Time::new(14, 17, 0));
        // Jira's dates: a two-digit year after the month's name.
        assert_eq!(d("12/Mar/24 2:05 PM: errors").year, Some(2024));
        assert_eq!(one("12-Mar-24 2:05 PM").time, Time::new(14, 5, 0));
        assert_eq!(d("August 1st 2022: done").year, Some(2022));
        assert_eq!(one("2022-02-02 1625: e-mail").time, Time::new(16, 25, 0));
        // A colon between the date and its time.
        let p = one("February 15, 2024: 7:56am UTC");
        assert_eq!((p.date.unwrap().day, p.time), (15, Time::new(7, 56, 0)));
        assert_eq!(one("August 1st 2022: done").time, None);
        // A zone after the date that follows the time is the time's.
        let p = one("00:40 on 2 May 2025 (BST), logins failed");
        assert_eq!(
            (p.date.unwrap().day, p.zone.map(|z| z.offset_minutes)),
            (2, Some(60))
        );
        // The ordinal's dot, as German and Danish writers put it.
        let p = d("Monday 3. February 2020, a planned upgrade");
        assert_eq!((p.day, p.month, p.year), (3, 2, Some(2020)));
        // A list's number before a month is no day.
        assert!(scan("1. March was quiet").is_empty());
    }

    #[test]
    fn a_dotted_number_after_a_version_word_is_no_time() {
        let times =
            |s: &str| -> Vec<Option<Time>> { scan(s).iter().map(|f| f.pieces.time).collect() };
        assert!(times("an upgrade of the cluster from version 1.13 to 1.14 broke DNS").is_empty());
        assert!(times("Upgrade to 2.10 failed").is_empty());
        assert_eq!(
            times("we upgraded the cluster at 14.05"),
            [Time::new(14, 5, 0)]
        );
        assert_eq!(
            times("from 9.30 to 10.15 the site was slow"),
            [Time::new(9, 30, 0), Time::new(10, 15, 0)]
        );
        // A colon makes it a time whatever comes before.
        assert_eq!(times("release 3 went out 14:05"), [Time::new(14, 5, 0)]);
    }

    #[test]
    fn offsets_and_iso() {
        let p = one("2024-04-03T11:02:00+02:00 deploy");
        assert_eq!(p.zone.as_ref().unwrap().offset_minutes, 120);
        let p = one("11:02 UTC+2");
        assert_eq!(p.zone.as_ref().unwrap().offset_minutes, 120);
        assert_eq!(p.zone.unwrap().label, "UTC+2");
        assert_eq!(one("09:15 GMT-5").zone.unwrap().offset_minutes, -300);
        assert_eq!(one("2024-04-03T11:02:00Z").zone.unwrap().offset_minutes, 0);
        assert_eq!(
            one("2024-04-03 11:02:00+02 deploy")
                .zone
                .unwrap()
                .offset_minutes,
            120
        );
        // A range whose end is unknown names no zone.
        assert_eq!(one("2022-08-03 12:26-12:?? fix deployed").zone, None);
    }

    #[test]
    fn canonical_round_trip() {
        for s in [
            "2024-04-03 11:02 GMT",
            "~11:30",
            "day+1 00:40 EEST",
            "2024-04-03",
            "2024-04-03 11:02:05 UTC+2",
            "11:00 +02:00",
        ] {
            let st = parse_canonical(s).unwrap();
            assert_eq!(st.to_string(), s);
        }
    }

    #[test]
    fn unknown_markers() {
        assert!(one("[???]".trim_matches(['[', ']'])).unknown);
        assert!(one("--:-- something").unknown);
    }

    /// `scan` as first written: every token read, a stamp tried at every token that can begin
    /// one. The fast `scan` must find exactly what this finds.
    fn scan_every_token(s: &str) -> Vec<Found> {
        let t = tokenize(s);
        let mut stamp = Toks::new(s);
        let mut out = Vec::new();
        let mut i = 0;
        while i < t.len() {
            let starts = match t[i].tok {
                Tok::Num(..) => {
                    // "11:00-11:30": the end of a range right after a time.
                    let range_end = i > 0
                        && matches!(t[i - 1].tok, Tok::Punct('-'))
                        && out.last().is_some_and(|f: &Found| {
                            f.end == t[i - 1].start && f.pieces.time.is_some()
                        });
                    i == 0
                        || range_end
                        || !matches!(
                            t[i - 1].tok,
                            Tok::Word(_)
                                | Tok::Num(..)
                                | Tok::Punct('.' | ':' | '/' | '-' | '#' | '$')
                        )
                }
                Tok::Word(w) => {
                    (i == 0 || !matches!(t[i - 1].tok, Tok::Num(..)))
                        && (month_from_word(w).is_some()
                            || is_weekday(w)
                            || w.eq_ignore_ascii_case("noon")
                            || w.eq_ignore_ascii_case("midnight"))
                }
                Tok::Punct('~') => true,
                _ => false,
            };
            if starts {
                stamp.restart(t[i].start);
                if let Some((p, end)) = stamp_at(s, &mut stamp, 0, false)
                    && end > 0
                    && (p.date.is_some() || p.time.is_some())
                    && !matches!(t.get(i + end).map(|x| x.tok), Some(Tok::Word(_)))
                    && !(p.date.is_none()
                        && p.zone.is_none()
                        && !p.half_day
                        && !s[t[i].start..t[i + end - 1].end].contains(':')
                        && version_before(&s[..t[i].start]))
                {
                    out.push(Found {
                        pieces: p,
                        start: t[i].start,
                        end: t[i + end - 1].end,
                    });
                    i += end;
                    continue;
                }
            }
            i += 1;
        }
        out
    }

    #[test]
    fn prefilters_let_through_what_they_must_and_skip_the_rest() {
        for s in [
            "at 11:02",
            "3 pm",
            "3\u{a0}a.m.",
            "14h30",
            "11.30 UTC",
            "around noon",
        ] {
            assert!(may_hold_clock(s), "{s:?}");
        }
        for s in [
            "503 errors for 30% of users in 2024",
            "v2 to v3",
            "no numbers",
        ] {
            assert!(!may_hold_clock(s), "{s:?}");
        }
        for s in [
            "April 3, 2024",
            "2024-04-03",
            "16/03/20 3am",
            "Tue Oct 11 12:24:02 UTC 2022",
        ] {
            assert!(may_hold_year(s), "{s:?}");
        }
        for s in ["- 11:02 UTC - Alert fires", "503 errors", "v1.2.3", "12345"] {
            assert!(!may_hold_year(s), "{s:?}");
        }
    }

    #[test]
    fn plain_stamps_at_their_edges_read_as_the_full_reader_reads_them() {
        for s in [
            "9:00-02:00 x",
            "9:00 -02:00",
            "9:00 - Alert",
            "09:06 UTC — Alert",
            "09:06 UTC-5",
            "09:06 UTC - x",
            "9:00:30",
            "9:00pm",
            "9:00 PM",
            "9:00 on April 3",
            "9:00 (approx)",
            "9:00 PST/PDT",
            "2024-04-03 11:02 UTC",
            "2024-04-03 11:02 - x",
            "2024-04-03 11:02:00",
            "2024-04-03 11:02 -0500",
            "2024-04-03",
            "2024-04-03.",
            "2024-02-30",
            "24:00",
        ] {
            if let Some(fast) = plain_clock_prefix(s) {
                assert_eq!(Some(fast), read_stamp_prefix(s), "{s:?}");
            }
        }
        // The commonest timeline shapes take the plain path.
        for s in [
            "9:00 - Alert",
            "09:06 UTC — Alert",
            "2024-04-03 11:02 UTC",
            "2024-04-03",
        ] {
            assert!(plain_clock_prefix(s).is_some(), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn numeric_dates_with_short_years_may_hold_one(
            d in 1..=28u32, m in 1..=12u32, y in 0..=99u32,
            sep in proptest::sample::select(vec!['/', '-', '.']),
        ) {
            let s = format!("on {d}{sep}{m}{sep}{y:02} at noon");
            let found = scan(&s).iter().any(|f| f.pieces.date.is_some_and(|d| d.year.is_some()));
            proptest::prop_assert!(!found || may_hold_year(&s), "{:?}", s);
        }

        #[test]
        fn no_year_is_found_where_none_can_be(
            first in proptest::sample::select(vec!["3", "11", "2024", "05", "", "Tue Oct 11 12:24:02 UTC ", "April 3rd, "]),
            sep in proptest::sample::select(vec!["", "/", "-", ".", " ", ", "]),
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "3", "11", "24", "2024", "05", "99", "/", "-", ".", " ", "April", "of", "3rd",
                    ",", "UTC", "20245", "x", "é", "T", ":",
                ]),
                0..8,
            ),
        ) {
            let s = format!("{first}{sep}{}", parts.concat());
            if !may_hold_year(&s) {
                proptest::prop_assert!(
                    scan(&s).iter().all(|f| f.pieces.date.is_none_or(|d| d.year.is_none())),
                    "{:?}", s
                );
            }
        }

        #[test]
        fn stamps_begin_only_with_the_words_that_can_begin_one(
            first in proptest::sample::select(vec![
                "Approx", "around", "est", "EST", "ca", "TBD", "unknown", "xx", "Tue", "Monday",
                "may", "Feb", "September", "noon", "Midday", "midnight", "the", "on", "at", "Team",
                "April3", "Mayday", "",
            ]),
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " ", "3", "11", "2024", ":", "30", ".", ",", "-", "?", "am", "UTC", "April",
                    "3rd", "of", "noon", "~", "x", "é", "(", ")", " 11:30", " 3 pm", " 3rd",
                    " 2024-05-01", ":xx", "??", " 12", " Oct 11", ", 3 April",
                ]),
                0..8,
            ),
        ) {
            let s = format!("{first}{}", parts.concat());
            proptest::prop_assert_eq!(read_stamp_prefix(&s), read_stamp_tokens(&s), "{:?}", s);
        }

        #[test]
        fn no_time_is_found_where_no_clock_can_be(
            number in proptest::sample::select(vec!["3", "11", "2024", "05", "", "Tue Oct 11 "]),
            between in proptest::sample::select(vec!["", " ", "  ", "\u{a0}", "\t", "\u{b}", ":", ".", "-", "/"]),
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "3", "11", "2024", "05", ":", ".", "30", "h", "H", "am", "PM", "a.m.", "p", " ",
                    "\u{a0}", "\t", "\u{b}", "noon", "Midnight", "midday", "on", "April", "3rd",
                    "Tue", "-", "/", "UTC", "users", "é", "~", ",", "at", "x", "m", "M", "and",
                    "pods", "amazing", "A", "P.",
                ]),
                0..12,
            ),
        ) {
            let s = format!("{number}{between}{}", parts.concat());
            if !may_hold_clock(&s) {
                proptest::prop_assert!(scan(&s).iter().all(|f| f.pieces.time.is_none()), "{:?}", s);
            }
        }

        #[test]
        fn plain_dates_read_as_the_full_reader_reads_them(
            date in proptest::sample::select(vec![
                "2024-05-01", "2024-02-30", "2024-13-01", "1999-12-31", "2024-5-01", "20240-05-01",
                "2024/05/01", "2024-05-011",
            ]),
            after in proptest::sample::select(vec![
                " 11:02 UTC", " 11:02 UTC - x", " 9:05", " 23:59:59", " 11:02 PM", " 11:02 on April 3",
                " 11:02 UTC+2", " 11:02 - x", " 11:02 -3", " 2024-05-02", " 25:00", " 11:02 (approx)",
                "", " ", ".", ";", "|", ")", "]", "*", "_", "!", "?", ", 11:00", ",11:00", "T11:00",
                "t11:00", " 11:00", "11:00", "-11:00", " - 11:00", "–11:00", "@11:00", " at 11:00",
                "(approx)", " approx", " (approx)", "Z", "x", "é", "9", ":", "/", ". 11:00",
                "| 11:00", "; x", "] 11:00",
            ]),
        ) {
            let s = format!("{date}{after}");
            if let Some(fast) = plain_iso_date_prefix(s.as_bytes()) {
                proptest::prop_assert_eq!(Some(fast), read_stamp_prefix(&s), "{:?}", s);
            }
        }

        #[test]
        fn plain_clocks_read_as_the_full_reader_reads_them(
            hour in proptest::sample::select(vec!["9", "09", "23", "24", "0", "123", ""]),
            minute in proptest::sample::select(vec![":00", ":59", ":60", ":5", ":007", ".30", ""]),
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "9", "09", "23", "24", "7", ":", "00", "59", "60", "5", " ", "  ", "\u{a0}",
                    "\t", "UTC", "utc", "GMT", "PST", "PDT", "EST", "Z", "z", "am", "PM", "a", ".",
                    "m", "on", "April", "3", "2024", "approx", "(", ")", "+", "-", "−", "/", "—",
                    "|", ",", "*", "]", "text", "é", "~", "x", ":30", "h", "p", "ON", "CEST",
                    " - ", "- x", " -2", "-02:00", " −1", " + 5",
                ]),
                0..6,
            ),
        ) {
            let s = format!("{hour}{minute}{}", parts.concat());
            let s = &s[..s.floor_char_boundary(STAMP_MAX_BYTES)];
            if let Some(fast) = plain_clock_prefix(s) {
                proptest::prop_assert_eq!(Some(fast), read_stamp_prefix(s), "{:?}", s);
            }
        }

        #[test]
        fn scan_finds_what_reading_every_token_finds(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "3", "03", "12", "2024", "123", "11:02", ":", "-", "/", ".", " ", "  ", "\u{a0}",
                    "April", "Apr", "may", "Tue", "Monday", "noon", "midnight", "~", "am", "PM",
                    "p.m.", "UTC", "GMT+2", "(PDT)", "rd", "th", "of", "at", "on", "x", "v2", "#",
                    "$", ",", "é", "–", "\n", "1e3", "T", "Z", "approx", "(approx.)",
                ]),
                0..24,
            )
        ) {
            let s = parts.concat();
            proptest::prop_assert_eq!(scan(&s), scan_every_token(&s), "{:?}", s);
        }
    }

    #[test]
    fn prose_scan_finds_start_and_end() {
        let f = scan(
            "On April 3rd, 2024 at 11:00 AM GMT , our primary database failed. It lasted until 2:16 PM GMT.",
        );
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].pieces.time, Time::new(11, 0, 0));
        assert_eq!(f[1].pieces.time, Time::new(14, 16, 0));
        assert!(scan("We served 503 errors for 15 minutes on version 1.2").is_empty());
    }

    #[test]
    fn declared_zones() {
        assert_eq!(
            declared_zone("Timeline (all times PST/PDT)").unwrap().label,
            "PST/PDT"
        );
        assert_eq!(declared_zone("All times in CET.").unwrap().label, "CET");
        assert!(declared_zone("What went well").is_none());
        // Written out.
        assert_eq!(
            declared_zone("Timeline (Eastern Time)")
                .unwrap()
                .offset_minutes,
            -300
        );
        assert!(declared_zone("Central services were down for some time").is_none());
        // A region alone, in brackets or after "times".
        assert_eq!(declared_zone("Timeline (Eastern)").unwrap().label, "ET");
        assert_eq!(declared_zone("All times Pacific.").unwrap().label, "PT");
        assert_eq!(declared_zone("All times are Pacific.").unwrap().label, "PT");
        assert_eq!(
            declared_zone("Timeline (all times America/New_York)")
                .unwrap()
                .label,
            "America/New_York"
        );
        assert_eq!(declared_zone("Times are in Eastern").unwrap().label, "ET");
        assert_eq!(declared_zone("(times are US Eastern)").unwrap().label, "ET");
        assert_eq!(
            declared_zone("All times in US Pacific").unwrap().label,
            "PT"
        );
        assert!(declared_zone("Times are up in US Central").is_none());
        assert!(declared_zone("Timeline of the central database").is_none());
        assert_eq!(
            declared_zone("Times shown are in Pacific").unwrap().label,
            "PT"
        );
        assert!(declared_zone("Timeline of the outage in Central").is_none());
        // An offset a space after UTC; a minus so spaced only in brackets.
        let offset = |s: &str| declared_zone(s).map(|z| z.offset_minutes);
        assert_eq!(offset("Timeline (UTC +2)"), Some(120));
        assert_eq!(offset("All times UTC +5:30"), Some(330));
        assert_eq!(offset("Timeline (UTC -5)"), Some(-300));
        assert_eq!(offset("Timeline (times UTC - 15:00 onwards)"), Some(0));
    }

    #[test]
    fn zones_written_out() {
        let z = |s: &str| one(s).zone.unwrap();
        assert_eq!(z("3:00 PM Eastern time - page updated").label, "ET");
        assert_eq!(z("9:00 AM Pacific Standard Time").offset_minutes, -480);
        assert_eq!(z("14:05 Central European Summer Time").offset_minutes, 120);
        assert_eq!(z("14:05 (Central European Time)").offset_minutes, 60);
        // A word that only starts a zone's name is not one.
        assert_eq!(one("14:05 Pacific region failover").zone, None);
        // A region alone, with no word after it.
        assert_eq!(z("10:23 PM Pacific: CPU at 100%").label, "PT");
        assert_eq!(z("10:23 (Eastern) - paged").label, "ET");
        assert_eq!(one("10:23 Central database failover").zone, None);
        // ... or a word that goes on with the sentence.
        assert_eq!(z("8:15 AM Central on 2024-12-09").label, "CT");
        assert_eq!(one("8:15 Central once more").zone, None);
        // A country's or a city's time is its region's.
        assert_eq!(z("10:23 (UK time) paged").label, "Europe/London");
        assert_eq!(
            declared_zone("All times are London time").unwrap().label,
            "Europe/London"
        );
    }

    #[test]
    fn a_zone_named_for_a_region_takes_the_offset_of_the_day() {
        let at = |date: &str, time: &str, zone: &str| {
            let (h, m) = time.split_once(':').unwrap();
            let zone = parse_zone_label(zone).unwrap();
            zone.on(
                Date::parse_iso(date).unwrap(),
                Time::new(h.parse().unwrap(), m.parse().unwrap(), 0),
            )
            .offset_minutes
        };
        // North America: second Sunday of March to first Sunday of November, at 02:00.
        assert_eq!(at("2024-01-15", "12:00", "PT"), -480);
        assert_eq!(at("2024-08-08", "23:40", "PT"), -420);
        assert_eq!(at("2024-03-10", "01:30", "ET"), -300);
        assert_eq!(at("2024-03-10", "03:00", "ET"), -240);
        assert_eq!(at("2024-11-03", "01:30", "CT"), -300);
        assert_eq!(at("2024-11-03", "02:30", "CT"), -360);
        // Before 2007: first Sunday of April to last Sunday of October.
        assert_eq!(at("2005-03-20", "12:00", "US/Eastern"), -300);
        assert_eq!(at("2005-04-10", "12:00", "US/Eastern"), -240);
        assert_eq!(at("2005-10-30", "12:00", "PST/PDT"), -480);
        // Europe: last Sunday of March to last Sunday of October, at 01:00 UTC.
        assert_eq!(at("2024-03-31", "01:30", "Europe/Berlin"), 60);
        assert_eq!(at("2024-03-31", "03:30", "Europe/Berlin"), 120);
        assert_eq!(at("2024-10-27", "02:30", "CET/CEST"), 120);
        assert_eq!(at("2024-10-27", "03:30", "CET/CEST"), 60);
        assert_eq!(at("2024-03-31", "00:59", "Europe/London"), 0);
        assert_eq!(at("2024-03-31", "02:00", "Europe/London"), 60);
        // The south's summer spans the new year.
        assert_eq!(at("2024-01-10", "12:00", "Australia/Sydney"), 660);
        assert_eq!(at("2024-07-01", "12:00", "Australia/Sydney"), 600);
        // Regions without daylight saving time, and zones named for one offset.
        assert_eq!(at("2024-07-01", "12:00", "Asia/Kolkata"), 330);
        assert_eq!(at("2024-07-01", "12:00", "America/Phoenix"), -420);
        assert_eq!(at("2024-08-08", "12:00", "PST"), -480);
        assert_eq!(at("2024-08-08", "12:00", "CEST"), 120);
    }

    #[test]
    fn zones_by_their_iana_names() {
        let z = |s: &str| one(s).zone.unwrap();
        assert_eq!(z("12:00 US/Pacific, all day").label, "US/Pacific");
        assert_eq!(
            z("14:05 (America/Los_Angeles)").label,
            "America/Los_Angeles"
        );
        assert_eq!(z("14:05 europe/berlin").label, "Europe/Berlin");
        assert_eq!(z("14:05 Europe/Berlin").offset_minutes, 60);
        // A name the table does not know is not a zone.
        assert_eq!(one("14:05 Europe/Atlantis").zone, None);
        // The canonical form reads back with the day's offset.
        let s = parse_canonical("2024-08-08 23:40 PT").unwrap();
        assert_eq!(s.zone.unwrap().offset_minutes, -420);
        let s = parse_canonical("2024-08-08 23:40 America/New_York").unwrap();
        assert_eq!(s.rfc3339().unwrap(), "2024-08-08T23:40:00-04:00");
    }

    #[test]
    fn a_hyphen_after_a_time_starts_a_range_unless_the_stamp_is_iso() {
        let f = scan("14:00-15:10 UTC primary down");
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].pieces.time, f[0].pieces.zone.clone()),
            (Time::new(14, 0, 0), None)
        );
        assert_eq!(f[1].pieces.time, Time::new(15, 10, 0));
        assert_eq!(f[1].pieces.zone.as_ref().unwrap().label, "UTC");
        let f = scan("2024-03-01T14:00-05:00 queue latency up");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pieces.zone.as_ref().unwrap().offset_minutes, -300);
        let f = scan("2024-03-01 14:00:00-05:00 queue latency up");
        assert_eq!(f[0].pieces.zone.as_ref().unwrap().offset_minutes, -300);
        // After a written-out date, as without one, the hyphen starts a range.
        let f = scan("When: Wednesday 9 December 2026, 09:00-10:30 (UK time)");
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].pieces.time, f[0].pieces.zone.clone()),
            (Time::new(9, 0, 0), None)
        );
        assert_eq!(f[1].pieces.time, Time::new(10, 30, 0));
    }
}
