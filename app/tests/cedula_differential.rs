//! Differential test: `app::domain::cedula::Cedula::parse` against
//! python-stdnum's `stdnum.ec.ci.validate`, the reference implementation.
//!
//! Generates a deterministic corpus (fixed-seed PRNG), sends it to
//! `tools/stdnum_oracle.py` as JSON lines and requires the same verdict for
//! every input: the same compacted number on success, the same stdnum
//! exception name on failure.
//!
//! The Python interpreter is taken from `CLAVE_PYTHON` (default `python3`) and
//! needs python-stdnum installed. A missing interpreter or library fails the
//! test; it is never skipped.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::process::{Command, Stdio};

use app::domain::cedula::{check_digit, Cedula, CedulaError};

/// SplitMix64: small, deterministic, good enough for test generation.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-enough value in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn digit(&mut self) -> u8 {
        self.below(10) as u8
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

fn digits_to_string(digits: &[u8]) -> String {
    digits.iter().map(|&d| char::from(b'0' + d)).collect()
}

/// Ten digit values forming a valid cédula.
fn valid_digits(rng: &mut SplitMix64) -> Vec<u8> {
    let province = match rng.below(26) {
        24 => 30,
        25 => 50,
        p => p as u8 + 1,
    };
    let mut first_nine = [0u8; 9];
    first_nine[0] = province / 10;
    first_nine[1] = province % 10;
    first_nine[2] = rng.below(7) as u8;
    for d in &mut first_nine[3..] {
        *d = rng.digit();
    }
    let mut digits = first_nine.to_vec();
    digits.push(check_digit(&first_nine));
    digits
}

/// Recomputes the last digit so that only the earlier rules can fail.
fn fix_check_digit(digits: &mut [u8]) {
    let mut first_nine = [0u8; 9];
    first_nine.copy_from_slice(&digits[..9]);
    digits[9] = check_digit(&first_nine);
}

/// Separators and whitespace: ASCII, Python-only whitespace, Unicode spaces
/// and dashes that stdnum normalises, and look-alikes it does not.
const SEPARATORS: &[char] = &[
    ' ', ' ', ' ', '-', '-', '-', '\t', '\n', '\r', '\u{0B}', '\u{0C}', '\u{1C}', '\u{1F}',
    '\u{85}', '\u{A0}', '\u{1680}', '\u{180E}', '\u{2002}', '\u{2009}', '\u{200B}', '\u{2010}',
    '\u{2011}', '\u{2013}', '\u{2014}', '\u{2028}', '\u{2029}', '\u{202F}', '\u{205F}', '\u{2060}',
    '\u{2212}', '\u{3000}', '\u{FEFF}', '\u{FE63}', '\u{FF0D}', '\u{AD}', '\u{AF}', '_', '.', '/',
];

/// Characters that are not ASCII digits (some of which stdnum nevertheless
/// maps to ASCII digits).
const NON_DIGITS: &[char] = &[
    'a',
    'b',
    'o',
    'O',
    'l',
    'I',
    'x',
    'Z',
    'ß',
    'ﬀ',
    'ﬁ',
    'ŉ',
    'ǰ',
    'ΐ',
    'ı',
    'İ',
    'é',
    'É',
    'ñ',
    'Ñ',
    '\u{301}',
    '\u{300}',
    '\u{0}',
    '\u{7F}',
    '+',
    '*',
    ',',
    ':',
    '\'',
    '"',
    '#',
    '\\',
    '٠',
    '١',
    '٣',
    '۹',
    '०',
    '३',
    '০',
    '๑',
    '߁',
    '０',
    '１',
    '３',
    '９',
    '𝟎',
    '𝟏',
    '𝟘',
    '𝟡',
    '𝟢',
    '𝟬',
    '𝟶',
    '𝟿',
    '¹',
    '²',
    '³',
    '½',
    '①',
    '⑩',
    'Ⅳ',
    '〇',
    '一',
    '😀',
    '🇪',
    '🇨',
    '\u{FFFD}',
    '\u{10FFFF}',
    '·',
    '\u{2024}',
    '\u{3002}',
    '\u{FF0E}',
    '\u{2044}',
];

const BAD_PROVINCES: &[u8] = &[0, 25, 26, 29, 31, 40, 49, 51, 60, 99];

fn random_ten_digits(rng: &mut SplitMix64) -> String {
    (0..10).map(|_| char::from(b'0' + rng.digit())).collect()
}

