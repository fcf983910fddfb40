// subpath.mjs: a site built with base_url https://org.example.io/hub/, served under /hub/ as a
// GitHub or GitLab Pages project site is (static-server.mjs with prefix "/hub/": every other
// path is a bare 404), clicked through in headless Chromium as a visitor does: the root sends
// a Bulgarian browser to /hub/bg/, the language switcher to English, a section, a resource, the
// header's search to the library with the words, a filter, a result; the 404 page. Every
// request must stay under /hub/ and answer (no 404 but the one asked for), and no script fail.
//
// Usage: node tests/browser/subpath.mjs PUBLIC_DIR
// Screenshots (390x844 and 1280x900 of the library's results) go to $SATCHEL_SHOTS (default
// /tmp/satchel-shots). Prints "ok"/"FAIL" lines and "subpath.mjs: N passed, N failed".

import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { check, finish, siteRoot } from "./checks.mjs";
import { serve } from "./static-server.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SATCHEL_SHOTS || "/tmp/satchel-shots";
const WAIT = 8000;
const PREFIX = "/hub/";

const root = siteRoot("subpath.mjs");
const server = await serve(root, { prefix: PREFIX });
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });

// A tab that records every request and response, what leaves the origin (refused), and errors.
async function tab(vp) {
	const ctx = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, isMobile: vp.mobile, hasTouch: vp.mobile, locale: "bg-BG" });
	const page = await ctx.newPage();
	const t = { ctx, page, paths: [], failed: [], leaving: [], errors: [] };
	page.on("request", (r) => {
		const u = new URL(r.url());
		if (u.protocol === "data:") return;
		if (u.origin !== origin) t.leaving.push(r.url());
		else t.paths.push(u.pathname + u.search);
	});
	page.on("response", (r) => { if (r.status() >= 400) t.failed.push(`${r.status()} ${r.url()}`); });
	await ctx.route((u) => u.origin !== origin, (route) => route.abort("blockedbyclient"));
	page.on("pageerror", (e) => t.errors.push(String(e)));
	page.on("console", (m) => { if (m.type() === "error" && !/404/.test(m.text())) t.errors.push(m.text()); });
	return t;
}
const here = (page) => new URL(page.url()).pathname + new URL(page.url()).search;
const styled = (page) => page.evaluate(() => [...document.styleSheets].some((s) => s.href && s.href.endsWith("/hub/css/satchel.css") && s.cssRules.length > 10));
const done = (page) => page.waitForFunction(() => {
	const l = document.querySelector("[data-results]");
	return l && l.dataset.state === "done";
}, null, { timeout: WAIT });
const resultHrefs = (page) => page.$$eval("ul[data-results] > li a.result-link", (as) => as.map((a) => a.getAttribute("href")));

