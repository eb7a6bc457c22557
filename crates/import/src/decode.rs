//! The text of a CSV export, whatever its encoding: UTF-8 with or without a byte order mark,
//! UTF-16 (Excel's "Unicode text"), Windows-1252 and the other legacy encodings that Excel and
//! old exports write.
//!
//! Without an encoding given, [`decode`] reads, in this order:
//!
//! 1. a byte order mark: UTF-8, UTF-16LE or UTF-16BE;
//! 2. UTF-16 without one, recognised by its zero bytes (the high byte of every ASCII
//!    character), which no CSV export in an 8-bit encoding has;
//! 3. valid UTF-8;
//! 4. otherwise the legacy encoding `chardetng` guesses, restricted to those plausible for a
//!    survey export, and Windows-1252 (of which Latin-1 is a subset) when the guess is not
//!    plausible or rests on too few bytes.
//!
//! With an encoding given (any label of the Encoding Standard that `encoding_rs` knows), bytes
//! that are not text in that encoding are an error naming their line and byte offset, never
//! replaced silently; a byte order mark still says which Unicode encoding a file is in.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    BIG5, DecoderResult, EUC_JP, EUC_KR, Encoding, GBK, REPLACEMENT, SHIFT_JIS, UTF_8, UTF_16BE,
    UTF_16LE, WINDOWS_874, WINDOWS_1250, WINDOWS_1251, WINDOWS_1252, WINDOWS_1253, WINDOWS_1254,
    WINDOWS_1255, WINDOWS_1256, WINDOWS_1257, WINDOWS_1258,
};

use crate::ImportError;

/// Labels to suggest when one given is not known.
pub const COMMON_LABELS: &str = "utf-8, windows-1252, latin1, utf-16le, utf-16be, shift_jis";

/// The encodings a detector's guess may be taken as: those survey exports are written in
/// (Excel's "CSV" uses the system's ANSI code page). KOI8, DOS and Mac code pages, the ISO
/// 8859 variants and ISO-2022-JP are left out: a guess of one of them on an export is far more
/// likely a misreading of a few Windows-1252 bytes.
const PLAUSIBLE: [&Encoding; 15] = [
    WINDOWS_1250,
    WINDOWS_1251,
    WINDOWS_1252,
    WINDOWS_1253,
    WINDOWS_1254,
    WINDOWS_1255,
    WINDOWS_1256,
    WINDOWS_1257,
    WINDOWS_1258,
    WINDOWS_874,
    SHIFT_JIS,
    EUC_JP,
    EUC_KR,
    GBK,
    BIG5,
];

/// The fewest non-ASCII bytes on which a guess other than Windows-1252 is taken. Two bytes
/// decode as plausible letters in nearly every legacy encoding (SurveyMonkey's `\x8C\xE6` is
/// `Œæ` in Windows-1252, `Ść` in Windows-1250 and a kanji in Shift_JIS), so a detector's
/// guess needs more text than that to be better than the commonest encoding.
const FEWEST_NON_ASCII_FOR_A_GUESS: usize = 16;

/// How many leading bytes are looked at to recognise UTF-16 without a byte order mark.
const UTF_16_SNIFF_LENGTH: usize = 4096;

/// An export's bytes as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The text, without a byte order mark.
    pub text: Cow<'a, str>,
    /// The name of the encoding read, as the Encoding Standard writes it (`UTF-8`,
    /// `windows-1252`, `UTF-16LE`, `Shift_JIS`, ...).
    pub encoding: &'static str,
    /// What to tell the user about the encoding when it was not plain UTF-8: which one was
    /// used and why; `None` for UTF-8.
    pub note: Option<String>,
}

/// The encoding a label names, as the Encoding Standard reads labels (case and surrounding
/// spaces ignored): `utf-8`, `windows-1252`, `latin1`, `iso-8859-1`, `utf-16le`, `utf-16be`,
/// `shift_jis`, ...
///
/// # Errors
/// [`ImportError::UnknownEncoding`] for a label that names no encoding, or only the
/// Encoding Standard's "replacement" encoding, which reads nothing.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, ImportError> {
    Encoding::for_label(label.trim().as_bytes())
        .filter(|encoding| *encoding != REPLACEMENT)
        .ok_or_else(|| ImportError::UnknownEncoding {
            label: label.to_string(),
            known: COMMON_LABELS.to_string(),
        })
}

/// The name to show a user: `Windows-1252` rather than the standard's `windows-1252`.
fn display_name(encoding: &'static Encoding) -> String {
    match encoding.name().strip_prefix("windows-") {
        Some(code_page) => format!("Windows-{code_page}"),
        None => encoding.name().to_string(),
    }
}

