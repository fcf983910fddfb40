// csp.mjs: the default theme under docs/examples/nginx.conf's Content-Security-Policy, in
// headless Chromium, against nginx serving the demo hub (tests/e2e/test_nginx_browser.sh).
//
// Usage: node tests/browser/csp.mjs BASE_URL
//
// Opens the language chooser, a home page, resources (one with a video and captions), the
// library with a search and a filter, the header's search form (the search page), a home in a
// right-to-left language and a 404, and checks every document came with the policy, nothing was
// refused (securitypolicyviolation events and the console's "Refused to …" lines), the brand
// colour is applied (it used to be an inline <style>, which the policy refuses) and the scripts
// ran (results appear). Prints "ok"/"FAIL" lines and ends with "csp.mjs: N passed, N failed".
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM): playwright-core downloads nothing.

import path from "node:path";
import { chromium } from "playwright-core";
import { check, finish } from "./checks.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SATCHEL_SHOTS || "/tmp/satchel-shots";
const WAIT = 8000;
const base = process.argv[2];
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(base || "")) {
	console.error("usage: node csp.mjs http://127.0.0.1:PORT (nginx serving a built site)");
	process.exit(2);
}
// The colour site.yaml's brand_color gives the demo (#005f61), as getComputedStyle writes it.
const BRAND = process.env.BRAND || "rgb(0, 95, 97)";

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
const violations = [], refused = [], errors = [], docs = [];
// Reported from every document the tab shows, before any of its scripts run.
await ctx.exposeBinding("__cspViolation", (_, v) => violations.push(v));
await ctx.addInitScript(() => document.addEventListener("securitypolicyviolation", (e) =>
	window.__cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.sourceFile || document.URL}:${e.lineNumber}`)));
const page = await ctx.newPage();
page.on("console", (m) => {
	if (/Refused to|Content Security Policy/i.test(m.text())) refused.push(m.text());
	else if (m.type() === "error") errors.push(m.text());
});
page.on("pageerror", (e) => errors.push(String(e)));
page.on("response", (r) => {
	if (r.request().resourceType() === "document") docs.push({ url: r.url(), csp: r.headers()["content-security-policy"] || "" });
});

// The pages' policy: scripts and styles only from files of the site.
const strict = (csp) => /script-src 'self'/.test(csp) && !/unsafe-/.test(csp);
// visit NAME F [ALLOW] [POLICY]: runs F, then checks nothing was refused meanwhile (console errors
// that match ALLOW, such as the 404 of a page that is meant to be missing, set aside) and every
// document came with a policy POLICY accepts (the strict one unless told).
async function visit(name, f, allow = /^$/, policy = strict) {
	const v0 = violations.length, r0 = refused.length, e0 = errors.length, d0 = docs.length;
	try {
		await f();
		// Late reports (a deferred script, a style applied after load) come within a moment.
		await page.waitForTimeout(300);
	} catch (e) {
		check(name, false, String(e && e.stack || e));
		return;
	}
	const seen = docs.slice(d0);
	check(`${name}: every document came with the policy (${seen.length})`,
		seen.length > 0 && seen.every((d) => d.csp && policy(d.csp)),
		seen.map((d) => `${d.url}: ${d.csp || "no CSP"}`).join("\n"));
	check(`${name}: no securitypolicyviolation event`, violations.length === v0, violations.slice(v0).join("\n"));
	check(`${name}: no "Refused to" in the console`, refused.length === r0, refused.slice(r0).join("\n"));
	const errs = errors.slice(e0).filter((e) => !allow.test(e));
	check(`${name}: no script error`, errs.length === 0, errs.join("\n"));
}
const brandOk = async (name) => {
	const bg = await page.locator(".brand-bar").first().evaluate((e) => getComputedStyle(e).backgroundColor);
	check(`${name}: the header is in the brand colour (${BRAND})`, bg === BRAND, bg);
};
const done = (q) => page.waitForFunction((q) => {
	const l = document.querySelector("[data-results]");
	return l && l.dataset.state === "done" && l.dataset.query === q;
}, q, { timeout: WAIT });

await visit("/ (the language chooser, which sends the reader on)", async () => {
	await page.goto(`${base}/`);
	await page.waitForURL(`${base}/en/`, { timeout: WAIT });
});
await visit("/en/", async () => {
	await page.goto(`${base}/en/`);
	await brandOk("/en/");
	await page.screenshot({ path: path.join(SHOTS, "csp-en-home.png") });
});
await visit("a guidance page", async () => {
	await page.goto(`${base}/en/guidance/individual-assessment/`);
	await brandOk("a guidance page");
});
await visit("a page with a video and captions", async () => {
	await page.goto(`${base}/en/by-children/what-we-want-judges-to-know/`);
	const v = page.locator("video").first();
	await v.evaluate((e) => new Promise((ok, ko) => {
		if (e.readyState >= 1) ok();
		e.addEventListener("loadedmetadata", ok, { once: true });
		e.addEventListener("error", () => ko(new Error("the video did not load")), { once: true });
		e.load();
	}));
	check("the video's metadata loads (media-src 'self')", true);
});
await visit("the library, a search and a filter", async () => {
	await page.goto(`${base}/en/library/`);
	await done("");
	await page.locator("#q").fill("assessment");
	await done("assessment");
	const n = await page.locator("ul[data-results] > li.result").count();
	check("library: the search finds results (scripts and fetch allowed)", n > 0, `${n} results`);
	await page.locator('form.facets input[name="types"]').first().check();
	await page.waitForFunction(() => /types=/.test(location.search), null, { timeout: WAIT });
	await done("assessment");
	check("library: a filter ticked shows in the address", /types=/.test(page.url()), page.url());
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path: path.join(SHOTS, "csp-en-library.png") });
});
await visit("the header's search form (the search page)", async () => {
	await page.goto(`${base}/en/guidance/`);
	const box = page.locator("form.site-search input[type=search], form.site-search input[name=q]").first();
	await box.fill("child");
	await Promise.all([page.waitForURL(/\/en\/library\/\?q=child/, { timeout: WAIT }), box.press("Enter")]);
	await done("child");
	const n = await page.locator("ul[data-results] > li.result").count();
	check("search page: results for \"child\"", n > 0, `${n} results`);
});
await visit("/ar/ (right to left)", async () => {
	await page.goto(`${base}/ar/`);
	await brandOk("/ar/");
});
await visit("a 404 in Bulgarian", async () => {
	const r = await page.goto(`${base}/bg/no-such-page/`);
	check("/bg/no-such-page/ is a 404 in Bulgarian", r.status() === 404 && await page.locator("html").getAttribute("lang") === "bg",
		`${r.status()} ${await page.locator("html").getAttribute("lang")}`);
	await brandOk("the 404 page");
}, /^Failed to load resource: the server responded with a status of 404/);

// The content editor (docs/cms.md): Decap CMS under /admin/'s own policy, which allows its
// inline <style> elements and run-time compiled code but still no script from anywhere else.
// Loopback, so admin.js asks for the local backend at /api/v1, which nginx does not answer
// (satchel serve does): Decap then offers the configured backend's login.
const admin = (csp) => /script-src 'self' 'unsafe-eval';/.test(csp) && !/script-src[^;]*unsafe-inline/.test(csp) &&
	/style-src 'self' 'unsafe-inline';/.test(csp) && /connect-src 'self'/.test(csp);
await visit("/admin/ (Decap CMS, the configured backend's login)", async () => {
	await page.goto(`${base}/admin/`);
	const login = page.getByRole("button", { name: /^Login\b/ });
	await login.waitFor({ timeout: 20000 });
	check("/admin/: Decap shows its login button", await login.isVisible());
	const cfgErr = await page.getByText(/Error loading the CMS configuration|Config Errors/).count();
	check("/admin/: no configuration error", cfgErr === 0);
	const emotion = await page.evaluate(() => [...document.querySelectorAll("style")].reduce((n, s) => n + (s.sheet ? s.sheet.cssRules.length : 0), 0));
	check("/admin/: Decap's inserted styles are applied (style-src 'unsafe-inline')", emotion > 0, emotion);
	await page.screenshot({ path: path.join(SHOTS, "csp-admin.png") });
}, /^Failed to load resource: the server responded with a status of (404|405)/, admin);
// The editor itself, under the same policy: Decap's in-memory test backend with the site's
// generated configuration (test_nginx_browser.sh writes /admin/t/): log in, open the first
// collection (guidance), start a new page, type a title and text, and see it in the preview pane, which
// uses the theme's stylesheet.
await visit("/admin/ editor (a new page, the preview)", async () => {
	await page.goto(`${base}/admin/t/`);
	await page.getByRole("button", { name: /^Login\b/ }).click({ timeout: 20000 });
	await page.getByText("Guidance").first().waitFor({ timeout: 20000 });
	await page.goto(`${base}/admin/t/#/collections/guidance/new`);
	const title = page.locator("input[type=text]").first();
	await title.waitFor({ timeout: 20000 }).catch(async (e) => {
		await page.screenshot({ path: path.join(SHOTS, "csp-admin-editor-fail.png") });
		throw new Error(`${e}\n${page.url()}\n${(await page.locator("body").innerText()).slice(0, 600)}`);
	});
	await title.fill("Ein Titel for the preview");
	check("editor: the form of a new page, both languages side by side", await page.getByText(/Writing in BG/).count() > 0);
	// The side-by-side languages first; the eye button then shows the preview.
	await page.locator('button[title="Toggle i18n"]').click({ timeout: 5000 });
	await page.locator('button[title="Toggle preview"]').click({ timeout: 5000 });
	const frame = page.frameLocator("iframe").first();
	await frame.getByText("Ein Titel for the preview").first().waitFor({ timeout: 20000 });
	check("editor: the title shows in the preview pane", true);
	const styled = await page.evaluate(() => {
		const f = document.querySelector("iframe");
		return !!(f && f.contentDocument && [...f.contentDocument.querySelectorAll('link[rel="stylesheet"]')].some((l) => /satchel\.css/.test(l.href) && l.sheet));
	});
	check("editor: the preview pane uses the theme's stylesheet", styled);
	await page.screenshot({ path: path.join(SHOTS, "csp-admin-editor.png") });
}, /^Failed to load resource: the server responded with a status of 404/, admin);
await visit("/en/ after /admin/: the strict policy again", async () => {
	await page.goto(`${base}/en/`);
	await brandOk("/en/ after /admin/");
});

await browser.close();
finish("csp.mjs");
