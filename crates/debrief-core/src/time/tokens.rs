//! The token stream the stamp reader works on: words, numbers, punctuation and spaces, and
//! the names of months and weekdays.

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Tok<'a> {
    /// Digits: value (saturating) and digit count.
    Num(u32, u8),
    /// Letters, lowercase comparison is done by callers.
    Word(&'a str),
    Punct(char),
    Space,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'a> {
    pub tok: Tok<'a>,
    pub start: usize,
    pub end: usize,
}

pub(crate) fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::with_capacity(s.len() / 3 + 4);
    out.extend(Tokens { s, i: 0 });
    out
}

/// The tokens of a string, one at a time (no allocation).
#[derive(Clone, Copy)]
pub(super) struct Tokens<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let (s, bytes, start) = (self.s, self.s.as_bytes(), self.i);
        let first = *bytes.get(start)?;
        let mut i = start;
        let tok = if first.is_ascii_digit() {
            let mut v: u32 = 0;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                v = v
                    .saturating_mul(10)
                    .saturating_add(u32::from(bytes[i] - b'0'));
                i += 1;
            }
            Tok::Num(v, (i - start).min(255) as u8)
        } else if first.is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            Tok::Word(&s[start..i])
        } else if is_ascii_space(first) || first >= 0x80 {
            let c = s[start..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                // A run of whitespace, read a byte at a time while it is ASCII.
                loop {
                    match bytes.get(i) {
                        Some(&b) if is_ascii_space(b) => i += 1,
                        Some(&b) if b >= 0x80 => match s[i..].chars().next() {
                            Some(c2) if c2.is_whitespace() => i += c2.len_utf8(),
                            _ => break,
                        },
                        _ => break,
                    }
                }
                Tok::Space
            } else {
                i += c.len_utf8();
                Tok::Punct(c)
            }
        } else {
            i += 1;
            Tok::Punct(char::from(first))
        };
        self.i = i;
        Some(Token { tok, start, end: i })
    }
}

/// Tokens read on demand from a byte offset: reading a stamp looks only a few tokens past where
/// it starts, so scanning a long line never tokenises all of it. Token `0` is the one at the
/// offset; byte positions stay those of the whole string.
pub(crate) struct Toks<'a> {
    /// The first tokens, in place: nearly every stamp fits, so reading one does not allocate.
    near: [Token<'a>; NEAR],
    /// How many tokens have been read.
    len: usize,
    /// Tokens past the first [`NEAR`].
    far: Vec<Token<'a>>,
    rest: Tokens<'a>,
}

pub(super) const NEAR: usize = 16;

impl<'a> Toks<'a> {
    pub(super) fn new(s: &'a str) -> Toks<'a> {
        let blank = Token {
            tok: Tok::Space,
            start: 0,
            end: 0,
        };
        Toks {
            near: [blank; NEAR],
            len: 0,
            far: Vec::new(),
            rest: Tokens { s, i: 0 },
        }
    }

    /// Starts again at byte `from`, which must begin a token.
    pub(super) fn restart(&mut self, from: usize) {
        self.len = 0;
        self.far.clear();
        self.rest.i = from;
    }

    #[inline]
    pub(super) fn get(&mut self, i: usize) -> Option<Token<'a>> {
        while self.len <= i {
            let next = self.rest.next()?;
            match self.near.get_mut(self.len) {
                Some(slot) => *slot = next,
                None => self.far.push(next),
            }
            self.len += 1;
        }
        Some(match self.near.get(i) {
            Some(t) => *t,
            None => self.far[i - NEAR],
        })
    }
}

/// `w` in ASCII lowercase, copied into `buf`; a word longer than the buffer becomes "" (no
/// keyword compared against here is that long). Stamp reading asks this of many words, so it
/// does not allocate.
pub(super) fn lower<'b>(w: &str, buf: &'b mut [u8; 16]) -> &'b str {
    let Some(dst) = buf.get_mut(..w.len()) else {
        return "";
    };
    dst.copy_from_slice(w.as_bytes());
    dst.make_ascii_lowercase();
    std::str::from_utf8(dst).unwrap_or("")
}

pub(super) fn is_ordinal_suffix(w: &str) -> bool {
    ["st", "nd", "rd", "th"]
        .iter()
        .any(|x| x.eq_ignore_ascii_case(w))
}

/// The ASCII characters `char::is_whitespace` accepts.
pub(super) fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

#[inline]
pub(super) fn word_at<'a>(t: &mut Toks<'a>, i: usize) -> Option<&'a str> {
    match t.get(i)?.tok {
        Tok::Word(w) => Some(w),
        _ => None,
    }
}

#[inline]
pub(super) fn num_at(t: &mut Toks<'_>, i: usize) -> Option<(u32, u8)> {
    match t.get(i)?.tok {
        Tok::Num(v, n) => Some((v, n)),
        _ => None,
    }
}

#[inline]
pub(super) fn punct_at(t: &mut Toks<'_>, i: usize, c: char) -> bool {
    matches!(t.get(i).map(|x| x.tok), Some(Tok::Punct(p)) if p == c)
}

#[inline]
pub(super) fn space_at(t: &mut Toks<'_>, i: usize) -> bool {
    matches!(t.get(i).map(|x| x.tok), Some(Tok::Space))
}

#[inline]
pub(super) fn skip_space(t: &mut Toks<'_>, i: usize) -> usize {
    if space_at(t, i) { i + 1 } else { i }
}

/// The month a word names (`Jan`, `january`, `Sept`).
pub fn month_number(w: &str) -> Option<u8> {
    month_from_word(w)
}

