//! A report sent as e-mail: the header block at its top (`From:`, `To:`, `Subject:`, `Date:`)
//! says who sent it and when, not when the incident was. Its subject is the title; the day it
//! was sent is kept as a "Sent:" line, which dates the report only when nothing else does.

/// A header block: its fields (a folded value joined onto one line) and how many lines it took.
struct Headers<'a> {
    fields: Vec<(&'a str, String)>,
    lines: usize,
}

impl Headers<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        field(&self.fields, name)
    }
}

fn field<'f>(fields: &'f [(&str, String)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The header block at the top of `text`, up to the first blank line: every line a mail header
/// (or the folded continuation of one), `From:` and `Subject:` among them.
fn header_block(text: &str) -> Option<Headers<'_>> {
    let mut fields: Vec<(&str, String)> = Vec::new();
    let mut lines = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        lines += 1;
        if line.starts_with([' ', '\t']) {
            let (_, value) = fields.last_mut()?;
            value.push(' ');
            value.push_str(line.trim());
            continue;
        }
        let (name, value) = line.split_once(':')?;
        let name = name.trim();
        if !is_mail_header(name) {
            return None;
        }
        fields.push((name, value.trim().to_string()));
    }
    let headers = Headers { fields, lines };
    (headers.get("from").is_some() && headers.get("subject").is_some()).then_some(headers)
}

const HEADERS: &[&str] = &[
    "from",
    "to",
    "cc",
    "bcc",
    "subject",
    "date",
    "sent",
    "reply-to",
    "mime-version",
    "message-id",
    "in-reply-to",
    "references",
    "received",
    "return-path",
    "delivered-to",
    "importance",
    "user-agent",
    "dkim-signature",
    "authentication-results",
    "accept-language",
    "organization",
];

/// A header a mail client writes: the common ones, and the families `Content-*`, `X-*`,
/// `List-*`, `ARC-*` and `Thread-*` (not "Severity" or "Priority", which a report's labels use).
fn is_mail_header(name: &str) -> bool {
    HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
        || ["content-", "x-", "list-", "arc-", "thread-"]
            .iter()
            .any(|p| {
                name.get(..p.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(p))
                    && !name.contains(' ')
            })
}

/// A report sent as e-mail, as the importer reads it.
pub struct Mail {
    pub text: String,
    /// Whether the body was decoded from MIME (a part chosen, quoted-printable or base64
    /// undone), so that its line numbers are no longer the file's.
    pub decoded: bool,
}

/// The text with its e-mail header block, if it opens with one, turned into a title and a
/// "Sent:" line, the block's other lines left blank so that line numbers stay those of the
/// text; a MIME body is decoded to its plain text (else its HTML). `None` when the text has no
/// header block.
pub fn without_headers(text: &str) -> Option<Mail> {
    let headers = header_block(text)?;
    let subject = strip_reply_marks(headers.get("subject")?);
    let sent = headers.get("date").or_else(|| headers.get("sent"));
    let mut out = String::with_capacity(text.len());
    out.push_str("# ");
    out.push_str(subject);
    out.push('\n');
    let mut blank = headers.lines - 1;
    if let Some(sent) = sent {
        out.push_str("\nSent: ");
        out.push_str(sent);
        out.push('\n');
        blank = blank.saturating_sub(2);
    }
    out.push_str(&"\n".repeat(blank));
    let rest = text
        .split_inclusive('\n')
        .skip(headers.lines)
        .collect::<String>();
    let decoded = mime::text_of(
        headers.get("content-type").unwrap_or("text/plain"),
        headers.get("content-transfer-encoding"),
        &rest,
        0,
    );
    out.push_str(decoded.as_deref().unwrap_or(&rest));
    Some(Mail {
        text: out,
        decoded: decoded.is_some(),
    })
}

/// MIME bodies: the part a reader reads, decoded.
mod mime {
    use base64::Engine as _;

    /// The readable text of a body of type `ctype`: a multipart message's plain-text part
    /// (else its HTML part), decoded from quoted-printable or base64. `None` when the body
    /// needs nothing done.
    pub(super) fn text_of(
        ctype: &str,
        encoding: Option<&str>,
        body: &str,
        depth: u8,
    ) -> Option<String> {
        if !starts_ci(ctype, "multipart/") {
            return matches!(
                encoding.map(str::to_ascii_lowercase).as_deref(),
                Some("quoted-printable" | "base64")
            )
            .then(|| decoded(encoding, body));
        }
        // Nested a few deep at most (mixed, then alternative).
        if depth > 4 {
            return None;
        }
        let boundary = param(ctype, "boundary")?;
        let mut html = None;
        for part in parts(body, &boundary) {
            let (fields, content) = part_headers(part);
            let ct = super::field(&fields, "content-type").unwrap_or("text/plain");
            let enc = super::field(&fields, "content-transfer-encoding");
            if starts_ci(ct, "multipart/") {
                if let Some(t) = text_of(ct, enc, content, depth + 1) {
                    return Some(t);
                }
            } else if starts_ci(ct, "text/plain") {
                return Some(decoded(enc, content));
            } else if starts_ci(ct, "text/html") && html.is_none() {
                html = Some(decoded(enc, content));
            }
        }
        html
    }

