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
  // How many pages each project saw, so a run in one language only shows.
  for (const project of projects) {
    const checked = Object.keys(LISTED).filter((name) => seen.has(`${project}\t${name}`)).length;
    console.log(`accessibility: ${project} checked ${checked} of ${Object.keys(LISTED).length} pages`);
  }
  const incomplete = `${record}.incomplete`;
  if (existsSync(incomplete)) {
    // What axe left for a person to review, by rule: on how many pages, and where.
    const byRule = new Map<string, { pages: Set<string>; targets: Set<string> }>();
    for (const line of readFileSync(incomplete, "utf8").trim().split("\n")) {
      const [project, page, rule, target] = line.split("\t");
      const entry = byRule.get(rule) ?? { pages: new Set(), targets: new Set() };
      entry.pages.add(`${project} ${page}`);
      entry.targets.add(target);
      byRule.set(rule, entry);
    }
    const explained = explainedIncomplete();
    const unexplained: string[] = [];
    for (const [rule, { pages, targets }] of byRule) {
      console.log(`axe incomplete: ${rule} on ${pages.size} page×project pairs, at ${[...targets].join(" | ")}`);
      for (const target of targets) {
        if (!explained.get(rule)?.includes(target)) unexplained.push(`${rule} at ${target}`);
      }
    }
    if (unexplained.length > 0) {
      throw new Error(`axe left these for review and docs/accessibility.md does not explain them:\n${unexplained.join("\n")}`);
    }
  }
  const pages = Object.keys(LISTED).length;
  console.log(`accessibility: ${pages} pages × ${projects.length} projects checked, ${missing.length} missing`);
  if (missing.length > 0) throw new Error(`pages never checked:\n${missing.join("\n")}`);
}

/**
 * The table of docs/accessibility.md headed "| axe rule | where | why |":
 * each incomplete result a person looked at, by rule, with the elements
 * (axe's selectors, comma-separated, in backquotes) it was found on.
 */
function explainedIncomplete(): Map<string, string[]> {
  const doc = readFileSync(`${__dirname}/../docs/accessibility.md`, "utf8").split("\n");
  const start = doc.findIndex((line) => line.startsWith("| axe rule | where | why |"));
  const explained = new Map<string, string[]>();
  if (start < 0) return explained;
  for (const line of doc.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const [rule, where] = line.split("|").slice(1, 3).map((cell) => cell.trim().replace(/`/g, ""));
    explained.set(rule, [...(explained.get(rule) ?? []), ...where.split(",").map((w) => w.trim())]);
  }
  return explained;
}
