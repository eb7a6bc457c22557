//! `prioritise import --encoding`: files in other encodings than UTF-8, detected or given.

use crate::{Stderr, arguments, check_refused, prioritise};

/// A Google Forms download, with a multi-line group in its second row. The question's text is
/// not ASCII, so that a wrong decoding shows in the drafted mapping that quotes it.
const TEXT: &str = "Timestamp,Your rôle,Order these topics — le café [Early help],Order these topics — le café [Kinship care]\r\
2026/11/02 9:14:02,Researcher,2,1\r\
2026/11/02 10:01:10,\"Practitioner\r(social work)\",1,2\r";

/// [`TEXT`] in Windows-1252 (`ô` is 0xF4, `—` 0x97, `é` 0xE9), with CR-only line ends as
/// classic Mac Excel writes them.
const EXPORT: &[u8] = b"Timestamp,Your r\xF4le,Order these topics \x97 le caf\xE9 [Early help],Order these topics \x97 le caf\xE9 [Kinship care]\r\
2026/11/02 9:14:02,Researcher,2,1\r\
2026/11/02 10:01:10,\"Practitioner\r(social work)\",1,2\r";

/// The exchange format of [`EXPORT`].
const IMPORTED: &str = "respondent,group,item,rank\n\
row-1,researcher,kinship-care,1\n\
row-1,researcher,early-help,2\n\
row-2,practitioner-social-work,early-help,1\n\
row-2,practitioner-social-work,kinship-care,2\n";

fn import_with(path: &std::path::Path, encoding: Option<&str>) -> (String, String) {
    let mut command = prioritise();
    command
        .args([
            "import",
            "--from",
            "google-forms",
            "--group-column",
            "your r",
        ])
        .arg(path);
    if let Some(label) = encoding {
        command.args(["--encoding", label]);
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    (String::from_utf8(output.stdout).unwrap(), stderr)
}

#[test]
fn a_windows_1252_export_imports_detected_or_given() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("export.csv");
    std::fs::write(&path, EXPORT).unwrap();
    let mapping = directory.path().join("mapping.toml");
    let output = prioritise()
        .args([
            "import",
            "--from",
            "google-forms",
            "--group-column",
            "your r",
        ])
        .arg(&path)
        .arg("--draft-mapping")
        .arg(&mapping)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    assert_eq!(String::from_utf8(output.stdout).unwrap(), IMPORTED);
    let drafted = std::fs::read_to_string(&mapping).unwrap();
    assert!(
        drafted.contains("Order these topics — le café") && drafted.contains("Your rôle"),
        "{drafted}"
    );
    assert!(
        stderr.contains(
            "note: read as Windows-1252 (detected); if letters look wrong, give --encoding\n"
        ),
        "{stderr}"
    );
    for label in ["windows-1252", "latin1", "ISO-8859-1"] {
        let (stdout, stderr) = import_with(&path, Some(label));
        assert_eq!(stdout, IMPORTED, "{label}");
        assert!(
            stderr.contains(&format!(
                "note: read as Windows-1252 (--encoding {label})\n"
            )),
            "{stderr}"
        );
    }
}

#[test]
fn a_utf_16_tab_separated_export_imports() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("export.txt");
    let text = TEXT.replace(',', "\t");
    let bytes: Vec<u8> = [0xFEFF]
        .into_iter()
        .chain(text.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(&path, bytes).unwrap();
    let (stdout, stderr) = import_with(&path, None);
    assert_eq!(stdout, IMPORTED);
    assert!(
        stderr.contains("note: read as UTF-16LE (byte order mark)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("note: read as tab-separated text"),
        "{stderr}"
    );
}

#[test]
fn an_encoding_that_does_not_fit_or_does_not_exist_is_refused_with_a_hint() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("export.csv");
    std::fs::write(&path, EXPORT).unwrap();
    const HINT: &str = "hint: give the file's encoding with --encoding LABEL (such as windows-1252 or utf-16le), or leave --encoding out to detect it";
    check_refused([
        (
            "bytes that are not UTF-8",
            arguments([
                &"import",
                &"--from",
                &"google-forms",
                &path,
                &"--encoding",
                &"utf-8",
            ]),
            1,
            // 0xF4 is the 17th byte, on line 1.
            Stderr::Has(&["export.csv:1: byte offset 16: 0xF4 is not UTF-8 text", HINT]),
        ),
        (
            "an unknown label",
            arguments([
                &"import",
                &"--from",
                &"google-forms",
                &path,
                &"--encoding",
                &"klingon",
            ]),
            1,
            Stderr::Has(&[
                "unknown encoding `klingon`: expected a label such as utf-8, windows-1252, latin1, utf-16le, utf-16be, shift_jis",
                HINT,
            ]),
        ),
    ]);
}
