// a11y.mjs: accessibility and interaction checks of a built satchel site in headless Chromium.
//
// Usage: node tests/browser/a11y.mjs PUBLIC_DIR
//
// Serves PUBLIC_DIR on 127.0.0.1 and, for each kind of page (root chooser, home, section,
// regular page, taxonomy, term, 404) in the first left-to-right and the first right-to-left
// language of the site, at phone and desktop sizes, and for every other regular page of those
// languages at desktop size: runs axe-core (WCAG 2.1 A/AA and best practice; any violation
// fails), checks that nothing is fetched from another host, that no script error is thrown and
// that the page does not scroll sideways. Colour contrast is checked again in dark mode. It also
// clicks the language switcher and checks it lands on the same resource in the other language,
// and walks the skip link with the keyboard. Screenshots go to $SATCHEL_SHOTS (default
// /tmp/satchel-shots). Prints one "ok ..." or "FAIL ..." line per check and ends with
// "a11y.mjs: N passed, N failed" (the form tests/run.sh reads); exits 1 if anything failed.
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM): playwright-core downloads nothing.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SATCHEL_SHOTS || "/tmp/satchel-shots";
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const VIEWPORTS = [
	{ name: "phone", width: 320, height: 640, mobile: true }, // the narrowest phones in use
	{ name: "desktop", width: 1280, height: 900, mobile: false },
];
// A browser language the site does not have, so the root chooser stays put instead of sending
// the browser to its language's home page (satchel.js does that).
const LOCALE = "de-DE";

// Check results are buffered per task, so that tasks run side by side still print in order.
class Log {
	constructor() {
		this.lines = [];
		this.passed = 0;
		this.failed = 0;
	}
	ok(name) {
		this.passed++;
		this.lines.push(`ok ${name}`);
	}
	fail(name, detail) {
		this.failed++;
		this.lines.push(`FAIL ${name}${detail ? `\n${detail.replace(/^/gm, "    ")}` : ""}`);
	}
	check(name, good, detail) {
		if (good)
			this.ok(name);
		else
			this.fail(name, detail);
	}
	flush(into) {
		for (const l of this.lines)
			console.log(l);
		this.lines = [];
		if (into) {
			into.passed += this.passed;
			into.failed += this.failed;
		}
	}
}

function read(root, url) {
	const p = path.join(root, decodeURIComponent(url), url.endsWith("/") ? "index.html" : "");
	try {
		return fs.readFileSync(p, "utf8");
	} catch {
		return null;
	}
}

// The first link inside the first element that opens with `open` (e.g. '<nav class="site-nav"')
// and closes with `close`.
function firstLink(html, open, close) {
	const i = html ? html.indexOf(open) : -1;
	if (i < 0)
		return null;
	const j = html.indexOf(close, i);
	const m = /href="(\/[^"]*)"/.exec(html.slice(i, j < 0 ? undefined : j));
	return m ? m[1] : null;
}

function htmlFiles(dir, out = []) {
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory())
			htmlFiles(p, out);
		else if (e.name.endsWith(".html"))
			out.push(p);
	}
	return out;
}

// The regular pages (og:type article) of a language as URLs, largest first: the largest
// exercises the most markup (tables, contents, downloads).
function articles(root, code) {
	const dir = path.join(root, code);
	if (!fs.existsSync(dir))
		return [];
	return htmlFiles(dir)
		.map((f) => ({ f, html: fs.readFileSync(f, "utf8") }))
		.filter((x) => x.html.includes('<meta property="og:type" content="article">'))
		.sort((a, b) => b.html.length - a.html.length || a.f.localeCompare(b.f))
		.map((x) => ({
			url: "/" + path.relative(root, path.dirname(x.f)).split(path.sep).join("/") + "/",
			html: x.html,
		}));
}

