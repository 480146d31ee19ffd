//! Large texts as the stores keep them: a revision's document and a postmortem's record JSON are
//! written deflated (zlib, whose Adler-32 catches a damaged value) behind a marker byte, which
//! keeps the database near the size of the Markdown it holds.
//!
//! Deflate starts each text with a preset dictionary of what that kind of text repeats most (the
//! record's JSON field names, a postmortem's usual headings and phrases), so that even a short
//! text's first field name costs a back-reference. The zlib header of a value names its
//! dictionary by the dictionary's Adler-32, and reading picks it by that: a dictionary's bytes
//! never change once values were written with it (a better one is added beside it, under its
//! own checksum), and values written without one read as before.
//!
//! A stored value that does not start with the marker is the text itself, as UTF-8: databases
//! written before texts were packed keep working, and rewriting a postmortem packs it. Older
//! texts do not start with the marker (a NUL byte): PostgreSQL's text cannot hold one, and the
//! importer refuses documents with NUL bytes as binary files.

use flate2::{Compress, Compression, FlushCompress, Status};

/// The first byte of a packed value.
pub const MARKER: u8 = 0;

/// Texts larger than this when unpacked are refused as damaged: the largest document the
/// importer takes, with room for the record's JSON around it.
pub const MAX_UNPACKED: u64 = 256 * 1024 * 1024;

/// What a text is, for the dictionary it is deflated with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A postmortem's record as JSON (`debrief_core::Postmortem`).
    Record,
    /// A document as written (a revision's Markdown).
    Document,
}

/// The preset dictionaries, each known by its Adler-32 (which a packed value's header carries,
/// computed here when the program is built). Never edit one: values written with it could no
/// longer be read. The test `dictionaries_keep_their_checksums` guards this.
const DICTIONARIES: [(Kind, &[u8], u32); 2] = {
    const RECORD: &[u8] = include_bytes!("packed/record.dict");
    const DOCUMENT: &[u8] = include_bytes!("packed/document.dict");
    [
        (Kind::Record, RECORD, adler32(RECORD)),
        (Kind::Document, DOCUMENT, adler32(DOCUMENT)),
    ]
};

fn dictionary(kind: Kind) -> &'static [u8] {
    DICTIONARIES
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or(&[], |(_, d, _)| d)
}

fn dictionary_with_checksum(adler: u32) -> Option<&'static [u8]> {
    DICTIONARIES
        .iter()
        .find(|(_, _, sum)| *sum == adler)
        .map(|(_, d, _)| *d)
}

/// Adler-32 (RFC 1950), the checksum zlib names a dictionary by.
const fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    let mut i = 0;
    while i < data.len() {
        a = (a + data[i] as u32) % 65521;
        b = (b + a) % 65521;
        i += 1;
    }
    (b << 16) | a
}

thread_local! {
    /// The deflater of this thread's last [`pack`]: zlib's state and window (hundreds of
    /// kilobytes, zeroed when made) are allocated once per thread, not once per value.
    static DEFLATER: std::cell::RefCell<Option<Box<Compress>>> =
        const { std::cell::RefCell::new(None) };
}

/// `text` deflated behind [`MARKER`], with the dictionary for its kind.
pub fn pack(text: &str, kind: Kind) -> Vec<u8> {
    let spare = DEFLATER.try_with(|d| d.borrow_mut().take()).ok().flatten();
    let mut deflate = spare.unwrap_or_else(|| Box::new(Compress::new(Compression::new(6), true)));
    let out = pack_with(&mut deflate, text, kind);
    let _ = DEFLATER.try_with(|d| d.borrow_mut().replace(deflate));
    out
}

/// [`pack`] with this deflater, reset first: the bytes are those of a fresh one.
fn pack_with(deflate: &mut Compress, text: &str, kind: Kind) -> Vec<u8> {
    deflate.reset();
    // A fresh (or reset) stream always takes a dictionary.
    let _ = deflate.set_dictionary(dictionary(kind));
    let mut out = Vec::with_capacity(text.len() / 3 + 64);
    out.push(MARKER);
    let mut rest = text.as_bytes();
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.capacity());
        }
        let before = deflate.total_in();
        let status = deflate.compress_vec(rest, &mut out, FlushCompress::Finish);
        rest = &rest[(deflate.total_in() - before) as usize..];
        // Deflating into memory fails only on a bug in the stream's use; it ends when all is
        // written.
        if !matches!(status, Ok(Status::Ok | Status::BufError)) {
            return out;
        }
    }
}

/// Why a stored value cannot be read back as text.
#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("its compressed data is damaged ({0})")]
    Damaged(std::io::Error),
    #[error("it is larger than {MAX_UNPACKED} bytes unpacked")]
    TooLarge,
    #[error("it is not UTF-8 text")]
    NotText,
}

