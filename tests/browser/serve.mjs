// serve.mjs: satchel serve's live reload and error overlay in headless Chromium.
//
// Usage: node tests/browser/serve.mjs SATCHEL SITE_DIR
//
// Starts `SATCHEL serve -s SITE_DIR -p 0`, opens a page in two tabs, edits the page's file and
// checks both tabs reload with the new text; saves a broken front matter and checks the overlay
// names the file and line (a screenshot at phone size goes to $SATCHEL_SHOTS, default
// /tmp/satchel-shots), then that fixing it removes the overlay; shows a message holding
// <script> and quotes as text; restarts the server on the same port and checks the page
// reconnects and reloads; and that no request leaves the preview server. Prints "ok"/"FAIL"
// lines and ends with "serve.mjs: N passed, N failed"; exits 1 if anything failed.
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM): playwright-core downloads nothing.

import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SATCHEL_SHOTS || "/tmp/satchel-shots";
const WAIT = 60000; // a rebuild under ASan on a loaded machine
const [satchel, site] = process.argv.slice(2);
let passed = 0, failed = 0;
const ok = (name) => { passed++; console.log(`ok ${name}`); };
const fail = (name, detail) => { failed++; console.log(`FAIL ${name}${detail ? `: ${detail}` : ""}`); };
const check = (name, good, detail) => (good ? ok(name) : fail(name, detail));

// Starts satchel serve; resolves with { proc, url } once it prints its address.
function startServe(port) {
	return new Promise((resolve, reject) => {
		const proc = spawn(satchel, ["serve", "-s", site, "-p", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
		let out = "";
		proc.stderr.on("data", (d) => process.stderr.write(`  serve: ${d}`.replace(/\n(?=.)/g, "\n  serve: ")));
		proc.stdout.on("data", (d) => {
			out += d;
			const m = out.match(/(http:\/\/127\.0\.0\.1:\d+\/)/);
			if (m) resolve({ proc, url: m[1] });
		});
		proc.on("exit", (code) => reject(new Error(`satchel serve exited with ${code}: ${out}`)));
	});
}
const stopServe = (proc) => new Promise((resolve) => {
	proc.removeAllListeners("exit");
	proc.on("exit", (code) => resolve(code));
	proc.kill("SIGINT");
});

const page_md = path.join(site, "content/guidance/assessment/index.md");
const good = fs.readFileSync(page_md, "utf8");
const hasText = (page, text) =>
	page.waitForFunction((t) => document.body && document.body.innerText.includes(t), text, { timeout: WAIT });
const overlayText = (page) =>
	page.evaluate(() => { const o = document.getElementById("satchel-build-errors"); return o ? o.innerText : null; });

let serve = await startServe(0);
const port = new URL(serve.url).port;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
try {
	const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true });
	const outside = [];
	context.on("request", (r) => { if (!r.url().startsWith(`http://127.0.0.1:${port}/`)) outside.push(r.url()); });
	const errors = [];
	const dialogs = [];
	const url = `${serve.url}en/guidance/assessment/`;
	const tabs = [await context.newPage(), await context.newPage()];
	for (const t of tabs) {
		t.on("pageerror", (e) => errors.push(String(e)));
		t.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
		await t.goto(url);
	}
	// The event stream is open before the first edit.
	await tabs[0].waitForTimeout(1000);

	// An edit reloads every open tab with the new text.
	fs.writeFileSync(page_md, good.replace("Who takes part", "Who takes part in the hearing"));
	for (const [i, t] of tabs.entries()) {
		try {
			await hasText(t, "Who takes part in the hearing");
			ok(`tab ${i + 1} reloads with the new text after a save`);
		} catch (e) {
			fail(`tab ${i + 1} reloads with the new text after a save`, e.message.split("\n")[0]);
		}
	}

	// A broken front matter: the overlay names the file and line; the page stays as it was.
	fs.writeFileSync(page_md, good.replace(/^title: .*$/m, 'title: "Individual assessment'));
	const page = tabs[0];
	try {
		await page.waitForSelector("#satchel-build-errors", { timeout: WAIT });
		const text = await overlayText(page);
		check("the overlay names the file and the line of the broken front matter",
			/content\/guidance\/assessment\/index\.md:2(:\d+)?/.test(text), text);
		check("the overlay says the build failed", text.includes("The build failed"), text);
		check("the page under it is the last good one",
			await page.evaluate(() => document.body.innerText.includes("Who takes part in the hearing")));
		check("the other tab shows the overlay too", (await overlayText(tabs[1])) !== null);
		fs.mkdirSync(SHOTS, { recursive: true });
		await page.screenshot({ path: path.join(SHOTS, "serve-overlay-phone.png") });
		const wide = await page.evaluate(() => {
			const o = document.getElementById("satchel-build-errors");
			return o.scrollWidth > o.clientWidth || document.documentElement.scrollWidth > window.innerWidth;
		});
		check("the overlay fits a phone's width", !wide);
		const size = await page.evaluate(() =>
			parseFloat(getComputedStyle(document.querySelector("#satchel-build-errors code")).fontSize));
		check("the overlay's text is readable on a phone (15px or more)", size >= 15, `${size}px`);
	} catch (e) {
		fail("the overlay shows a failed build", e.message.split("\n")[0]);
	}

	// Fixed: the overlay goes and the page reloads.
	fs.writeFileSync(page_md, good.replace("Who takes part", "Who takes part, fixed"));
	try {
		await hasText(page, "Who takes part, fixed");
		check("the fix removes the overlay", (await overlayText(page)) === null);
		ok("the fix reloads the page");
	} catch (e) {
		fail("the fix reloads the page without the overlay", e.message.split("\n")[0]);
	}

	// A message holding markup and quotes is shown as text, never run.
	fs.writeFileSync(page_md, good + '\nSee [out](../../../../../<script>alert("q")</script>\'s.md).\n');
	try {
		await page.waitForSelector("#satchel-build-errors", { timeout: WAIT });
		const text = await overlayText(page);
		check("a message with <script> and quotes is shown as text",
			text.includes(`<script>alert("q")</script>'s.md`), text);
		const html = await page.evaluate(() => document.getElementById("satchel-build-errors").innerHTML);
		check("and escaped in the overlay's markup", html.includes("&lt;script&gt;") && !html.includes("<script>"));
		check("no script from a message runs", dialogs.length === 0, dialogs.join(", "));
	} catch (e) {
		fail("the overlay shows a message with markup", e.message.split("\n")[0]);
	}
	fs.writeFileSync(page_md, good);
	try {
		await hasText(page, "Who takes part");
		await page.waitForFunction(() => !document.getElementById("satchel-build-errors"), null, { timeout: WAIT });
		ok("the next good build clears the overlay");
	} catch (e) {
		fail("the next good build clears the overlay", e.message.split("\n")[0]);
	}

	// A restarted server: the page reconnects and reloads.
	const code = await stopServe(serve.proc);
	check("serve exits 0 on SIGINT", code === 0, String(code));
	fs.writeFileSync(page_md, good.replace("Who takes part", "Who takes part after the restart"));
	serve = await startServe(port);
	try {
		await hasText(page, "Who takes part after the restart");
		ok("a page reconnects to a restarted server and reloads");
	} catch (e) {
		fail("a page reconnects to a restarted server and reloads", e.message.split("\n")[0]);
	}

	check("no request leaves the preview server", outside.length === 0, outside.join(" "));
	check("no script error", errors.length === 0, errors.join(" | "));
} finally {
	fs.writeFileSync(page_md, good);
	await browser.close();
	await stopServe(serve.proc);
}
console.log(`serve.mjs: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