/// Decodes `input`, the bytes of a CSV export named `source_name`, to text: in the encoding
/// `label` names, or, without one, the encoding detected (see the module's documentation).
///
/// # Errors
/// [`ImportError::UnknownEncoding`] for a label that names no encoding;
/// [`ImportError::Encoding`] for bytes that are not text in the encoding given, naming the
/// line and byte offset of the first.
pub fn decode<'a>(
    input: &'a [u8],
    source_name: &str,
    label: Option<&str>,
) -> Result<Decoded<'a>, ImportError> {
    match label {
        Some(label) => decode_as(input, source_name, label, encoding_for_label(label)?),
        None => Ok(detect(input)),
    }
}

/// Decodes `input` in the encoding a user gave, strictly.
fn decode_as<'a>(
    input: &'a [u8],
    source_name: &str,
    label: &str,
    given: &'static Encoding,
) -> Result<Decoded<'a>, ImportError> {
    let (encoding, body, note) = match Encoding::for_bom(input) {
        Some((marked, length)) if marked != given => (
            marked,
            &input[length..],
            Some(format!(
                "read as {}, as the file's byte order mark says, rather than as `{label}`",
                display_name(marked)
            )),
        ),
        Some((_, length)) => (given, &input[length..], None),
        None => (given, input, None),
    };
    let offset_of_body = input.len() - body.len();
    let text = if encoding == UTF_8 {
        match std::str::from_utf8(body) {
            Ok(text) => Cow::Borrowed(text),
            Err(error) => {
                let start = error.valid_up_to();
                let length = error.error_len().unwrap_or(body.len() - start);
                return Err(not_in_encoding(
                    source_name,
                    encoding,
                    &body[..start],
                    &body[start..start + length],
                    offset_of_body + start,
                ));
            }
        }
    } else {
        Cow::Owned(
            decode_strictly(encoding, body).map_err(|(decoded, start, length)| {
                ImportError::Encoding {
                    source_name: source_name.to_string(),
                    line: line_after(&decoded),
                    offset: (offset_of_body + start) as u64,
                    bytes: hex(&body[start..start + length]),
                    encoding: display_name(encoding),
                }
            })?,
        )
    };
    let note = note.or_else(|| {
        (encoding != UTF_8).then(|| {
            format!(
                "read as {} (--encoding {})",
                display_name(encoding),
                label.trim()
            )
        })
    });
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        note,
    })
}

/// The error for `bad` bytes of UTF-8 at `offset`, after the valid `before`.
fn not_in_encoding(
    source_name: &str,
    encoding: &'static Encoding,
    before: &[u8],
    bad: &[u8],
    offset: usize,
) -> ImportError {
    // `before` is the valid prefix, so it converts without loss.
    let before = String::from_utf8_lossy(before);
    ImportError::Encoding {
        source_name: source_name.to_string(),
        line: line_after(&before),
        offset: offset as u64,
        bytes: hex(bad),
        encoding: display_name(encoding),
    }
}

/// Decodes `bytes` without replacing anything: the text, or the text before the first
/// malformed sequence with that sequence's offset and length.
fn decode_strictly(
    encoding: &'static Encoding,
    bytes: &[u8],
) -> Result<String, (String, usize, usize)> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let room = |remaining: usize| remaining.saturating_mul(3).saturating_add(16);
    let mut text = String::with_capacity(room(bytes.len()));
    let mut consumed = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[consumed..], &mut text, true);
        consumed += read;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => text.reserve(room(bytes.len() - consumed)),
            DecoderResult::Malformed(length, after) => {
                let end = consumed - usize::from(after);
                let start = end.saturating_sub(usize::from(length));
                return Err((text, start, end - start));
            }
        }
    }
}

/// Bytes as hexadecimal: `0xE9`, `0xD8 0x00`.
fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|byte| format!("0x{byte:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The 1-based line at the end of `text`, as a text editor counts lines: each CR LF, lone CR
/// and lone LF ends one.
pub(crate) fn line_after(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(index, &byte)| {
            byte == b'\n' || (byte == b'\r' && bytes.get(index + 1) != Some(&b'\n'))
        })
        .count();
    breaks as u64 + 1
}