fn near_miss(rng: &mut SplitMix64) -> String {
    let mut digits = valid_digits(rng);
    match rng.below(8) {
        0 => {
            // One digit changed.
            let i = rng.below(10);
            digits[i] = (digits[i] + 1 + rng.below(9) as u8) % 10;
        }
        1 => {
            // Two adjacent digits swapped.
            let i = rng.below(9);
            digits.swap(i, i + 1);
        }
        2 => {
            // Two arbitrary digits swapped.
            let (i, j) = (rng.below(10), rng.below(10));
            digits.swap(i, j);
        }
        3 => {
            // Nine digits.
            let i = rng.below(10);
            digits.remove(i);
        }
        4 => {
            // Eleven digits.
            let i = rng.below(11);
            let d = rng.digit();
            digits.insert(i, d);
        }
        5 => {
            // Invalid province, sometimes with a matching check digit.
            let p = *rng.pick(BAD_PROVINCES);
            digits[0] = p / 10;
            digits[1] = p % 10;
            if rng.chance(50) {
                fix_check_digit(&mut digits);
            }
        }
        6 => {
            // Third digit 7, 8 or 9, sometimes with a matching check digit.
            digits[2] = 7 + rng.below(3) as u8;
            if rng.chance(50) {
                fix_check_digit(&mut digits);
            }
        }
        _ => {
            // Boundary provinces with a matching check digit.
            let p = *rng.pick(&[1u8, 9, 10, 12, 19, 20, 23, 24, 30, 50]);
            digits[0] = p / 10;
            digits[1] = p % 10;
            digits[2] = *rng.pick(&[0u8, 5, 6, 7]);
            fix_check_digit(&mut digits);
        }
    }
    digits_to_string(&digits)
}

/// Inserts separators at random positions and wraps in whitespace.
fn with_separators(rng: &mut SplitMix64, base: &str) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    let inserts = rng.below(5);
    for _ in 0..inserts {
        let pos = rng.below(chars.len() + 1);
        chars.insert(pos, *rng.pick(SEPARATORS));
    }
    let mut out = String::new();
    for _ in 0..rng.below(3) {
        out.push(*rng.pick(SEPARATORS));
    }
    out.extend(chars);
    for _ in 0..rng.below(3) {
        out.push(*rng.pick(SEPARATORS));
    }
    out
}

/// Replaces or inserts non-digit characters.
fn with_non_digits(rng: &mut SplitMix64, base: &str) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    for _ in 0..1 + rng.below(2) {
        let c = *rng.pick(NON_DIGITS);
        if !chars.is_empty() && rng.chance(60) {
            let i = rng.below(chars.len());
            chars[i] = c;
        } else {
            let i = rng.below(chars.len() + 1);
            chars.insert(i, c);
        }
    }
    chars.into_iter().collect()
}

/// Short strings over a mixed alphabet, including the empty string.
fn random_mixed(rng: &mut SplitMix64) -> String {
    let len = rng.below(15);
    (0..len)
        .map(|_| match rng.below(10) {
            0..=5 => char::from(b'0' + rng.digit()),
            6 | 7 => *rng.pick(SEPARATORS),
            _ => *rng.pick(NON_DIGITS),
        })
        .collect()
}

/// Every Unicode scalar value of the BMP plus a stride through the other
/// planes (and the whole mathematical digit block), placed inside a valid
/// cédula, at its start or at its end.
fn code_point_sweep(rng: &mut SplitMix64, out: &mut Vec<String>) {
    let supplementary = (0x10000u32..=0x10FFFF)
        .filter(|cp| cp % 37 == 0 || (0x1D7CE..=0x1D7FF).contains(cp) || cp % 0x10000 >= 0xFFFE);
    for cp in (0u32..0x10000).chain(supplementary) {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let digits = digits_to_string(&valid_digits(rng));
        let s = match rng.below(4) {
            0 => format!("{c}{digits}"),
            1 => format!("{digits}{c}"),
            2 => format!("{}{c}{}", &digits[..9], &digits[9..]),
            _ => {
                let i = 1 + rng.below(8);
                format!("{}{c}{}", &digits[..i], &digits[i + 1..])
            }
        };
        out.push(s);
    }
}

