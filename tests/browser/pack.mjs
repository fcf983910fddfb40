// pack.mjs: an offline pack (satchel pack), unzipped, opened from disk (file://) in headless
// Chromium as a reader without a network would: the language page, a language, a section, a
// resource, the next page of a course, the library's search (results, and a result opened) and
// a filter (the count changes), a video's captions. No request may leave file:// (data: aside)
// and no script or console error may happen.
//
// Usage: node tests/browser/pack.mjs UNZIPPED_PACK_DIR [LANG]
//
// Screenshots go to $SATCHEL_SHOTS (default /tmp/satchel-shots), named pack-WIDTH-STATE.png.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { check, finish, siteRoot } from "./checks.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SATCHEL_SHOTS || "/tmp/satchel-shots";
const WAIT = 8000;
const root = siteRoot("pack.mjs");
const lang = process.argv[3] || "en";
const url = (rel) => pathToFileURL(path.join(root, rel)).href;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
fs.mkdirSync(SHOTS, { recursive: true });

async function run(name, vp, f) {
	const ctx = await browser.newContext({ viewport: vp, locale: "en-GB", offline: true });
	ctx.setDefaultTimeout(WAIT);
	const page = await ctx.newPage();
	const outside = [], errors = [];
	page.on("request", (r) => { if (!r.url().startsWith("file://") && !r.url().startsWith("data:")) outside.push(r.url()); });
	// A file that is not there fails (ERR_FILE_NOT_FOUND); a load cut short by leaving the page
	// (ERR_ABORTED) is no fault of the pack.
	page.on("requestfailed", (r) => {
		const why = (r.failure() && r.failure().errorText) || "";
		if (!why.includes("ERR_ABORTED")) errors.push(`failed: ${r.url()} ${why}`);
	});
	page.on("pageerror", (e) => errors.push(String(e)));
	page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
	try {
		await f(page);
		check(`${name}: no request leaves file://`, outside.length === 0, outside.join("\n"));
		check(`${name}: no script or console error, no failed request`, errors.length === 0, errors.join("\n"));
	} catch (e) {
		check(name, false, String((e && e.stack) || e));
	} finally {
		await ctx.close();
	}
}

