//! Cuts the head of each word list for the browser's clave hint
//! (`src/guesses.rs`): the server holds the lists whole, the hint only what
//! fits the WASM budget. Writes the heads and `lists.rs` into `OUT_DIR`.

use std::{env, fs, path::Path};

/// Each list and how many of its first words the browser carries: the two
/// short lists whole, the long ones cut at the same rank, so that every word
/// the hint does not hold is priced at that rank plus one (`BEYOND`).
const HEADS: [(&str, usize); 5] = [
    ("ecuador", usize::MAX),
    ("contrasenas", usize::MAX),
    ("palabras", 300),
    ("nombres", 300),
    ("apellidos", 300),
];

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut heads = Vec::new();
    let mut whole = Vec::new();
    let mut beyond = u32::MAX;
    for (name, keep) in HEADS {
        let source = format!("data/{name}.txt");
        println!("cargo:rerun-if-changed={source}");
        let text = fs::read_to_string(&source).expect("a word list of domain/data");
        let full = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join(&source);
        whole.push(format!("include_str!({:?})", full.display().to_string()));
        let words: Vec<&str> = text.lines().collect();
        if keep < words.len() {
            // A word this list holds beyond its head ranks at least here.
            beyond = beyond.min(u32::try_from(keep + 1).expect("a short head"));
        }
        let head: String = words.iter().take(keep).map(|w| format!("{w}\n")).collect();
        let path = Path::new(&out).join(format!("{name}.txt"));
        fs::write(&path, head).expect("write a head");
        heads.push(format!("include_str!({:?})", path.display().to_string()));
    }
    let n = HEADS.len();
    let code = format!(
        "#[cfg(feature = \"server\")]\n\
         pub const WHOLE: [&str; {n}] = [{}];\n\
         pub const HEADS: [&str; {n}] = [{}];\n\
         pub const BEYOND: u32 = {beyond};\n",
        whole.join(", "),
        heads.join(", ")
    );
    fs::write(Path::new(&out).join("lists.rs"), code).expect("write lists.rs");
}