/// Decodes `input` in the encoding detected.
fn detect(input: &[u8]) -> Decoded<'_> {
    if let Some((encoding, length)) = Encoding::for_bom(input) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&input[length..]);
        let replaced = if had_errors {
            "; bytes that are not text in it were replaced by `\u{FFFD}`"
        } else {
            ""
        };
        let note = (encoding != UTF_8 || had_errors).then(|| {
            format!(
                "read as {} (byte order mark){replaced}; if letters look wrong, give --encoding",
                display_name(encoding)
            )
        });
        return Decoded {
            text,
            encoding: encoding.name(),
            note,
        };
    }
    if let Some(encoding) = utf_16_by_zero_bytes(input) {
        let (text, _) = encoding.decode_without_bom_handling(input);
        return Decoded {
            text,
            encoding: encoding.name(),
            note: Some(format!(
                "read as {} (detected by its zero bytes; the file has no byte order mark); if letters look wrong, give --encoding",
                display_name(encoding)
            )),
        };
    }
    if let Ok(text) = std::str::from_utf8(input) {
        return Decoded {
            text: Cow::Borrowed(text),
            encoding: UTF_8.name(),
            note: None,
        };
    }
    let encoding = legacy_encoding(input);
    // Only guesses that decode every byte are taken, and Windows-1252 decodes any byte, so
    // nothing is replaced here.
    let (text, _) = encoding.decode_without_bom_handling(input);
    Decoded {
        text,
        encoding: encoding.name(),
        note: Some(format!(
            "read as {} (detected); if letters look wrong, give --encoding",
            display_name(encoding)
        )),
    }
}

/// UTF-16LE or UTF-16BE when the leading bytes are UTF-16 without a byte order mark: a zero
/// byte in at least a quarter of the byte pairs, nearly always on the same side (the high
/// byte of ASCII text, which separators, digits and line breaks are even in other scripts).
fn utf_16_by_zero_bytes(input: &[u8]) -> Option<&'static Encoding> {
    let sample = &input[..input.len().min(UTF_16_SNIFF_LENGTH)];
    let pairs = sample.len() / 2;
    if pairs == 0 {
        return None;
    }
    let mut zeros = [0usize; 2];
    for pair in sample.chunks_exact(2) {
        zeros[0] += usize::from(pair[0] == 0);
        zeros[1] += usize::from(pair[1] == 0);
    }
    let lopsided = |high: usize, low: usize| high * 4 >= pairs && low * 8 <= high;
    if lopsided(zeros[1], zeros[0]) {
        Some(UTF_16LE)
    } else if lopsided(zeros[0], zeros[1]) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// The legacy encoding of `input`, which is not UTF-8: `chardetng`'s guess when it is
/// plausible for an export, rests on enough non-ASCII bytes and decodes every byte, else
/// Windows-1252. A Windows-1252 reading that would give control characters (bytes 0x81, 0x8D,
/// 0x8F, 0x90, 0x9D, which it leaves undefined) lets a guess on fewer bytes through.
fn legacy_encoding(input: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(input, true);
    let guess = detector.guess(None, Utf8Detection::Deny);
    if guess == WINDOWS_1252 || !PLAUSIBLE.contains(&guess) {
        return WINDOWS_1252;
    }
    let non_ascii = input.iter().filter(|byte| !byte.is_ascii()).count();
    let undefined_in_1252 = input
        .iter()
        .any(|byte| matches!(byte, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D));
    let enough = non_ascii >= FEWEST_NON_ASCII_FOR_A_GUESS || undefined_in_1252;
    if enough
        && guess
            .decode_without_bom_handling_and_without_replacement(input)
            .is_some()
    {
        guess
    } else {
        WINDOWS_1252
    }
}

#[cfg(test)]
mod tests {
    use super::{decode, line_after};
    use crate::ImportError;

    fn detected(bytes: &[u8]) -> (String, &'static str, Option<String>) {
        let decoded = decode(bytes, "x.csv", None).unwrap();
        (decoded.text.into_owned(), decoded.encoding, decoded.note)
    }

    #[test]
    fn utf_8_is_read_as_it_is_with_or_without_a_byte_order_mark() {
        assert_eq!(detected("é,b".as_bytes()), ("é,b".into(), "UTF-8", None));
        assert_eq!(
            detected("\u{FEFF}é,b".as_bytes()),
            ("é,b".into(), "UTF-8", None)
        );
        assert_eq!(detected(b""), (String::new(), "UTF-8", None));
    }