/// The text a stored value holds: packed by [`pack`], or (in older rows) plain UTF-8.
pub fn unpack(stored: Vec<u8>) -> Result<String, UnpackError> {
    if stored.first() != Some(&MARKER) {
        return String::from_utf8(stored).map_err(|_| UnpackError::NotText);
    }
    let mut reader = Unpacker::new(&stored);
    if !reader.fill(MAX_UNPACKED as usize + 1)? {
        return Err(UnpackError::TooLarge);
    }
    String::from_utf8(std::mem::take(&mut reader.inflated)).map_err(|_| UnpackError::NotText)
}

/// At most the first `limit` bytes of the text a stored value holds (cut at a character
/// boundary), inflating no more than that: for reading the start of a large text cheaply.
pub fn unpack_prefix(stored: &[u8], limit: usize) -> Result<String, UnpackError> {
    let mut reader = Unpacker::new(stored);
    reader.fill(limit)?;
    reader.text().map(str::to_string)
}

/// The start of a stored value's text, inflated a little more at each [`Unpacker::fill`].
pub struct Unpacker<'a> {
    /// What is not read yet: zlib (with `inflater` set) or plain text.
    rest: &'a [u8],
    inflater: Option<Box<flate2::Decompress>>,
    inflated: Vec<u8>,
    ended: bool,
}

thread_local! {
    /// An inflater left by the last [`Unpacker`] of this thread: its state and window are
    /// allocated once per thread instead of once per value read.
    static SPARE: std::cell::RefCell<Option<Box<flate2::Decompress>>> =
        const { std::cell::RefCell::new(None) };
}

impl Drop for Unpacker<'_> {
    fn drop(&mut self) {
        if let Some(z) = self.inflater.take() {
            let _ = SPARE.try_with(|spare| spare.replace(Some(z)));
        }
    }
}

/// This thread's spare inflater (or a new one), reset for a zlib stream or for raw deflate.
fn inflater(zlib_header: bool) -> Box<flate2::Decompress> {
    match SPARE.try_with(|spare| spare.take()).ok().flatten() {
        Some(mut z) => {
            z.reset(zlib_header);
            z
        }
        None => Box::new(flate2::Decompress::new(zlib_header)),
    }
}

