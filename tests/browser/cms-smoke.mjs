// cms-smoke.mjs: does Decap CMS accept the /admin/ config the build wrote? A smoke check only
// (the editing itself is tests/browser/cms*.mjs of the local backend).
//
// Usage: node tests/browser/cms-smoke.mjs PUBLIC_DIR LANG SHOT.png
//
// Serves PUBLIC_DIR on a loopback port (config*.yml as text/yaml, as Decap requires), opens
// /admin/?lang=LANG in headless Chromium and waits for Decap's login screen; fails on Decap's
// "Error loading the CMS configuration" screen, a page error, or a request to another host.
// Prints "ok"/"FAIL" lines and ends with "cms-smoke.mjs: N passed, N failed".

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const [root, lang, shot] = process.argv.slice(2);
let passed = 0, failed = 0;
const check = (name, good, detail) => {
	if (good) { passed++; console.log(`ok ${name}`); }
	else { failed++; console.log(`FAIL ${name}${detail ? `: ${detail}` : ""}`); }
};
const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8", ".yml": "text/yaml; charset=utf-8",
	".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png" };

const server = http.createServer((req, res) => {
	let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
	if (rel.endsWith("/")) rel += "index.html";
	const file = path.join(root, path.normalize(rel));
	if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
		res.writeHead(404); res.end(); return;
	}
	res.writeHead(200, { "Content-Type": TYPES[path.extname(file)] || "application/octet-stream" });
	fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const outside = [], errors = [];
page.on("request", (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) outside.push(r.url()); });
page.on("pageerror", (e) => errors.push(String(e)));
await page.goto(`${origin}/admin/?lang=${lang}`);
// Decap's login page has a button; its config error page has this heading.
const state = await Promise.race([
	page.waitForSelector("button", { timeout: 60000 }).then(() => "login"),
	page.waitForSelector("text=Error loading the CMS configuration", { timeout: 60000 }).then(() => "error"),
]).catch((e) => `timeout: ${e}`);
await page.waitForTimeout(500);
const text = await page.evaluate(() => document.body.innerText);
check("Decap accepts the generated config", state === "login" && !/Config Errors|Error loading/.test(text),
	`${state}: ${text.slice(0, 600)}`);
check(`the admin asks for config.${lang}.yml`, await page.evaluate(() =>
	document.querySelector('link[rel="cms-config-url"]')?.getAttribute("href")) === (lang === "en" ? "config.yml" : `config.${lang}.yml`));
check("no page errors", errors.length === 0, errors.join("; "));
check("nothing requested from another host", outside.length === 0, outside.join(" "));
if (shot) await page.screenshot({ path: shot });

// The editor itself, on Decap's in-memory test backend (the config's backend block swapped):
// the fields of a child-made material render, and saving one without consent is refused.
const ed = await browser.newPage({ viewport: { width: 1280, height: 900 } });
ed.on("pageerror", (e) => errors.push(String(e)));
await ed.route(/\/admin\/config[.a-z-]*\.yml$/, async (route) => {
	const r = await route.fetch();
	const body = (await r.text()).replace(/^backend:\n(?:  .*\n)+/m, "backend:\n  name: test-repo\n");
	await route.fulfill({ response: r, body, headers: { ...r.headers(), "content-type": "text/yaml" } });
});
await ed.goto(`${origin}/admin/?lang=${lang}`);
await ed.click("button");
await ed.goto(`${origin}/admin/?lang=${lang}#/collections/by-children/new`);
await ed.waitForSelector("[id^=pseudonym-field]", { timeout: 30000 }).catch(() => {});
const fields = await ed.evaluate(() => [...document.querySelectorAll("label")].map((l) => l.textContent));
check("the child-made editor shows the consent record", fields.some((t) => /Consent|Съгласие|consent/i.test(t)), fields.join(" | "));
await ed.fill("[id^=title-field]", "Моята рисунка").catch(() => {});
// Simple workflow: "Publish", then "Publish now" (in the editor's language).
await ed.locator("span[role=button], button", { hasText: /^(Publish|Публикувай)$/ }).first().click().catch(() => {});
await ed.locator("[role=menuitem], li, div", { hasText: /^(Publish now|Публикувай сега)$/ }).first().click().catch(() => {});
await ed.waitForTimeout(1500);
const after = await ed.evaluate(() => document.body.innerText);
check("saving without consent is refused", /Without this consent|required|задължително/i.test(after), after.slice(0, 400));
if (shot) await ed.screenshot({ path: shot.replace(/\.png$/, "-editor.png"), fullPage: false });
await browser.close();
server.close();
console.log(`cms-smoke.mjs: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