/// A word's first three bytes in ASCII lowercase, as one number to compare in one step.
pub(super) const fn head3(b: &[u8]) -> u32 {
    u32::from_le_bytes([
        b[0].to_ascii_lowercase(),
        b[1].to_ascii_lowercase(),
        b[2].to_ascii_lowercase(),
        0,
    ])
}

pub(super) const JAN: u32 = head3(b"jan");
pub(super) const FEB: u32 = head3(b"feb");
pub(super) const MAR: u32 = head3(b"mar");
pub(super) const APR: u32 = head3(b"apr");
pub(super) const MAY: u32 = head3(b"may");
pub(super) const JUN: u32 = head3(b"jun");
pub(super) const JUL: u32 = head3(b"jul");
pub(super) const AUG: u32 = head3(b"aug");
pub(super) const SEP: u32 = head3(b"sep");
pub(super) const OCT: u32 = head3(b"oct");
pub(super) const NOV: u32 = head3(b"nov");
pub(super) const DEC: u32 = head3(b"dec");
pub(super) const MON: u32 = head3(b"mon");
pub(super) const TUE: u32 = head3(b"tue");
pub(super) const WED: u32 = head3(b"wed");
pub(super) const THU: u32 = head3(b"thu");
pub(super) const FRI: u32 = head3(b"fri");
pub(super) const SAT: u32 = head3(b"sat");
pub(super) const SUN: u32 = head3(b"sun");
pub(super) const NOO: u32 = head3(b"noo");
pub(super) const MID: u32 = head3(b"mid");

/// Where a word's head falls in [`HEAD_FILTER`].
pub(super) const fn head_slot(h: u32) -> usize {
    (h.wrapping_mul(0x9E37_79B1) >> 24) as usize
}

/// Bit `head_slot(h)` set for the head of every month, weekday, noon and midnight: most words
/// are told apart by one bit, before the heads are compared one by one.
pub(super) static HEAD_FILTER: [u64; 4] = {
    let heads = [
        JAN, FEB, MAR, APR, MAY, JUN, JUL, AUG, SEP, OCT, NOV, DEC, MON, TUE, WED, THU, FRI, SAT,
        SUN, NOO, MID,
    ];
    let mut bits = [0u64; 4];
    let mut i = 0;
    while i < heads.len() {
        let slot = head_slot(heads[i]);
        bits[slot / 64] |= 1 << (slot % 64);
        i += 1;
    }
    bits
};

pub(super) fn month_from_word(w: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // Called for every word of prose: the first three letters pick the only candidate.
    if !(3..=9).contains(&w.len()) {
        return None;
    }
    let m = match head3(w.as_bytes()) {
        JAN => 1,
        FEB => 2,
        MAR => 3,
        APR => 4,
        MAY => 5,
        JUN => 6,
        JUL => 7,
        AUG => 8,
        SEP => 9,
        OCT => 10,
        NOV => 11,
        DEC => 12,
        _ => return None,
    };
    let full = MONTHS[usize::from(m - 1)];
    (w.len() == 3
        || full.eq_ignore_ascii_case(w)
        || (m == 9 && w.eq_ignore_ascii_case("sept"))
        // "Febuary", "Octuber": a long name misspelt by one letter. (Not a short one: "Augusta"
        // is a name, "Marche" a region.)
        || (full.len() >= 7 && w.len() >= 6 && strsim::osa_distance(full, &w.to_ascii_lowercase()) <= 1))
    .then_some(m)
}

pub fn is_weekday(w: &str) -> bool {
    weekday_number(w).is_some()
}

/// The day of the week a word names, 0 for Sunday to 6 for Saturday: the full name, or an
/// abbreviation of three or four letters ("Tue", "Thur").
pub fn weekday_number(w: &str) -> Option<u8> {
    const DAYS: [&str; 7] = [
        "sunday",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
    ];
    if !(3..=9).contains(&w.len()) {
        return None;
    }
    let n: u8 = match head3(w.as_bytes()) {
        SUN => 0,
        MON => 1,
        TUE => 2,
        WED => 3,
        THU => 4,
        FRI => 5,
        SAT => 6,
        _ => return None,
    };
    let d = DAYS[usize::from(n)];
    (d.eq_ignore_ascii_case(w) || (w.len() <= 4 && d[..w.len()].eq_ignore_ascii_case(w)))
        .then_some(n)
}

/// Whether a word can begin a stamp: a month, a weekday, noon, midnight or midday. Most words of
/// prose fail on their length or first three letters, before any name is compared.
pub(super) fn names_day_or_hour(w: &str) -> bool {
    if !(3..=9).contains(&w.len()) {
        return false;
    }
    let head = head3(w.as_bytes());
    let slot = head_slot(head);
    if HEAD_FILTER[slot / 64] & (1 << (slot % 64)) == 0 {
        return false;
    }
    match head {
        JAN | FEB | MAR | APR | MAY | JUN | JUL | AUG | SEP | OCT | NOV | DEC => {
            month_from_word(w).is_some()
        }
        MON | TUE | WED | THU | FRI | SAT | SUN => is_weekday(w),
        NOO => w.eq_ignore_ascii_case("noon"),
        MID => w.eq_ignore_ascii_case("midnight"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_month_name_misspelt_by_one_letter_is_that_month() {
        for (word, month) in [
            ("Febuary", Some(2)),
            ("Feburary", Some(2)),
            ("Octuber", Some(10)),
            ("Septembre", Some(9)),
            ("Novmber", Some(11)),
            ("October", Some(10)),
            ("Oct", Some(10)),
            // Short names take no misspelling, and other words are not months.
            ("Augusta", None),
            ("Marche", None),
            ("Junee", None),
            ("decided", None),
            ("octopus", None),
            ("Octobers", Some(10)),
            ("Janitorial", None),
        ] {
            assert_eq!(month_from_word(word), month, "{word}");
        }
    }
}