const here = (page) => decodeURI(page.url()).slice(decodeURI(pathToFileURL(root).href).length + 1);
const fileExists = (page) => fs.existsSync(path.join(root, here(page).replace(/[?#].*$/, "")));
const done = (page, q) => page.waitForFunction((q) => {
	const l = document.querySelector("[data-results]");
	return l && l.dataset.state === "done" && l.dataset.query === q;
}, q, { timeout: WAIT });
const count = async (page) => Number((await page.locator("[data-count]").textContent()).replace(/\D/g, ""));

const PHONE = { width: 390, height: 844 }, DESKTOP = { width: 1280, height: 900 };

await run("links", DESKTOP, async (page) => {
	await page.goto(url("index.html"));
	check("the language page opens from disk", (await page.title()).length > 0);
	await page.locator(`a[hreflang="${lang}"]:visible`).first().click();
	await page.waitForLoadState("load");
	check(`the language link leads to ${lang}/index.html`, here(page) === `${lang}/index.html`, here(page));
	// Another language of the pack, through the page's language links.
	const other = await page.$$eval("a[hreflang]", (as, lang) => as.filter((a) => a.hreflang !== lang && a.protocol === "file:").map((a) => a.href), lang);
	const others = fs.readdirSync(root).filter((d) => d !== lang && fs.existsSync(path.join(root, d, "index.html")));
	if (others.length) {
		check("the language links lead to the pack's other languages", other.length > 0, String(other.length));
		if (other.length) {
			await page.goto(other[0]);
			check(`another language opens from disk (${here(page)})`, fileExists(page) && here(page) !== `${lang}/index.html`);
			await page.goBack();
		}
	} else {
		check("a pack of one language links no other from disk", other.length === 0, other.join(" "));
	}
	// A section of the main navigation.
	const nav = page.locator("header nav a[href$='index.html'], nav a[href$='index.html']");
	const sections = await nav.evaluateAll((as) => as.map((a) => a.getAttribute("href")));
	check("every navigation link names an index.html, relatively", sections.length > 0 &&
		sections.every((h) => !h.startsWith("/") && !/^[a-z]+:/.test(h)), sections.join(" "));
	await page.goto(url(`${lang}/guidance/index.html`));
	const first = page.locator("main a[href$='/index.html']:not([href^='..'])").first();
	const target = await first.getAttribute("href");
	await first.click();
	await page.waitForLoadState("load");
	check(`a resource opens from the section (${target})`, here(page).startsWith(`${lang}/`) && fileExists(page) &&
		(await page.locator("h1").count()) > 0, here(page));
	await page.screenshot({ path: path.join(SHOTS, "pack-1280-resource.png") });
	// The next page of a course (its modules link to each other).
	await page.goto(url(`${lang}/training/index.html`));
	await page.locator("main a[href$='/index.html']:not([href^='..'])").first().click();
	await page.waitForLoadState("load");
	await page.locator("a.button[href$='/index.html']").first().click(); // "Start the course"
	await page.waitForLoadState("load");
	const next = page.locator("a[rel=next]").first();
	if (await next.count()) {
		const before = here(page);
		await next.click();
		await page.waitForLoadState("load");
		check("the next page of a course opens", here(page) !== before && fileExists(page), here(page));
	} else {
		check("a course page has a next link", false, here(page));
	}
});

await run("video", DESKTOP, async (page) => {
	// The first page of the language with a video.
	const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((e) =>
		e.isDirectory() ? walk(path.join(d, e.name)) : e.name === "index.html" ? [path.join(d, e.name)] : []);
	const film = walk(path.join(root, lang)).find((f) => fs.readFileSync(f, "utf8").includes("<video"));
	check("a page of the pack has a video", !!film);
	await page.goto(pathToFileURL(film).href);
	const cues = await page.waitForFunction(() => {
		const v = document.querySelector("video");
		const t = v && [...v.textTracks].find((t) => t.mode !== "disabled" || true);
		if (!t) return null;
		t.mode = "hidden";
		return t.cues && t.cues.length ? t.cues.length : null;
	}, null, { timeout: WAIT }).then((h) => h.jsonValue()).catch(() => 0);
	check("the video's captions load from the pack", cues > 0, String(cues));
});

for (const vp of [PHONE, DESKTOP]) {
	await run(`library ${vp.width}`, vp, async (page) => {
		await page.goto(url(`${lang}/library/index.html`));
		await done(page, "");
		const all = await count(page);
		check(`${vp.width}: the library lists its resources from disk (${all})`, all > 0);
		await page.locator("#q").fill("child");
		await done(page, "child");
		const found = await count(page);
		check(`${vp.width}: searching "child" finds results (${found})`, found > 0);
		await page.screenshot({ path: path.join(SHOTS, `pack-${vp.width}-search.png`) });
		const href = await page.locator("ul[data-results] > li.result > a.result-link").first().getAttribute("href");
		check(`${vp.width}: a result links a file of the pack`, /^file:.*index\.html(#.*)?$/.test(href), href);
		await page.locator("#q").fill("");
		await done(page, "");
		if (vp === PHONE) await page.locator("[data-toggle]").click();
		const box = page.locator("form.facets input[type=checkbox]:not(:checked)").first();
		const label = await box.evaluate((b) => b.closest("label").querySelector(".count").textContent);
		await box.check();
		await page.waitForFunction((n) => {
			const l = document.querySelector("[data-results]");
			return l.dataset.state === "done" && Number(document.querySelector("[data-count]").textContent.replace(/\D/g, "")) !== n;
		}, all, { timeout: WAIT }).catch(() => {});
		const after = await count(page);
		check(`${vp.width}: ticking a filter changes the count (${all} -> ${after}, its label said ${label})`,
			after !== all && after === Number(label.replace(/\D/g, "")));
		await page.screenshot({ path: path.join(SHOTS, `pack-${vp.width}-filter.png`) });
		if (vp === PHONE) await page.keyboard.press("Escape");
		await page.locator("ul[data-results] > li.result > a.result-link").first().click();
		await page.waitForLoadState("load");
		check(`${vp.width}: a result opens from disk`, fileExists(page) && (await page.locator("h1").count()) > 0, here(page));
	});
}

// The Use offline page (offline: true), inside the pack: it says it is the offline copy.
if (fs.existsSync(path.join(root, lang, "offline", "index.html"))) {
	for (const vp of [PHONE, DESKTOP]) {
		await run(`offline page ${vp.width}`, vp, async (page) => {
			await page.goto(url(`${lang}/index.html`));
			await page.locator("footer .footer-offline a").click();
			await page.waitForLoadState("load");
			check(`${vp.width}: the footer leads to the Use offline page in the pack`, here(page) === `${lang}/offline/index.html`, here(page));
			check(`${vp.width}: inside the pack it says it is the offline copy`, await page.locator("[data-pack=offline]").isVisible());
			check(`${vp.width}: and lists no packs`, !(await page.locator("[data-pack=online]").isVisible()));
			const online = await page.locator("[data-pack=offline] a").getAttribute("href");
			check(`${vp.width}: it links the page online`, /^https?:\/\//.test(online), online);
			await page.screenshot({ path: path.join(SHOTS, `pack-${vp.width}-offline-copy.png`), fullPage: true });
		});
	}
}

// The Use offline page online (PUBLIC_DIR as the 4th argument): every pack with its size.
if (process.argv[4]) {
	const { serve } = await import("./static-server.mjs");
	const server = await serve(path.resolve(process.argv[4]));
	const base = `http://127.0.0.1:${server.address().port}`;
	for (const vp of [PHONE, DESKTOP]) {
		const ctx = await browser.newContext({ viewport: vp, locale: "en-GB" });
		const page = await ctx.newPage();
		const errors = [];
		page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
		await page.goto(`${base}/${lang}/offline/`);
		const sizes = await page.locator("[data-pack-size]").allTextContents();
		check(`online ${vp.width}: every pack shows its size (${sizes.join(", ")})`, sizes.length > 0 && sizes.every((s) => /^\d+(\.\d)? [KM]B$/.test(s)));
		const hrefs = await page.locator("[data-pack=online] a[download]").evaluateAll((as) => as.map((a) => a.href));
		const got = await Promise.all(hrefs.map((h) => page.request.head(h).then((r) => r.status())));
		check(`online ${vp.width}: every pack link answers 200`, got.length > 0 && got.every((s) => s === 200), got.join(" "));
		check(`online ${vp.width}: no console error`, errors.length === 0, errors.join("\n"));
		await page.screenshot({ path: path.join(SHOTS, `pack-${vp.width}-use-offline.png`), fullPage: true });
		await ctx.close();
	}
	server.close();
}

await browser.close();
finish("pack.mjs");