/// The deflate data of a zlib stream (RFC 1950) and the preset dictionary its header names.
fn zlib_body(packed: &[u8]) -> Result<(&[u8], Option<&'static [u8]>), UnpackError> {
    let damaged = |why: &str| UnpackError::Damaged(std::io::Error::other(why.to_string()));
    let [cmf, flg, rest @ ..] = packed else {
        return Err(damaged("the compressed data ends early"));
    };
    if cmf & 0x0f != 8 || (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 != 0 {
        return Err(damaged("invalid zlib header"));
    }
    if flg & 0x20 == 0 {
        return Ok((rest, None));
    }
    let [a, b, c, d, rest @ ..] = rest else {
        return Err(damaged("the compressed data ends early"));
    };
    match dictionary_with_checksum(u32::from_be_bytes([*a, *b, *c, *d])) {
        Some(dict) => Ok((rest, Some(dict))),
        None => Err(damaged(
            "its header names a dictionary this build does not have",
        )),
    }
}

impl<'a> Unpacker<'a> {
    pub fn new(stored: &'a [u8]) -> Unpacker<'a> {
        let (rest, inflater) = match stored.split_first() {
            Some((&MARKER, packed)) => (packed, Some(inflater(true))),
            _ => (stored, None),
        };
        Unpacker {
            rest,
            inflater,
            inflated: Vec::new(),
            ended: false,
        }
    }

    /// An unpacker for reading the start of a text, which stops before the checksum at its
    /// end anyway: the deflate data is inflated raw, past the zlib header, so no Adler-32 is
    /// computed of the dictionary or of the text (a fifth of the cost of a few kilobytes).
    /// Damage that breaks the deflate data is still an error; [`unpack`] checks the sum.
    pub fn unchecked(stored: &'a [u8]) -> Result<Unpacker<'a>, UnpackError> {
        let Some((&MARKER, packed)) = stored.split_first() else {
            return Ok(Unpacker::new(stored));
        };
        let (rest, dict) = zlib_body(packed)?;
        let mut z = inflater(false);
        if let Some(dict) = dict {
            z.set_dictionary(dict)
                .map_err(|e| UnpackError::Damaged(std::io::Error::other(e)))?;
        }
        Ok(Unpacker {
            rest,
            inflater: Some(z),
            inflated: Vec::new(),
            ended: false,
        })
    }

    /// Inflates until `limit` bytes of text are out, or the text ends; true when it has ended.
    /// The output grows as it fills (never by more than it has), so a large limit costs only
    /// what the text holds.
    pub fn fill(&mut self, limit: usize) -> Result<bool, UnpackError> {
        while !self.ended && self.inflated.len() < limit {
            let rest = &mut self.rest;
            match &mut self.inflater {
                Some(z) => {
                    let room = (limit - self.inflated.len()).min(self.inflated.len().max(4096));
                    self.inflated.reserve_exact(room);
                    let (read, out) = (z.total_in(), self.inflated.len());
                    // Straight into the output: no buffered reader, no small reads.
                    let status =
                        z.decompress_vec(rest, &mut self.inflated, flate2::FlushDecompress::None);
                    *rest = &rest[(z.total_in() - read) as usize..];
                    let status = match status {
                        Ok(status) => status,
                        // The header names a dictionary: give it the one with that checksum.
                        Err(e) => match e.needs_dictionary().and_then(dictionary_with_checksum) {
                            Some(d) => {
                                z.set_dictionary(d)
                                    .map_err(|e| UnpackError::Damaged(std::io::Error::other(e)))?;
                                continue;
                            }
                            None => return Err(UnpackError::Damaged(std::io::Error::other(e))),
                        },
                    };
                    if status == flate2::Status::StreamEnd {
                        self.ended = true;
                    } else if self.inflated.len() == out && rest.is_empty() {
                        return Err(UnpackError::Damaged(std::io::Error::new(
                            std::io::ErrorKind::UnexpectedEof,
                            "the compressed data ends early",
                        )));
                    }
                }
                None => {
                    let n = (limit - self.inflated.len()).min(rest.len());
                    self.inflated.extend_from_slice(&rest[..n]);
                    *rest = &rest[n..];
                    self.ended = rest.is_empty();
                }
            }
        }
        Ok(self.ended)
    }

    /// The text inflated so far, without a character cut at its end.
    pub fn text(&self) -> Result<&str, UnpackError> {
        match std::str::from_utf8(&self.inflated) {
            Ok(text) => Ok(text),
            // Only a character cut at the end is forgiven.
            Err(e) if e.error_len().is_none() => {
                Ok(std::str::from_utf8(&self.inflated[..e.valid_up_to()]).unwrap_or_default())
            }
            Err(_) => Err(UnpackError::NotText),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::ZlibEncoder;
    use std::io::Write;

    #[test]
    fn packed_text_reads_back_and_is_smaller() {
        let text = "## Timeline\n\n- 14:07 the pager fired for the checkout service\n".repeat(50);
        for kind in [Kind::Record, Kind::Document] {
            let p = pack(&text, kind);
            assert_eq!(p[0], MARKER);
            assert!(p.len() < text.len() / 5, "{} of {}", p.len(), text.len());
            assert_eq!(unpack(p).unwrap(), text);
            assert_eq!(unpack(pack("", kind)).unwrap(), "");
        }
    }

    #[test]
    fn a_reused_deflater_writes_what_a_fresh_one_does() {
        let long =
            "- 14:07 the pager fired for the checkout service, p99 latency 2.3 s\n".repeat(4000);
        let texts = ["", "short", long.as_str(), "## Impact\n\nNone."];
        let mut reused = Compress::new(Compression::new(6), true);
        for text in texts {
            for kind in [Kind::Record, Kind::Document] {
                let mut fresh = Compress::new(Compression::new(6), true);
                let expected = pack_with(&mut fresh, text, kind);
                assert_eq!(pack_with(&mut reused, text, kind), expected);
                assert_eq!(pack(text, kind), expected);
                assert_eq!(unpack(expected).unwrap(), text);
            }
        }
    }

    #[test]
    fn dictionaries_keep_their_checksums() {
        // Values on disk name their dictionary by these: changing a dictionary's bytes would
        // make them unreadable. Add a new dictionary instead.
        assert_eq!(adler32(dictionary(Kind::Record)), 3_000_663_149);
        assert_eq!(adler32(dictionary(Kind::Document)), 1_352_005_237);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398, "RFC 1950's Adler-32");
    }

    #[test]
    fn a_dictionary_makes_a_short_record_smaller_and_values_without_one_still_read() {
        let record = r#"{"schema_version":1,"title":"Checkout errors","status":null,"severity":"SEV2","date":"2026-03-14","services":["checkout"],"tags":[],"authors":[],"instants":{"started":{"at":"2026-03-14T14:07:00Z","approximate":false},"detected":null,"acknowledged":null,"escalated":null,"mitigated":null,"ended":null,"derived":[]},"stated_duration_minutes":null,"summary":"Checkout failed for some customers.","impact":null,"root_cause":null,"contributing_factors":null,"trigger":null,"detection":null,"resolution":null,"timeline":[],"action_items":[],"lessons":{"went_well":null,"went_wrong":null,"lucky":null,"other":null},"preamble":null,"sections":[],"extra":{}}"#;
        let with = pack(record, Kind::Record);
        let mut without = vec![MARKER];
        let mut z = ZlibEncoder::new(Vec::new(), Compression::new(6));
        z.write_all(record.as_bytes()).unwrap();
        without.extend(z.finish().unwrap());
        assert!(
            with.len() * 10 < without.len() * 7,
            "{} against {}",
            with.len(),
            without.len()
        );
        assert_eq!(unpack(with.clone()).unwrap(), record);
        assert_eq!(unpack(without).unwrap(), record);
        assert_eq!(unpack_prefix(&with, 17).unwrap(), &record[..17]);
        // A header naming a dictionary this build does not know is damage, not a panic.
        let mut unknown = with;
        unknown[3..7].copy_from_slice(&[1, 2, 3, 4]);
        assert!(matches!(unpack(unknown), Err(UnpackError::Damaged(_))));
    }

    #[test]
    fn plain_text_from_older_rows_reads_as_it_is() {
        assert_eq!(
            unpack(b"{\"title\":\"x\"}".to_vec()).unwrap(),
            "{\"title\":\"x\"}"
        );
        assert_eq!(unpack(Vec::new()).unwrap(), "");
    }

    #[test]
    fn a_prefix_inflates_only_what_it_returns() {
        let text = "é".repeat(100_000);
        let p = pack(&text, Kind::Document);
        let head = unpack_prefix(&p, 1001).unwrap();
        assert_eq!(head, "é".repeat(500), "cut before the split character");
        assert_eq!(unpack_prefix(b"plain text", 5).unwrap(), "plain");
        assert_eq!(
            unpack_prefix(&pack("short", Kind::Document), 100).unwrap(),
            "short"
        );
    }

    #[test]
    fn an_unchecked_read_gives_the_text_a_checked_one_does() {
        let text = "the queue backed up; the database failed over ".repeat(300);
        let mut plain = vec![MARKER];
        let mut z = ZlibEncoder::new(Vec::new(), Compression::new(6));
        z.write_all(text.as_bytes()).unwrap();
        plain.extend(z.finish().unwrap());
        let values = [
            pack(&text, Kind::Record),
            pack(&text, Kind::Document),
            plain,
            text.as_bytes().to_vec(),
        ];
        for stored in &values {
            let mut whole = Unpacker::unchecked(stored).unwrap();
            assert!(whole.fill(usize::MAX).unwrap());
            assert_eq!(whole.text().unwrap(), text);
            let mut start = Unpacker::unchecked(stored).unwrap();
            start.fill(100).unwrap();
            assert_eq!(start.text().unwrap(), &text[..100]);
        }
        // A header that is not zlib's, or names a dictionary this build does not know, is
        // damage; so is a value cut inside its header.
        let mut unknown = values[0].clone();
        unknown[3..7].copy_from_slice(&[1, 2, 3, 4]);
        let mut not_zlib = values[0].clone();
        not_zlib[1] ^= 0x0f;
        for damaged in [unknown, not_zlib, values[0][..4].to_vec(), vec![MARKER]] {
            assert!(matches!(
                Unpacker::unchecked(&damaged),
                Err(UnpackError::Damaged(_))
            ));
        }
    }

    #[test]
    fn damage_is_an_error_not_a_panic() {
        let mut p = pack(&"the database failed over ".repeat(40), Kind::Document);
        let mid = p.len() / 2;
        p[mid] ^= 0x55;
        assert!(unpack(p).is_err());
        assert!(matches!(
            unpack(vec![MARKER, 1, 2, 3]),
            Err(UnpackError::Damaged(_))
        ));
        assert!(matches!(
            unpack(vec![0xff, 0xfe]),
            Err(UnpackError::NotText)
        ));
    }

    #[test]
    fn an_inflater_reused_after_damage_or_a_cut_reads_the_next_value_whole() {
        let good = "the queue backed up ".repeat(500);
        let mut damaged = pack(&"the database failed over ".repeat(400), Kind::Document);
        let mid = damaged.len() / 2;
        damaged[mid] ^= 0x55;
        // A read abandoned halfway, a damaged one, then two at once (the second without a spare).
        assert_eq!(
            unpack_prefix(&pack(&good, Kind::Document), 100).unwrap(),
            good[..100]
        );
        assert!(unpack(damaged).is_err());
        let (a, b) = (pack(&good, Kind::Record), pack("short", Kind::Document));
        let mut first = Unpacker::new(&a);
        let mut second = Unpacker::new(&b);
        assert!(first.fill(usize::MAX).unwrap() && second.fill(usize::MAX).unwrap());
        assert_eq!(
            (first.text().unwrap(), second.text().unwrap()),
            (good.as_str(), "short")
        );
        drop((first, second));
        assert_eq!(unpack(pack(&good, Kind::Record)).unwrap(), good);
    }
}