    #[test]
    fn utf_16_is_read_with_a_byte_order_mark_or_by_its_zero_bytes() {
        let text = "Respondent\tGroup\r\n1\tÉtudiant\r\n";
        let little: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, name) in [(little, "UTF-16LE"), (big, "UTF-16BE")] {
            let mut marked = if name == "UTF-16LE" {
                vec![0xFF, 0xFE]
            } else {
                vec![0xFE, 0xFF]
            };
            marked.extend(&bytes);
            let (read, encoding, note) = detected(&marked);
            assert_eq!((read.as_str(), encoding), (text, name));
            assert!(note.unwrap().contains("byte order mark"));
            let (read, encoding, note) = detected(&bytes);
            assert_eq!((read.as_str(), encoding), (text, name));
            assert!(note.unwrap().contains("zero bytes"));
        }
    }

    #[test]
    fn a_few_legacy_bytes_are_windows_1252() {
        // `\x8C\xE6` as SurveyMonkey's StarWars.csv has it, `°C` and `µg`, `It’s`, `Café`:
        // chardetng alone guesses Windows-1250 or Big5 for the first two.
        for (bytes, text) in [
            (&b"Universe?\x8c\xe6,b\n"[..], "Universe?Œæ,b\n"),
            (b"\xb0C,\xb5g", "°C,µg"),
            (b"It\x92s,Caf\xe9\n", "It’s,Café\n"),
        ] {
            let (read, encoding, note) = detected(bytes);
            assert_eq!((read.as_str(), encoding), (text, "windows-1252"));
            assert_eq!(
                note.unwrap(),
                "read as Windows-1252 (detected); if letters look wrong, give --encoding"
            );
        }
    }

    #[test]
    fn longer_text_in_another_legacy_encoding_is_detected() {
        let text = "Респондент,Группа\n1,Молодые люди с опытом опеки\n2,Родители и опекуны\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        assert_eq!(
            detected(&bytes),
            (
                text.into(),
                "windows-1251",
                Some(
                    "read as Windows-1251 (detected); if letters look wrong, give --encoding"
                        .into()
                )
            )
        );
        let text = "回答者,グループ\n1,若者\n2,保護者と養育者\n3,研究者\n";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let (read, encoding, _) = detected(&bytes);
        assert_eq!((read.as_str(), encoding), (text, "Shift_JIS"));
    }

    #[test]
    fn a_given_encoding_is_used_and_noted() {
        let decoded = decode(b"Caf\xe9", "x.csv", Some("latin1")).unwrap();
        assert_eq!(decoded.text, "Café");
        assert_eq!(
            decoded.note.unwrap(),
            "read as Windows-1252 (--encoding latin1)"
        );
        let decoded = decode("Café".as_bytes(), "x.csv", Some(" UTF-8 ")).unwrap();
        assert_eq!((decoded.text.as_ref(), decoded.note), ("Café", None));
    }

    #[test]
    fn a_byte_order_mark_overrides_the_encoding_given() {
        let decoded = decode(b"\xFF\xFEa\x00", "x.csv", Some("windows-1252")).unwrap();
        assert_eq!(decoded.text, "a");
        assert_eq!(
            decoded.note.unwrap(),
            "read as UTF-16LE, as the file's byte order mark says, rather than as `windows-1252`"
        );
    }

    #[test]
    fn bytes_not_in_the_encoding_given_are_an_error_with_line_and_offset() {
        let error = decode(b"a,b\r\nc,d\re,\xe9\n", "x.csv", Some("utf-8")).unwrap_err();
        assert_eq!(
            error,
            ImportError::Encoding {
                source_name: "x.csv".into(),
                line: 3,
                offset: 11,
                bytes: "0xE9".into(),
                encoding: "UTF-8".into(),
            }
        );
        assert_eq!(
            error.to_string(),
            "x.csv:3: byte offset 11: 0xE9 is not UTF-8 text"
        );
        // A lone lead byte of Shift_JIS, at the end of the second line.
        let error = decode(b"a\nb\x81", "x.csv", Some("shift_jis")).unwrap_err();
        assert!(
            matches!(
                error,
                ImportError::Encoding {
                    line: 2,
                    offset: 3,
                    ..
                }
            ),
            "{error:?}"
        );
        // An odd byte at the end of UTF-16.
        let error = decode(b"a\x00\n\x00b", "x.csv", Some("utf-16le")).unwrap_err();
        assert!(
            matches!(
                error,
                ImportError::Encoding {
                    line: 2,
                    offset: 4,
                    ..
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn an_unknown_label_lists_common_ones() {
        let error = decode(b"a", "x.csv", Some("klingon")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown encoding `klingon`: expected a label such as utf-8, windows-1252, latin1, utf-16le, utf-16be, shift_jis"
        );
        assert!(decode(b"a", "x.csv", Some("iso-2022-kr")).is_err());
    }

    #[test]
    fn lines_end_at_crlf_cr_and_lf_alike() {
        assert_eq!(line_after(""), 1);
        assert_eq!(line_after("a\r\nb\rc\nd"), 4);
        assert_eq!(line_after("a\r\r\n"), 3);
        assert_eq!(line_after("a\r"), 2);
    }
}