// The pages to test in one language: [{kind, url}], found by following the theme's own links.
function pagesOf(root, code) {
	const out = [];
	const home = `/${code}/`;
	const homeHtml = read(root, home);
	if (!homeHtml)
		return out;
	out.push({ kind: "home", url: home });
	// Every section: the first at every size, the others (events, partners…, each with its own
	// layout) at desktop size.
	const nav = homeHtml.slice(homeHtml.indexOf('<nav class="site-nav"'));
	const sections = [...nav.slice(0, nav.indexOf("</nav>")).matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]);
	sections.forEach((url, i) => out.push({ kind: "section", url, desktopOnly: i > 0 }));
	// Every regular page: the largest of each content type (page-TYPE on its <article>) at every
	// size, the others at desktop size only, where their content (tables, task lists,
	// footnotes, downloads) is what differs.
	const seen = new Set();
	articles(root, code).forEach((a) => {
		const m = /<article class="page(?: page-([\w-]+))?"/.exec(a.html);
		const type = m && m[1] ? m[1] : "page";
		out.push({ kind: "page", type, url: a.url, desktopOnly: seen.has(type) });
		seen.add(type);
	});
	if (read(root, `/${code}/library/`))
		out.push({ kind: "library", url: `/${code}/library/` });
	if (read(root, `/${code}/changes/`))
		out.push({ kind: "changes", url: `/${code}/changes/` });
	if (read(root, `/${code}/editors/translations/`))
		out.push({ kind: "editors", url: `/${code}/editors/translations/` });
	const taxonomy = firstLink(homeHtml, '<nav class="footer-nav"', "</nav>");
	if (taxonomy) {
		out.push({ kind: "taxonomy", url: taxonomy });
		const term = firstLink(read(root, taxonomy), '<ul class="term-list"', "</ul>");
		if (term)
			out.push({ kind: "term", url: term });
	}
	if (read(root, `/${code}/404/`))
		out.push({ kind: "404", url: `/${code}/404/` });
	return out;
}

function langDir(root, code) {
	const m = /<html[^>]*\bdir="(\w+)"/.exec(read(root, `/${code}/`) || "");
	return m ? m[1] : null;
}

async function runAxe(page, options) {
	return page.evaluate(async (opts) => {
		const r = await window.axe.run(document, opts);
		return r.violations.map((v) => ({
			id: v.id,
			impact: v.impact,
			help: v.help,
			targets: v.nodes.map((n) => n.target.join(" ") +
			    (n.failureSummary ?
			    ` (${n.failureSummary.split("\n").slice(1).map((l) => l.trim()).join("; ")})` : "")),
		}));
	}, options);
}

function describe(violations) {
	return violations.map((v) => `${v.id} [${v.impact}] ${v.help}\n` +
	    v.targets.slice(0, 8).map((t) => `  at ${t}`).join("\n") +
	    (v.targets.length > 8 ? `\n  … and ${v.targets.length - 8} more` : "")).join("\n");
}

