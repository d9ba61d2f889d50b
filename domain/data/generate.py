#!/usr/bin/env python3
"""Regenerates the word lists of this folder from their public sources.

    python3 domain/data/generate.py

It fetches the npm package @zxcvbn-ts/language-es-es (pinned below) with
`npm pack` and writes palabras.txt, nombres.txt and apellidos.txt; it writes
contrasenas.txt from ignis-spanish-150.txt (kept as published). ecuador.txt is written by hand. See README.md for
the sources and their licences.

Folding is the one the Rust side does (domain/src/guesses.rs, `fold`):
lower case, Spanish accents dropped, "ñ" as "n". A word that still holds
anything but a-z, or has fewer than two letters, is left out; the first
occurrence of a word keeps its rank.
"""
import json
import re
import pathlib
import subprocess
import tarfile
import tempfile

PACKAGE = "@zxcvbn-ts/language-es-es@4.1.2"
HERE = pathlib.Path(__file__).resolve().parent
ACCENTS = str.maketrans("áéíóúüñ", "aeiouun")


def fold(word):
    return word.strip().lower().translate(ACCENTS)


def ranked(words):
    seen, out = set(), []
    for w in map(fold, words):
        if len(w) >= 2 and w.isascii() and w.isalpha() and w not in seen:
            seen.add(w)
            out.append(w)
    return out


def write(name, words):
    (HERE / name).write_text("".join(w + "\n" for w in ranked(words)))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        tarball = next(pathlib.Path(tmp).glob("*.tgz"))
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        src = pathlib.Path(tmp) / "package" / "src"
        for source, name in [("commonWords", "palabras"), ("firstnames", "nombres"),
                             ("lastnames", "apellidos")]:
            write(name + ".txt", json.loads((src / (source + ".json")).read_text()))
    # A password's letters are what the word list matches ("mustang73" is
    # "mustang" and a number, which the digits' rules price on their own).
    passwords = (HERE / "ignis-spanish-150.txt").read_text().splitlines()
    write("contrasenas.txt", [run for p in passwords for run in re.findall(r"[^\W\d_]+", p)])


if __name__ == "__main__":
    main()