fn fixed_inputs() -> Vec<String> {
    [
        "",
        " ",
        "-",
        " - ",
        "\t\n",
        "1714307103",
        "171430710-3",
        " 1714307103 ",
        "17-14-30-71-03",
        "1714307103\n",
        "\n1714307103",
        "\u{85}1714307103\u{2028}",
        "\u{A0}1714307103\u{3000}",
        "１７１４３０７１０３",
        "𝟏𝟕𝟏𝟒𝟑𝟎𝟕𝟏𝟎𝟑",
        "١٧١٤٣٠٧١٠٣",
        "171430710ß",
        "17143071ß",
        "1714307103\u{180E}",
        "1714307103\u{200B}",
        "3001234560",
        "5007654329",
        "0000000000",
        "9999999999",
        "171430710",
        "17143071033",
        "1774307103",
        "1714307104",
        "😀",
        "abcdefghij",
        "ABCDEFGHIJ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn generate_inputs() -> Vec<String> {
    let mut rng = SplitMix64(0x00C1_ED01_A5EC_0DE5);
    let mut inputs = fixed_inputs();
    for _ in 0..30_000 {
        inputs.push(random_ten_digits(&mut rng));
    }
    for _ in 0..25_000 {
        inputs.push(digits_to_string(&valid_digits(&mut rng)));
    }
    for _ in 0..35_000 {
        inputs.push(near_miss(&mut rng));
    }
    for _ in 0..30_000 {
        let base = if rng.chance(60) {
            digits_to_string(&valid_digits(&mut rng))
        } else {
            near_miss(&mut rng)
        };
        inputs.push(with_separators(&mut rng, &base));
    }
    for _ in 0..20_000 {
        let base = if rng.chance(70) {
            digits_to_string(&valid_digits(&mut rng))
        } else {
            near_miss(&mut rng)
        };
        let s = with_non_digits(&mut rng, &base);
        let s = if rng.chance(30) {
            with_separators(&mut rng, &s)
        } else {
            s
        };
        inputs.push(s);
    }
    for _ in 0..15_000 {
        inputs.push(random_mixed(&mut rng));
    }
    code_point_sweep(&mut rng, &mut inputs);
    inputs
}

fn rust_verdict(input: &str) -> Verdict {
    match Cedula::parse(input) {
        Ok(c) => Verdict::Ok(c.as_str().to_owned()),
        Err(e) => Verdict::Err(e.stdnum_name().to_owned()),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Ok(String),
    Err(String),
}

fn parse_oracle_line(line: &str) -> Verdict {
    let value: serde_json::Value = serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("oracle printed invalid JSON {line:?}: {e}"));
    if let Some(ok) = value.get("ok").and_then(|v| v.as_str()) {
        Verdict::Ok(ok.to_owned())
    } else if let Some(err) = value.get("err").and_then(|v| v.as_str()) {
        Verdict::Err(err.to_owned())
    } else {
        panic!("oracle printed an unexpected line: {line:?}");
    }
}

/// Runs the Python oracle on all inputs and returns its verdicts in order.
fn oracle_verdicts(inputs: &[String]) -> Vec<Verdict> {
    let python = std::env::var("CLAVE_PYTHON").unwrap_or_else(|_| "python3".to_owned());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tools/stdnum_oracle.py");
    assert!(
        std::path::Path::new(script).is_file(),
        "oracle script not found at {script}"
    );

    let mut child = Command::new(&python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "could not start the stdnum oracle with {python:?} (set CLAVE_PYTHON to a Python \
                 with python-stdnum installed): {e}"
            )
        });

    let mut stdin = child.stdin.take().expect("oracle stdin");
    let lines: Vec<String> = inputs
        .iter()
        .map(|s| serde_json::to_string(s).expect("encode input"))
        .collect();
    let writer = std::thread::spawn(move || {
        let mut w = BufWriter::new(&mut stdin);
        for line in &lines {
            // A write error means the oracle died; reported below from its
            // exit status, stderr and the missing output.
            if w.write_all(line.as_bytes()).is_err() || w.write_all(b"\n").is_err() {
                return;
            }
        }
        let _ = w.flush();
        // Dropping stdin closes the pipe so the oracle sees end of input.
    });

    let mut stderr = child.stderr.take().expect("oracle stderr");
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });

    let stdout = child.stdout.take().expect("oracle stdout");
    let mut verdicts = Vec::with_capacity(inputs.len());
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read oracle output");
        verdicts.push(line);
    }

    writer.join().expect("writer thread");
    let status = child.wait().expect("wait for oracle");
    let stderr_text = stderr_reader.join().expect("stderr thread");
    print!("{stderr_text}");

    assert!(
        status.success(),
        "stdnum oracle ({python} {script}) failed with {status}; is python-stdnum installed \
         (pip install python-stdnum)?\nstderr:\n{stderr_text}"
    );
    assert_eq!(
        verdicts.len(),
        inputs.len(),
        "stdnum oracle answered {} of {} inputs\nstderr:\n{stderr_text}",
        verdicts.len(),
        inputs.len()
    );
    verdicts.iter().map(|l| parse_oracle_line(l)).collect()
}

#[test]
fn cedula_agrees_with_python_stdnum() {
    let inputs = generate_inputs();
    assert!(
        inputs.len() >= 150_000,
        "corpus too small: {}",
        inputs.len()
    );

    let expected = oracle_verdicts(&inputs);

    let mut mismatches = Vec::new();
    let mut mismatch_count = 0usize;
    let mut ok_count = 0usize;
    for (input, want) in inputs.iter().zip(&expected) {
        let got = rust_verdict(input);
        if matches!(want, Verdict::Ok(_)) {
            ok_count += 1;
        }
        if &got != want {
            mismatch_count += 1;
            if mismatches.len() < 20 {
                mismatches.push(format!("  {input:?}: rust {got:?}, stdnum {want:?}"));
            }
        }
    }

    println!(
        "compared {} inputs with python-stdnum ({} valid, {} invalid)",
        inputs.len(),
        ok_count,
        inputs.len() - ok_count
    );
    assert!(
        mismatch_count == 0,
        "{mismatch_count} of {} inputs disagree with python-stdnum; first {}:\n{}",
        inputs.len(),
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn every_error_variant_is_exercised_by_the_fixtures() {
    let seen: Vec<CedulaError> = fixed_inputs()
        .iter()
        .filter_map(|s| Cedula::parse(s).err())
        .collect();
    for variant in [
        CedulaError::Empty,
        CedulaError::Length,
        CedulaError::Digits,
        CedulaError::Province,
        CedulaError::ThirdDigit,
        CedulaError::CheckDigit,
    ] {
        assert!(seen.contains(&variant), "no fixture yields {variant:?}");
    }
}