// A fresh browser context (no cookies or storage) with one page that has axe-core loaded in
// every document it opens: an init script is compiled once and reused, where injecting axe into
// each page costs about half a second. tab.go(url) loads url and starts recording what leaves
// 127.0.0.1 and what fails.
async function newTab(browser, base, vp) {
	const ctx = await browser.newContext({
		viewport: { width: vp.width, height: vp.height },
		isMobile: vp.mobile, hasTouch: vp.mobile, locale: LOCALE, colorScheme: "light",
	});
	await ctx.addInitScript({ path: AXE });
	const page = await ctx.newPage();
	const tab = { ctx, page, outside: [], errors: [] };
	// A request for another host is recorded, then refused, so no test waits on the network.
	page.on("request", (r) => {
		const u = new URL(r.url());
		if (u.protocol !== "data:" && u.protocol !== "blob:" && u.protocol !== "about:" &&
		    u.origin !== base)
			tab.outside.push(r.url());
	});
	await ctx.route((u) => u.origin !== base, (route) => route.abort("blockedbyclient"));
	page.on("pageerror", (e) => tab.errors.push(String(e)));
	// Console errors, except Chromium's "Failed to load resource" for a 404 page itself: a
	// failed subresource is caught by the response handler, with its URL.
	page.on("console", (m) => {
		if (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
			tab.errors.push(m.text());
	});
	page.on("response", (r) => {
		if (r.status() >= 400 && r.request().resourceType() !== "document")
			tab.errors.push(`HTTP ${r.status()} for ${r.url()}`);
	});
	tab.go = async (url) => {
		tab.outside = [];
		tab.errors = [];
		const resp = await page.goto(base + url, { waitUntil: "load" });
		return resp ? resp.status() : 0;
	};
	return tab;
}

function shotName(vp, code, kind) {
	return path.join(SHOTS, `${vp.name}-${code}-${kind}.png`);
}

// Every check of one page at one size, in tab.
async function checkPage(log, tab, vp, { code, kind, type, url, status: want, desktopOnly }) {
	const label = `${vp.name} ${code} ${kind} ${url}`;
	// Pages checked at one size only are told apart by the last part of their path, the others
	// by their content type.
	const shot = desktopOnly ? `${kind}-${url.split("/").filter(Boolean).pop()}` :
	    type ? `${kind}-${type}` : kind;
	const page = tab.page;
	try {
		await page.emulateMedia({ colorScheme: "light" });
		const status = await tab.go(url);
		const at = new URL(page.url()).pathname;
		log.check(`${label}: loads (HTTP ${want})`, status === want && at === url,
		    `got HTTP ${status} at ${at}`);
		const v = await runAxe(page, { runOnly: { type: "tag", values: AXE_TAGS } });
		log.check(`${label}: axe finds no violation`, v.length === 0, describe(v));
		const wide = await page.evaluate(() =>
		    document.documentElement.scrollWidth - document.documentElement.clientWidth);
		log.check(`${label}: does not scroll sideways`, wide <= 0,
		    `${wide}px wider than the viewport`);
		await page.screenshot({ path: shotName(vp, code, shot), fullPage: true });
		// Dark mode has its own palette: its contrast is checked too, once (at desktop size).
		if (!vp.mobile) {
			await page.emulateMedia({ colorScheme: "dark" });
			const d = await runAxe(page, { runOnly: { type: "rule", values: ["color-contrast"] } });
			log.check(`${label}: dark mode contrast`, d.length === 0, describe(d));
			if (!desktopOnly)
				await page.screenshot({ path: shotName(vp, code, shot + "-dark") });
		}
		log.check(`${label}: no request leaves 127.0.0.1`, tab.outside.length === 0,
		    tab.outside.join("\n"));
		log.check(`${label}: no script or loading error`, tab.errors.length === 0,
		    tab.errors.join("\n"));
	} catch (e) {
		log.fail(`${label}: loads and can be checked`, String(e && e.stack || e));
	}
}

// Every page of the plan at one size, one after the other in one tab.
async function checkPages(log, browser, base, vp, plan) {
	const tab = await newTab(browser, base, vp);
	try {
		for (const p of plan) {
			if (!p.desktopOnly || !vp.mobile)
				await checkPage(log, tab, vp, p);
		}
	} finally {
		await tab.ctx.close();
	}
}

// The link to `to` in the language switcher of the page open in tab: clicks it and checks the
// browser lands on the page's version in that language, the one the page's hreflang alternate
// names, with that language's <html lang> and dir, whose own alternate leads back; and that the
// choice is remembered. Returns the path landed on, or null.
async function switchTo(log, tab, label, from, to, dir) {
	const page = tab.page;
	const url = new URL(page.url()).pathname;
	const alt = (code) => page.evaluate((c) => {
		const l = document.querySelector(`link[rel="alternate"][hreflang="${c}"]`);
		return l ? new URL(l.href).pathname : null;
	}, code);
	const want = await alt(to);
	if (!want) {
		log.fail(label, `${url} has no alternate in ${to}`);
		return null;
	}
	// The switcher is a disclosure: open it, then choose.
	const link = page.locator(`.lang-switch a[hreflang="${to}"]`);
	if (!(await link.isVisible()))
		await page.locator(".lang-switch summary").click();
	await Promise.all([
		page.waitForURL((u) => u.pathname !== url, { waitUntil: "load" }),
		link.click(),
	]);
	const got = new URL(page.url()).pathname;
	const html = await page.evaluate(() => ({
		lang: document.documentElement.lang, dir: document.documentElement.dir,
	}));
	const back = await alt(from);
	const stored = await page.evaluate(() => {
		try { return localStorage.getItem("satchel.lang"); } catch { return null; }
	});
	log.check(label, got === want && html.lang === to && html.dir === dir && back === url &&
	    stored === to,
	    `landed on ${got} (want ${want}), lang="${html.lang}" dir="${html.dir}" ` +
	    `(want ${to}, ${dir}), its ${from} alternate is ${back} (want ${url}), ` +
	    `remembered language ${stored} (want ${to})`);
	return got === want ? got : null;
}

// The language switcher on url, from `from` to `to` and back; in between, the root page sends
// the browser (whose own language the site lacks) to the language just chosen.
async function checkSwitch(log, browser, base, vp, url, from, to, dirs) {
	const label = `${vp.name} language switcher`;
	const tab = await newTab(browser, base, vp);
	try {
		await tab.go(url);
		const there = await switchTo(log, tab, `${label} ${url} ${from} -> ${to}`, from, to,
		    dirs[to]);
		if (!there)
			return;
		await tab.go("/");
		await tab.page.waitForURL((u) => u.pathname !== "/", { timeout: 5000 }).catch(() => {});
		const home = new URL(tab.page.url()).pathname;
		log.check(`${label}: / then sends to the chosen language`, home === `/${to}/`,
		    `/ stayed at ${home}`);
		await tab.go(there);
		await switchTo(log, tab, `${label} ${there} ${to} -> ${from}`, to, from, dirs[from]);
	} catch (e) {
		log.fail(label, String(e && e.stack || e));
	} finally {
		await tab.ctx.close();
	}
}

// Keyboard: the first Tab reaches the skip link, shown on screen; Enter on it moves focus to
// <main>.
async function checkSkipLink(log, browser, base, vp, url) {
	const label = `${vp.name} keyboard skip link ${url}`;
	const tab = await newTab(browser, base, vp);
	try {
		const page = tab.page;
		await tab.go(url);
		await page.keyboard.press("Tab");
		const first = await page.evaluate(() => {
			const a = document.activeElement;
			const r = a.getBoundingClientRect();
			return {
				cls: a.className,
				visible: r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 &&
				    r.right <= innerWidth && r.width > 0,
			};
		});
		await page.keyboard.press("Enter");
		await page.waitForFunction(() => location.hash === "#main", null, { timeout: 5000 });
		const inMain = await page.evaluate(() =>
		    document.activeElement === document.querySelector("main"));
		log.check(label, first.cls === "skip-link" && first.visible && inMain,
		    `first Tab reached .${first.cls} (on screen: ${first.visible}); focus on main: ${inMain}`);
	} catch (e) {
		log.fail(label, String(e && e.stack || e));
	} finally {
		await tab.ctx.close();
	}
}

// The library: ticking facets narrows the list at once, facets of two taxonomies combine (AND),
// two terms of one taxonomy widen it (OR), and "clear" brings everything back. The expected
// counts come from facets.json, so the check follows the content.
async function checkFacets(log, browser, base, root, vp, code) {
	const label = `${vp.name} ${code} library facets`;
	const tab = await newTab(browser, base, vp);
	try {
		const page = tab.page;
		const data = JSON.parse(fs.readFileSync(path.join(root, code, "facets.json"), "utf8"));
		const count = (pred) => data.items.filter(pred).length;
		const has = (it, tax, term) => (it.f[tax] || []).includes(term);
		await tab.go(`/${code}/library/`);
		const shown = () => page.locator("[data-results] > li").count();
		// The filters are a drawer on a phone: opened by their button.
		await page.waitForSelector("[data-results][data-state=done]", { state: "attached", timeout: 5000 });
		if (!(await page.locator("#filters-panel").evaluate((d) => d.open)))
			await page.locator("[data-toggle]").click();
		await page.waitForSelector("form.facets:not([hidden])", { timeout: 5000 });
		log.check(`${label}: every resource listed before a choice`, await shown() === data.items.length,
		    `${await shown()} listed, ${data.items.length} in facets.json`);
		// The type with the most resources, then the language term it shares most.
		const types = data.taxonomies.find((t) => t.name === "types");
		const langs = data.taxonomies.find((t) => t.name === "languages");
		if (!types || types.terms.length < 2 || !langs) {
			log.fail(`${label}: the library has types and languages to combine`);
			return;
		}
		const [a, b] = types.terms;
		await page.locator(`input[name="types"][value="${a.name}"]`).check();
		const wantA = count((it) => has(it, "types", a.name));
		log.check(`${label}: ${a.name} narrows the list`, await shown() === wantA && wantA < data.items.length,
		    `${await shown()} listed, want ${wantA}`);
		const status = await page.locator("[data-count]").textContent();
		log.check(`${label}: the count is announced`, status.trim() !== "" , `status "${status}"`);
		await page.locator(`input[name="types"][value="${b.name}"]`).check();
		const wantAB = count((it) => has(it, "types", a.name) || has(it, "types", b.name));
		log.check(`${label}: a second type widens it (OR)`, await shown() === wantAB, `${await shown()}, want ${wantAB}`);
		const l = langs.terms.find((t) => t.name !== code) || langs.terms[0];
		await page.locator(`input[name="languages"][value="${l.name}"]`).check();
		const wantABL = count((it) => (has(it, "types", a.name) || has(it, "types", b.name)) && has(it, "languages", l.name));
		log.check(`${label}: a language narrows it again (AND)`, await shown() === wantABL,
		    `${await shown()}, want ${wantABL}`);
		await page.screenshot({ path: path.join(SHOTS, `${vp.name}-${code}-library-facets.png`), fullPage: true });
		await page.locator('form.facets button[type="reset"]').click();
		await page.waitForTimeout(100);
		log.check(`${label}: clearing lists everything again`, await shown() === data.items.length,
		    `${await shown()} listed`);
	} catch (e) {
		log.fail(label, String(e && e.stack || e));
	} finally {
		await tab.ctx.close();
	}
}

// The library's search box: a query typed the way people type (another word form, no accents)
// finds the resource whose URL holds `want`, ranked first, and combines with a facet. The same
// query reaches the library from the search field in the home page's header.
async function checkSearch(log, browser, base, vp, code, query, want) {
	const label = `${vp.name} ${code} search "${query}"`;
	const tab = await newTab(browser, base, vp);
	try {
		const page = tab.page;
		await tab.go(`/${code}/`);
		await page.locator("#site-q").fill(query);
		await Promise.all([page.waitForURL((u) => u.pathname === `/${code}/library/`), page.locator(".site-search button").click()]);
		await page.waitForSelector("form.facets:not([hidden])", { timeout: 5000 });
		await page.waitForFunction((w) => {
			const a = document.querySelector("[data-results] > li > a");
			return a && a.getAttribute("href").includes(w);
		}, want, { timeout: 5000 }).catch(() => {});
		const res = await page.evaluate(() => [...document.querySelectorAll("[data-results] > li > a")].map((a) => a.getAttribute("href")));
		// Some of the documents the search covers (every page with text), not all.
		const all = await page.evaluate(async (u) => (await (await fetch(u)).json()).docs, `/${code}/search/index.json`);
		const count = Number((await page.locator("[data-count]").textContent()).replace(/\D/g, ""));
		log.check(`${label}: finds ${want} first`, res.length > 0 && res[0].includes(want) && count < all,
		    `${count} of ${all}: ${res.slice(0, 4).join(" ")}`);
		log.check(`${label}: the query is in the address`, new URL(page.url()).searchParams.get("q") === query, page.url());
		await page.screenshot({ path: path.join(SHOTS, `${vp.name}-${code}-search.png`), fullPage: true });
		// A resource type facet on top: only that type stays.
		const type = await page.evaluate(() => {
			const box = document.querySelector('input[name="types"]');
			return box ? box.value : null;
		});
		if (type) {
			await page.locator(`input[name="types"][value="${type}"]`).check();
			const data = await page.evaluate(async (u) => (await (await fetch(u)).json()).items, `/${code}/facets.json`);
			const after = await page.evaluate(() => [...document.querySelectorAll("[data-results] > li > a")].map((a) => a.getAttribute("href")));
			const ok = after.every((u) => { const it = data.find((x) => x.u === u); return it && it.f.types.includes(type); });
			log.check(`${label}: and the ${type} facet narrows it`, ok && after.length <= res.length, after.join(" "));
		}
	} catch (e) {
		log.fail(label, String(e && e.stack || e));
	} finally {
		await tab.ctx.close();
	}
}

// A course from its overview to its end: "start" opens module 1, "next" walks the modules with
// the progress bar following, the last module leads back to the overview, which then marks
// every module as opened.
async function checkCourse(log, browser, base, vp, url) {
	const label = `${vp.name} course ${url}`;
	const tab = await newTab(browser, base, vp);
	try {
		const page = tab.page;
		await tab.go(url);
		const n = await page.locator(".module-list > li").count();
		log.check(`${label}: lists its modules`, n >= 3, `${n} modules`);
		await Promise.all([page.waitForURL((u) => u.pathname !== url), page.locator(".modules a.button").click()]);
		for (let i = 1; i <= n; i++) {
			const pos = await page.evaluate(() => {
				const p = document.querySelector("progress");
				const cur = document.querySelector('.module-list a[aria-current="step"]');
				return p ? { value: p.value, max: p.max, cur: cur && cur.textContent } : null;
			});
			const h1 = await page.locator("h1").textContent();
			log.check(`${label}: module ${i} of ${n} shows its progress`,
			    pos && pos.value === i && pos.max === n && pos.cur === h1,
			    JSON.stringify(pos) + ` h1 "${h1}"`);
			if (i === 1)
				await page.screenshot({ path: path.join(SHOTS, `${vp.name}-course-module.png`), fullPage: true });
			const next = page.locator(".pager-next a");
			const at = new URL(page.url()).pathname;
			await Promise.all([page.waitForURL((u) => u.pathname !== at), next.click()]);
		}
		log.check(`${label}: the last module leads back to the overview`, new URL(page.url()).pathname === url,
		    `at ${page.url()}`);
		const visited = await page.locator(".module-list > li.visited").count();
		log.check(`${label}: the overview marks the modules opened`, visited === n, `${visited} of ${n} marked`);
	} catch (e) {
		log.fail(label, String(e && e.stack || e));
	} finally {
		await tab.ctx.close();
	}
}

// Material made by children: a <video> that waits to be played, served from this site, with a
// poster and a caption track per language, the page's own language the default; and the
// captions load.
async function checkVideo(log, base, browser, vp, url, code) {
	const label = `${vp.name} video ${url}`;
	const tab = await newTab(browser, base, vp);
	try {
		const page = tab.page;
		await tab.go(url);
		const v = await page.evaluate(() => {
			const el = document.querySelector("video");
			if (!el)
				return null;
			return {
				autoplay: el.autoplay, poster: el.getAttribute("poster"), src: el.querySelector("source").src,
				tracks: [...el.querySelectorAll("track")].map((t) => ({ kind: t.kind, lang: t.srclang, def: t.default, src: t.src })),
				same: new URL(el.querySelector("source").src).origin === location.origin,
			};
		});
		log.check(`${label}: a video that does not play by itself`, v && !v.autoplay && v.poster && v.same, JSON.stringify(v));
		const langs = v ? v.tracks.map((t) => t.lang) : [];
		log.check(`${label}: captions in two languages or more, ${code} first and default`,
		    v && v.tracks.length >= 2 && v.tracks.every((t) => t.kind === "captions") && v.tracks[0].lang === code &&
		    v.tracks[0].def && v.tracks.filter((t) => t.def).length === 1, JSON.stringify(v && v.tracks));
		const cues = await page.evaluate(async (src) => (await fetch(src)).text(), v.tracks[0].src);
		log.check(`${label}: the captions load`, cues.startsWith("WEBVTT"), cues.slice(0, 40));
		log.check(`${label}: languages ${langs.join(" ")}`, true);
	} catch (e) {
		log.fail(label, String(e && e.stack || e));
	} finally {
		await tab.ctx.close();
	}
}

// A tool prints cleanly: in print media the header, navigation, footer and print button are
// gone and the downloads and text stay.
async function checkPrint(log, browser, base, vp, url) {
	const label = `print ${url}`;
	const tab = await newTab(browser, base, vp);
	try {
		const page = tab.page;
		await tab.go(url);
		// A checklist's "print with my ticks" stands for the plain print button.
		const button = await page.locator("[data-print], [data-print-ticks]").first().isVisible();
		await page.emulateMedia({ media: "print" });
		const shown = await page.evaluate(() => Object.fromEntries(
		    [".site-header", ".site-footer", ".print-row", ".downloads", ".content", "h1"].map((s) => {
			    const el = document.querySelector(s);
			    return [s, !!el && getComputedStyle(el).display !== "none"];
		    })));
		log.check(`${label}: the print button is offered`, button);
		log.check(`${label}: only the tool is printed`, !shown[".site-header"] && !shown[".site-footer"] &&
		    !shown[".print-row"] && shown[".downloads"] && shown[".content"] && shown.h1, JSON.stringify(shown));
		await page.pdf({ path: path.join(SHOTS, "print-tool.pdf") });
	} catch (e) {
		log.fail(label, String(e && e.stack || e));
	} finally {
		await tab.ctx.close();
	}
}

// Runs the tasks, at most `jobs` at a time, and prints each one's lines in the order given.
async function pool(tasks, jobs, total) {
	const logs = tasks.map(() => new Log());
	const done = tasks.map(() => false);
	let next = 0;
	let printed = 0;
	async function worker() {
		while (next < tasks.length) {
			const i = next++;
			try {
				await tasks[i](logs[i]);
			} catch (e) {
				logs[i].fail("a browser task runs", String(e && e.stack || e));
			}
			done[i] = true;
			while (printed < tasks.length && done[printed])
				logs[printed++].flush(total);
		}
	}
	await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
}

async function main() {
	const total = new Log();
	const root = path.resolve(process.argv[2] || "");
	if (!process.argv[2] || !fs.existsSync(path.join(root, "index.html"))) {
		console.error("usage: node a11y.mjs PUBLIC_DIR (a built site, with index.html)");
		process.exit(2);
	}
	// This run's screenshots replace the last run's, so none is left from a page that is gone.
	fs.mkdirSync(SHOTS, { recursive: true });
	for (const f of fs.readdirSync(SHOTS)) {
		if (/^(phone|desktop)-.*\.png$/.test(f))
			fs.rmSync(path.join(SHOTS, f), { force: true });
	}

	const m = /data-root='([^']*)'/.exec(read(root, "/"));
	let codes = [];
	try {
		codes = m ? JSON.parse(m[1]) : [];
	} catch { /* reported below */ }
	total.check("the root page lists the site's languages", codes.length > 0, "no data-root on /");
	const ltr = codes.find((c) => langDir(root, c) === "ltr");
	const rtl = codes.find((c) => langDir(root, c) === "rtl");
	total.check("the site has a left-to-right language", ltr !== undefined);

	// The root pages once, then each language's pages.
	const plan = [
		{ code: ltr || "root", kind: "root", url: "/", status: 200 },
		{ code: ltr || "root", kind: "missing", url: "/no-such-page/", status: 404 },
	];
	for (const code of [ltr, rtl]) {
		if (!code)
			continue;
		const pages = pagesOf(root, code);
		for (const kind of ["home", "section", "page", "taxonomy", "term", "404"])
			total.check(`${code} has a page of kind ${kind} to test`,
			    pages.some((p) => p.kind === kind));
		for (const p of pages)
			plan.push({ code, kind: p.kind, type: p.type, url: p.url, status: 200, desktopOnly: p.desktopOnly });
	}
	// The switcher is tried on a regular page that has a version in the right-to-left language
	// if there is one, else in any other language.
	let sw = null;
	const cands = ltr ? articles(root, ltr) : [];
	for (const to of [rtl, ...codes.filter((c) => c !== ltr && c !== rtl)]) {
		const a = to && cands.find((x) => x.html.includes(`hreflang="${to}"`));
		if (a) {
			sw = { url: a.url, to };
			break;
		}
	}
	total.check("a translated regular page to switch languages on", sw !== null);
	total.flush();

	const server = await serve(root);
	const base = `http://127.0.0.1:${server.address().port}`;
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
	});
	const tasks = VIEWPORTS.map((vp) => (log) => checkPages(log, browser, base, vp, plan));
	const dirs = Object.fromEntries(codes.map((c) => [c, langDir(root, c)]));
	// The content types' interactions, found by their markup in the built site.
	const ltrPages = ltr ? articles(root, ltr) : [];
	const course = ltrPages.find((a) => a.html.includes('<article class="page page-course"'));
	const video = ltrPages.find((a) => a.html.includes("<video"));
	const tool = ltrPages.find((a) => a.html.includes('<article class="page page-tool"'));
	total.check("a course, a video and a tool to try", course && video && tool);
	total.flush();
	if (tool)
		tasks.push((log) => checkPrint(log, browser, base, VIEWPORTS[1], tool.url));
	for (const vp of VIEWPORTS) {
		if (course)
			tasks.push((log) => checkCourse(log, browser, base, vp, course.url));
		if (video)
			tasks.push((log) => checkVideo(log, base, browser, vp, video.url, ltr));
		for (const code of [ltr, rtl])
			if (code && fs.existsSync(path.join(root, code, "facets.json")))
				tasks.push((log) => checkFacets(log, browser, base, root, vp, code));
		if (sw)
			tasks.push((log) => checkSwitch(log, browser, base, vp, sw.url, ltr, sw.to, dirs));
	}
	// Search in the demo hub's words: an English plural the stemmer folds, Serbian Latin typed
	// without diacritics (its pages derived from Cyrillic), Greek without its accent.
	for (const [code, query, want] of [["en", "assessments", "individual-assessment"],
	    ["sr-Latn", "procena dece", "/sr-Latn/guidance/individualna-procena/"],
	    ["el", "αξιολογηση", "/el/"]]) {
		if (codes.includes(code))
			tasks.push((log) => checkSearch(log, browser, base, VIEWPORTS[1], code, query, want));
	}
	for (const vp of VIEWPORTS) {
		for (const code of [ltr, rtl]) {
			if (code)
				tasks.push((log) => checkSkipLink(log, browser, base, vp, `/${code}/`));
		}
	}
	try {
		await pool(tasks, Number(process.env.SATCHEL_JOBS) || 2, total);
	} finally {
		await browser.close();
		server.close();
	}
	console.log(`screenshots in ${SHOTS}`);
	console.log(`a11y.mjs: ${total.passed} passed, ${total.failed} failed`);
	process.exit(total.failed ? 1 : 0);
}

main().catch((e) => {
	console.log(`FAIL ${e && e.stack || e}`);
	console.log("a11y.mjs: 0 passed, 1 failed");
	process.exit(1);
});