    fn starts_ci(s: &str, prefix: &str) -> bool {
        s.trim_start()
            .get(..prefix.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
    }

    /// `boundary="b1"` among a header's parameters.
    fn param(value: &str, name: &str) -> Option<String> {
        value.split(';').skip(1).find_map(|p| {
            let (k, v) = p.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().trim_matches('"').to_string())
        })
    }

    /// The parts between `--boundary` lines, up to `--boundary--`.
    fn parts<'b>(body: &'b str, boundary: &str) -> Vec<&'b str> {
        let open = format!("--{boundary}");
        let close = format!("{open}--");
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let mut at = 0;
        for line in body.split_inclusive('\n') {
            let t = line.trim_end();
            if t == open || t == close {
                if let Some(s) = start {
                    out.push(&body[s..at]);
                }
                if t != open {
                    return out;
                }
                start = Some(at + line.len());
            }
            at += line.len();
        }
        out
    }

    /// A part's headers (folded lines joined) and its content after the blank line.
    fn part_headers(part: &str) -> (Vec<(&str, String)>, &str) {
        let mut fields: Vec<(&str, String)> = Vec::new();
        let mut at = 0;
        for line in part.split_inclusive('\n') {
            at += line.len();
            if line.trim().is_empty() {
                return (fields, &part[at..]);
            }
            if line.starts_with([' ', '\t']) {
                if let Some((_, v)) = fields.last_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
            } else if let Some((n, v)) = line.split_once(':') {
                fields.push((n.trim(), v.trim().to_string()));
            }
        }
        (fields, "")
    }

    /// The content with its transfer encoding undone, as text (UTF-8, else Latin-1).
    fn decoded(encoding: Option<&str>, content: &str) -> String {
        let bytes = match encoding.map(str::to_ascii_lowercase).as_deref() {
            Some("quoted-printable") => {
                quoted_printable::decode(content, quoted_printable::ParseMode::Robust).ok()
            }
            Some("base64") => {
                let compact: String = content.split_whitespace().collect();
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .ok()
            }
            _ => None,
        }
        .unwrap_or_else(|| content.as_bytes().to_vec());
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| e.into_bytes().iter().map(|&b| char::from(b)).collect());
        // The decoder writes line ends as CRLF, as mail carries them.
        if text.contains('\r') {
            text.replace("\r\n", "\n")
        } else {
            text
        }
    }
}

/// A subject without "Re:" and "Fwd:" before it.
fn strip_reply_marks(subject: &str) -> &str {
    let mut s = subject.trim();
    loop {
        let lower = s.get(..4).map(str::to_ascii_lowercase);
        match lower.as_deref() {
            Some("re: ") => s = s[4..].trim_start(),
            Some("fw: ") => s = s[4..].trim_start(),
            Some("fwd:") => s = s[4..].trim_start(),
            _ => return s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_block_gives_the_title_and_the_day_it_was_sent() {
        let mail = "From: Lena <lena@example.com>\nTo: eng@example.com\nSubject: Re: Postmortem - API errors on 12 Jan 2025\nDate: Wed, 15 Jan 2025 09:12:44 +0100\n\nHi all,\n";
        let md = without_headers(mail).unwrap().text;
        assert_eq!(
            md,
            "# Postmortem - API errors on 12 Jan 2025\n\nSent: Wed, 15 Jan 2025 09:12:44 +0100\n\n\nHi all,\n"
        );
        assert_eq!(md.lines().count(), mail.lines().count());
    }

    #[test]
    fn a_mime_body_is_read_as_its_plain_text_part() {
        let mail = "From: Marco <marco@example.com>\nSubject: [Postmortem] Login outage\nMIME-Version: 1.0\nContent-Type: multipart/alternative;\n boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n14:20 Session store full =E2=80=94 logins fail for every u=\nser\n\n--b1\nContent-Type: text/html\n\n<p>html</p>\n--b1--\n";
        let got = without_headers(mail).unwrap();
        assert!(got.decoded);
        assert!(
            got.text.starts_with("# [Postmortem] Login outage\n"),
            "{}",
            got.text
        );
        assert!(
            got.text
                .contains("14:20 Session store full \u{2014} logins fail for every user\n"),
            "{}",
            got.text
        );
        assert!(!got.text.contains("html"), "{}", got.text);
        // Base64, and an HTML part when there is no plain one.
        let mail = "From: a@example.com\nSubject: Outage\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/html\nContent-Transfer-Encoding: base64\n\nPHA+MTA6MDAgYWxlcnQ8L3A+\n--x--\n";
        assert!(
            without_headers(mail)
                .unwrap()
                .text
                .contains("<p>10:00 alert</p>")
        );
    }

    #[test]
    fn labels_that_are_no_mail_headers_are_left_alone() {
        for doc in [
            "Subject: VPN outage\n\n## Summary\n",
            "From: the platform team\nSeverity: SEV2\n\nText\n",
            "From: a\nSubject: b\nSeverity: SEV2\n",
        ] {
            assert!(without_headers(doc).is_none(), "{doc}");
        }
    }
}
