//! A report sent as e-mail: the header block at its top (`From:`, `To:`, `Subject:`, `Date:`)
//! says who sent it and when, not when the incident was. Its subject is the title; the day it
//! was sent is kept as a "Sent:" line, which dates the report only when nothing else does.

/// The header block's lines, when the text opens with one: `From:` and `Subject:` at least,
/// among headers only, up to the first blank line.
fn header_block(text: &str) -> Option<Vec<(&str, &str)>> {
    let mut headers = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        let name = name.trim();
        if !HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name)) {
            return None;
        }
        headers.push((name, value.trim()));
    }
    let has = |h: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(h));
    (has("from") && has("subject")).then_some(headers)
}

const HEADERS: &[&str] = &[
    "from", "to", "cc", "bcc", "subject", "date", "sent", "reply-to",
];

/// The text with its e-mail header block, if it opens with one, turned into a title and a
/// "Sent:" line, the block's other lines left blank so that line numbers stay those of the
/// text. `None` when the text has no header block.
pub fn without_headers(text: &str) -> Option<String> {
    let headers = header_block(text)?;
    let subject = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("subject"))
        .map(|(_, v)| strip_reply_marks(v))?;
    let sent = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("date") || n.eq_ignore_ascii_case("sent"))
        .map(|(_, v)| *v);
    let mut out = String::with_capacity(text.len());
    out.push_str("# ");
    out.push_str(subject);
    out.push('\n');
    let mut blank = headers.len() - 1;
    if let Some(sent) = sent {
        out.push_str("\nSent: ");
        out.push_str(sent);
        out.push('\n');
        blank = blank.saturating_sub(2);
    }
    out.push_str(&"\n".repeat(blank));
    let rest = text
        .split_inclusive('\n')
        .skip(headers.len())
        .collect::<String>();
    out.push_str(&rest);
    Some(out)
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
        let md = without_headers(mail).unwrap();
        assert_eq!(
            md,
            "# Postmortem - API errors on 12 Jan 2025\n\nSent: Wed, 15 Jan 2025 09:12:44 +0100\n\n\nHi all,\n"
        );
        assert_eq!(md.lines().count(), mail.lines().count());
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
