// checks.mjs: what the browser tests share around their checks (library.mjs, search.mjs): an
// "ok"/"FAIL" line per check, the site folder from the command line, and the last line
// "NAME: N passed, N failed" with the exit status.

import fs from "node:fs";
import path from "node:path";

let passed = 0, failed = 0;

export const check = (name, good, detail) => {
	if (good) {
		passed++;
		console.log(`ok ${name}`);
	} else {
		failed++;
		console.log(`FAIL ${name}${detail ? `\n    ${String(detail).replace(/\n/g, "\n    ")}` : ""}`);
	}
};

// The built site named by the first argument (a folder with index.html), else usage and exit 2.
export function siteRoot(script) {
	const root = path.resolve(process.argv[2] || "");
	if (!process.argv[2] || !fs.existsSync(path.join(root, "index.html"))) {
		console.error(`usage: node ${script} PUBLIC_DIR (a built site, with index.html)`);
		process.exit(2);
	}
	return root;
}

export function finish(script) {
	console.log(`${script}: ${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}
