// After the whole run: every page of the page table (`clave steps`), the 404
// page included, was put through `expectAccessiblePage` on every project.
import { existsSync, readFileSync } from "node:fs";
import { LISTED } from "./tests/helpers";

export default async function checkEveryPageWasChecked() {
  const record = process.env.CLAVE_A11Y_RECORD;
  if (!record) return;
  if (!existsSync(record)) throw new Error(`${record}: no page was checked`);
  const seen = new Set(readFileSync(record, "utf8").trim().split("\n"));
  const projects = [...new Set([...seen].map((line) => line.split("\t")[0]))].sort();
  const missing = projects.flatMap((project) =>
    Object.keys(LISTED)
      .filter((name) => !seen.has(`${project}\t${name}`))
      .map((name) => `${project}: ${name}`),
  );
  const pages = Object.keys(LISTED).length;
  console.log(`accessibility: ${pages} pages × ${projects.length} projects checked, ${missing.length} missing`);
  if (missing.length > 0) throw new Error(`pages never checked:\n${missing.join("\n")}`);
}