async function walk(vp) {
	const t = await tab(vp);
	const { page } = t;
	const n = vp.name;
	try {
		// The root: the chooser's script sends a Bulgarian browser to its language under /hub/.
		await page.goto(`${origin}${PREFIX}`);
		await page.waitForURL((u) => u.pathname !== PREFIX, { timeout: WAIT });
		check(`${n}: the root sends a Bulgarian browser to /hub/bg/`, here(page) === "/hub/bg/", here(page));
		check(`${n}: /hub/bg/ has its stylesheet`, await styled(page));

		// The language switcher: English.
		await page.locator("details.lang-switch > summary").click();
		await Promise.all([page.waitForURL(/\/hub\/en\/$/, { timeout: WAIT }), page.locator('details.lang-switch a[hreflang="en"]').click()]);
		check(`${n}: the language switcher leads to /hub/en/`, here(page) === "/hub/en/", here(page));

		// A section, from the navigation (the menu on a phone).
		if (vp.mobile) await page.locator("details[data-menu] > summary").click();
		const nav = vp.mobile ? "details[data-menu]" : "nav.site-nav";
		await Promise.all([page.waitForURL(/\/hub\/en\/guidance\/$/, { timeout: WAIT }), page.locator(`${nav} a[href="/hub/en/guidance/"]`).first().click()]);
		check(`${n}: the navigation leads to the section /hub/en/guidance/`, here(page) === "/hub/en/guidance/", here(page));

		// A resource of the section's list.
		const card = page.locator('main a[href^="/hub/en/guidance/"]:not([href="/hub/en/guidance/"])').first();
		const target = await card.getAttribute("href");
		await Promise.all([page.waitForURL((u) => u.pathname === target, { timeout: WAIT }), card.click()]);
		check(`${n}: a resource opens at ${target}`, here(page) === target && await styled(page), here(page));
		const inPage = await page.$$eval("main a[href^='/']", (as) => as.map((a) => a.getAttribute("href")).filter((h) => !h.startsWith("/hub/")));
		check(`${n}: the resource's links from / are all under /hub/`, inPage.length === 0, inPage.join(" "));

		// The header's search: words to the library under /hub/.
		if (vp.mobile && !(await page.locator("#site-q").isVisible())) await page.locator("details[data-menu] > summary").click();
		await page.locator("#site-q").fill("assessment");
		await Promise.all([page.waitForURL(/\/hub\/en\/library\/\?q=assessment/, { timeout: WAIT }), page.locator("#site-q").press("Enter")]);
		await done(page);
		const rs = await resultHrefs(page);
		check(`${n}: the header's search opens /hub/en/library/?q=assessment with results`, here(page) === "/hub/en/library/?q=assessment" && rs.length > 0, `${here(page)} ${rs.length}`);
		check(`${n}: every result links under /hub/`, rs.every((h) => h.startsWith("/hub/")), rs.join(" "));
		check(`${n}: the index was fetched under /hub/en/search/`, t.paths.some((p) => p.startsWith("/hub/en/search/index.json")) && t.paths.some((p) => p.startsWith("/hub/en/facets.json")));

		// A filter: the first type.
		if (!(await page.locator("#filters-panel").evaluate((d) => d.open))) await page.locator("[data-toggle]").click();
		await page.waitForFunction(() => document.getElementById("filters-panel").open, null, { timeout: WAIT });
		const box = page.locator('form.facets input[name="types"]').first();
		const type = await box.getAttribute("value");
		await box.check();
		await page.waitForURL((u) => u.searchParams.get("types") === type, { timeout: WAIT });
		await done(page);
		if (vp.mobile) await page.locator(".facets-foot [data-close]").click();
		const fs2 = await resultHrefs(page);
		check(`${n}: a filter (${type}) keeps the address under /hub/ and results there`, new URL(page.url()).pathname === "/hub/en/library/" && fs2.length > 0 && fs2.every((h) => h.startsWith("/hub/")), `${here(page)} ${fs2.join(" ")}`);
		fs.mkdirSync(SHOTS, { recursive: true });
		await page.evaluate(() => window.scrollTo(0, 0));
		await page.screenshot({ path: path.join(SHOTS, `subpath-library-${n}.png`) });
		const pics = await page.$$eval("ul[data-results] img", (is) => is.map((i) => i.getAttribute("src")).filter((s) => s && !s.startsWith("/hub/")));
		check(`${n}: the results' pictures come from /hub/`, pics.length === 0, pics.join(" "));

		// A result.
		const first = page.locator("ul[data-results] > li a.result-link").first();
		const href = await first.getAttribute("href");
		await Promise.all([page.waitForURL((u) => u.pathname + u.hash === href || u.pathname === href.split("#")[0], { timeout: WAIT }), first.click()]);
		check(`${n}: a result opens ${href}`, here(page).startsWith(href.split("#")[0]) && await styled(page), here(page));

		// Nothing went wrong on the way.
		check(`${n}: no request answered with an error`, t.failed.length === 0, t.failed.join("\n"));
		check(`${n}: no request left /hub/`, t.paths.every((p) => p.startsWith("/hub/")), t.paths.filter((p) => !p.startsWith("/hub/")).join("\n"));
		check(`${n}: nothing left 127.0.0.1`, t.leaving.length === 0, t.leaving.join("\n"));
		check(`${n}: no script error`, t.errors.length === 0, t.errors.join("\n"));

		// The 404 page: its status, and its own stylesheet and links under /hub/.
		t.failed.length = 0;
		const r404 = await page.goto(`${origin}/hub/en/no-such-page/`);
		const links = await page.$$eval("a[href^='/']", (as) => as.map((a) => a.getAttribute("href")).filter((h) => !h.startsWith("/hub/")));
		check(`${n}: a missing page answers 404 with the site's page, styled, its links under /hub/`,
			r404.status() === 404 && await styled(page) && links.length === 0 && t.failed.length === 1, `${r404.status()} ${links.join(" ")} ${t.failed.join(" ")}`);
	} catch (e) {
		check(`${n}: the walk ran to its end`, false, String(e && e.stack || e));
	}
	await t.ctx.close();
}

await walk({ width: 1280, height: 900, mobile: false, name: "1280" });
await walk({ width: 390, height: 844, mobile: true, name: "390" });
check("the server saw no request outside /hub/", server.outside.length === 0, server.outside.join("\n"));
await browser.close();
server.close();
finish("subpath.mjs");
