// redirects.mjs: every rule of a build's _redirects followed in Chromium, as a static host that
// does not read _redirects serves it: the redirect page at the old address sends the browser to
// the new one, which is the page itself (no refresh of its own).
//   node redirects.mjs PUBLIC

import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { serve } from "./static-server.mjs";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const root = path.resolve(process.argv[2]);
let passed = 0, failed = 0;
const check = (ok, what) => {
	if (ok) passed++; else failed++;
	console.log(`${ok ? "ok" : "FAIL"} ${what}`);
};

let text = "";
try {
	text = fs.readFileSync(path.join(root, "_redirects"), "utf8");
} catch {
	check(false, "the build wrote _redirects");
}
const rules = text.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(" "));
const server = await serve(root);
const port = server.address().port;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
	check(rules.length > 0, `_redirects has rules (${rules.length})`);
	for (const [from, to] of rules) {
		const page = await browser.newPage();
		await page.goto(`http://127.0.0.1:${port}${from}`);
		let arrived = true;
		await page.waitForURL((u) => u.pathname === decodeURI(to), { timeout: 5000 }).catch(() => { arrived = false; });
		check(arrived, `${from} leads the browser to ${to} (at ${new URL(page.url()).pathname})`);
		const refresh = await page.locator('meta[http-equiv="refresh"]').count();
		check(refresh === 0, `${to} is the page, not another redirect page`);
		await page.close();
	}
} finally {
	await browser.close();
	server.close();
}
console.log(`redirects.mjs: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
