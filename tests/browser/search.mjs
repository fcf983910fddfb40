// search.mjs: the library's search on the demo hub, in headless Chromium, typed as a visitor
// types and read from the page (the DOM contract of docs/search.md).
//
// Usage: node tests/browser/search.mjs PUBLIC_DIR
//
// For each query: types it into /LANG/library/'s box, waits for data-state="done" with that
// query, and checks the result a practitioner expects is among the first; then the parts of a
// result (excerpt with <mark>, sub-results whose #anchor exists on the page, the language of an
// other-language result), the count in the live region, the query in the address, only the
// query's pieces fetched, a facet with the words, "show more", stale answers dropped, keyboard
// use and axe on the results state. Screenshots of the results (phone 390x844, desktop
// 1280x900; en and ar) go to $SATCHEL_SHOTS (default /tmp/satchel-shots). Prints "ok"/"FAIL"
// lines and ends with "search.mjs: N passed, N failed"; exits 1 if anything failed.
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM): playwright-core downloads nothing.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { check, finish, siteRoot } from "./checks.mjs";
import { serve } from "./static-server.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SATCHEL_SHOTS || "/tmp/satchel-shots";
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const PHONE = { width: 390, height: 844, mobile: true, name: "phone" };
const DESKTOP = { width: 1280, height: 900, mobile: false, name: "desktop" };
const WAIT = 8000;


const root = siteRoot("search.mjs");
const server = await serve(root);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });

// A tab that records every request, what leaves 127.0.0.1 (refused) and every script error.
async function tab(vp = DESKTOP) {
	const ctx = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, isMobile: vp.mobile, hasTouch: vp.mobile, locale: "de-DE" });
	await ctx.addInitScript({ path: AXE });
	const page = await ctx.newPage();
	const t = { ctx, page, urls: [], outside: [], errors: [] };
	page.on("request", (r) => {
		const u = new URL(r.url());
		if (u.origin !== base && u.protocol !== "data:") t.outside.push(r.url());
		else t.urls.push(u.pathname + u.search);
	});
	await ctx.route((u) => u.origin !== base, (route) => route.abort("blockedbyclient"));
	page.on("pageerror", (e) => t.errors.push(String(e)));
	page.on("console", (m) => { if (m.type() === "error") t.errors.push(m.text()); });
	return t;
}

// Types q into the box of /code/library/ (the page is opened when not there yet) and waits for
// its results; returns them as [{href, title, lang, text}].
async function search(t, code, q, { open = true } = {}) {
	const page = t.page;
	if (open) {
		await page.goto(`${base}/${code}/library/`);
		await page.waitForSelector("#q:visible", { timeout: WAIT });
	}
	await page.locator("#q").fill("");
	await page.locator("#q").pressSequentially(q, { delay: 15 });
	// A list that never says it is done is a failure of its own; its results are read anyway.
	const ok = await done(page, q).then(() => true, () => false);
	if (!ok) check(`${code} "${q}": the list says data-state="done" data-query="${q}"`, false);
	return results(page);
}
const done = (page, q) => page.waitForFunction((q) => {
	const l = document.querySelector("[data-results]");
	return l && l.dataset.state === "done" && l.dataset.query === q;
}, q, { timeout: WAIT });
const results = (page) => page.evaluate(() => [...document.querySelectorAll("ul[data-results] > li")].map((li) => {
	const a = li.querySelector("a");
	return { href: a && a.getAttribute("href"), first: li.matches(".result") && li.firstElementChild === a && a.matches(".result-link"), title: a && a.textContent, text: li.innerText };
}));
const hrefs = (rs, n = 99) => rs.slice(0, n).map((r) => r.href).join(" ");
async function run(name, vp, f) {
	const t = await tab(vp);
	try {
		await f(t);
		check(`${name}: no request leaves 127.0.0.1`, t.outside.length === 0, t.outside.join("\n"));
		check(`${name}: no script error`, t.errors.length === 0, t.errors.join("\n"));
	} catch (e) {
		check(name, false, String(e && e.stack || e));
	} finally {
		await t.ctx.close();
	}
}

// Queries as practitioners type them, with the page they expect among the first `within`.
const QUERIES = [
	["en", "checklist", "/en/tools/individual-assessment-checklist/", 1, "an English title word"],
	["en", "transpose", "/en/guidance/individual-assessment/", 1, "a word of the long guide's last footnote"],
	["en", "assesment", "/en/guidance/individual-assessment/", 2, "a typo (one letter dropped)"],
	["en", "interveiw", "/en/guidance/interviewing-child-victims/", 1, "a typo (two letters swapped)"],
	["en", "interv", "/en/guidance/interviewing-child-victims/", 3, "a word half typed"],
	["ro", "audierea copiilor", "/ro/guidance/audierea-copiilor/", 1, "Romanian without diacritics, the title's words"],
	["sr", "procena", "/sr/guidance/individualna-procena/", 2, "Serbian Latin on the Cyrillic site"],
	["sr-Latn", "процена", "/sr-Latn/guidance/individualna-procena/", 2, "Serbian Cyrillic on the Latin site"],
	["bg", "barnahus", "/bg/news/barnahus-plovdiv/", 3, "Barnahus in Latin letters on the Bulgarian site"],
	["el", "αξιολογηση", "/el/guidance/individual-assessment/", 2, "Greek without its accent"],
	["ar", "الأطفال المتنقلين", "/ar/an-al-markaz/", 1, "Arabic"],
];
for (const [code, q, want, within, what] of QUERIES) {
	await run(`${code} "${q}" (${what})`, DESKTOP, async (t) => {
		const rs = await search(t, code, q);
		const at = rs.findIndex((r) => r.href === want);
		check(`${code} "${q}" (${what}) finds ${want} within the first ${within}`, at >= 0 && at < within,
			`${rs.length} results: ${hrefs(rs, 5)}`);
		check(`${code} "${q}": each result's first element is its a.result-link`, rs.length > 0 && rs.every((r) => r.first && r.href));
	});
}

// One result in full: the deep word's guide shows a marked excerpt and sub-results whose
// anchors exist on the page; the count is announced; the address keeps the query.
await run("en result parts", DESKTOP, async (t) => {
	const page = t.page;
	const rs = await search(t, "en", "pitfalls");
	const li = page.locator('li.result:has(> a.result-link[href="/en/guidance/individual-assessment/"])');
	check("en \"pitfalls\": the guide is found", await li.count() === 1, hrefs(rs));
	const marks = await li.locator(".excerpt mark").allTextContents();
	check("en \"pitfalls\": its excerpt marks the word", marks.some((m) => /^pitfall/i.test(m)), JSON.stringify(marks));
	const subs = await li.locator(".sub-results a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
	check("en \"pitfalls\": a sub-result links to the heading #common-pitfalls", subs.includes("/en/guidance/individual-assessment/#common-pitfalls"), subs.join(" "));
	const html = fs.readFileSync(path.join(root, "en/guidance/individual-assessment/index.html"), "utf8");
	const missing = subs.filter((h) => !html.includes(`id="${h.split("#")[1]}"`));
	check("en \"pitfalls\": every sub-result's anchor exists on the page", subs.length > 0 && missing.length === 0, missing.join(" "));
	const count = await page.locator(".results-count[role=status][aria-live=polite] [data-count]").textContent();
	check("en \"pitfalls\": the live region announces the count", count.trim() === String(rs.length), `"${count}" for ${rs.length} results`);
	check("en \"pitfalls\": the note that search needs JavaScript is gone", !(await page.locator("main").innerText()).includes("JavaScript"));
	check("en \"pitfalls\": the query is in the address", new URL(page.url()).searchParams.get("q") === "pitfalls", page.url());
	// Only the pieces of the word (and the manifest) were fetched, and fragments of shown results.
	const pieces = t.urls.filter((u) => u.includes("/search/t/"));
	const frags = t.urls.filter((u) => u.includes("/search/f/"));
	const man = JSON.parse(fs.readFileSync(path.join(root, "en/search/index.json"), "utf8"));
	check("en \"pitfalls\": fetched the pieces of its prefixes only", pieces.length >= 1 && pieces.length <= 3 && pieces.length < man.pieces.length &&
		pieces.every((u) => /\/t\/[0-9a-f]+\.json\?v=[0-9a-f]+$/.test(u)), pieces.join(" "));
	check("en \"pitfalls\": fetched a fragment per result shown, at most 10", rs.length > 0 && frags.length === Math.min(rs.length, 10), frags.join(" "));
	// Content is text, never markup: no element inside a result but the ones the script makes.
	const tags = await page.evaluate(() => [...new Set([...document.querySelectorAll("[data-results] *")].map((e) => e.tagName.toLowerCase()))].sort());
	check("en results are built of the script's own elements", tags.includes("mark") && tags.every((x) => ["a", "bdi", "img", "li", "mark", "p", "picture", "source", "span", "svg", "time", "ul", "use"].includes(x)), tags.join(" "));
	// A shared address restores the query.
	await page.goto(`${base}/en/library/?q=pitfalls`);
	await done(page, "pitfalls");
	check("en /en/library/?q=pitfalls restores the query and its results",
		(await page.locator("#q").inputValue()) === "pitfalls" && hrefs(await results(page)) === hrefs(rs), hrefs(await results(page)));
});

// Text from the index is text: a fragment holding markup shows it as written and runs nothing;
// a URL that is not a path of this site (javascript:, another host) is never linked.
await run("en hostile fragment", DESKTOP, async (t) => {
	const page = t.page;
	const bad = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
	let n = 0;
	await page.route("**/search/f/**", async (route) => {
		const f = await (await route.fetch()).json();
		const u = [f.u, "javascript:window.pwned=3", "//evil.example/", "/\\evil.example/", "/\t/evil.example/"][n++ % 5];
		await route.fulfill({ contentType: "application/json", body: JSON.stringify({ ...f, u, t: `${f.t} ${bad}`, s: `pitfalls ${bad}`,
			x: [["x\"><img src=x onerror=window.pwned=4>", `Pitfalls ${bad}`, `pitfalls ${bad}`]] }) });
	});
	await search(t, "en", "assessment"); // ten results shown: every URL below is tried
	const got = await page.evaluate(() => ({
		pwned: window.pwned || 0, elements: document.querySelectorAll("[data-results] img:not(.thumb img), [data-results] script, [data-results] [onerror]").length,
		shown: document.querySelector("[data-results] a.result-link")?.textContent || "",
		links: [...document.querySelectorAll("[data-results] a")].map((a) => a.getAttribute("href")),
	}));
	check("en a fragment with markup: shown as text, no element made from it, nothing run",
		got.pwned === 0 && got.elements === 0 && got.shown.includes("<img src=x"), JSON.stringify(got));
	check("en a fragment whose URL is not a path of this site is not linked",
		got.links.length > 0 && got.links.every((h) => new URL(h, "http://site.test/a/").host === "site.test"), got.links.join(" "));
});

// Some words, not all: the page says so instead of showing nothing.
await run("en some words", DESKTOP, async (t) => {
	const rs = await search(t, "en", "barnahus zzqxv");
	const note = await t.page.locator(".results-count [data-note]").textContent();
	check("en \"barnahus zzqxv\": results for some of the words, and a note that says so", rs.length > 0 && note.trim().length > 0, `${rs.length} results, note "${note}"`);
	const none = await search(t, "en", "zzqxv", { open: false });
	const note2 = await t.page.locator(".results-count [data-note]").textContent();
	check("en \"zzqxv\": no result, and a note that says so", none.length === 0 && note2.trim().length > 0 && note2 !== note, `note "${note2}"`);
});

// Typing fast: an answer for an earlier query never replaces the last one's.
await run("en stale answers", DESKTOP, async (t) => {
	const page = t.page;
	await page.goto(`${base}/en/library/`);
	await page.waitForSelector("#q:visible");
	await page.route("**/search/t/**", async (route) => {
		if (route.request().url().includes("/t/6a")) await new Promise((r) => setTimeout(r, 1500)); // "j…": slow
		await route.continue();
	});
	await page.locator("#q").fill("judges");
	await page.waitForTimeout(300);
	await page.locator("#q").fill("barnahus");
	await done(page, "barnahus");
	const first = hrefs(await results(page));
	await page.waitForTimeout(1800);
	const later = await page.evaluate(() => document.querySelector("[data-results]").dataset.query);
	check("en a slow answer for an earlier query does not replace the last one's", hrefs(await results(page)) === first && later === "barnahus", `${later}: ${hrefs(await results(page))}`);
});

// Words and facets together: a type narrows the results to the library's resources of that type.
await run("en facets and words", DESKTOP, async (t) => {
	const page = t.page;
	const all = await search(t, "en", "child");
	const data = JSON.parse(fs.readFileSync(path.join(root, "en/facets.json"), "utf8"));
	await page.locator('input[name="types"][value="guidance"]').check();
	await done(page, "child");
	const rs = await results(page);
	const ok = rs.every((r) => { const it = data.items.find((x) => x.u === r.href); return it && it.f.types.includes("guidance"); });
	check("en \"child\" + the guidance type: only guidance from the library", rs.length > 0 && ok && rs.length < all.length, hrefs(rs));
	check("en \"child\" + guidance: the address has both", /q=child/.test(page.url()) && /types=guidance/.test(page.url()), page.url());
});

// More than 10 results: 10 first, the button shows the next and moves the focus to them.
await run("en show more", DESKTOP, async (t) => {
	const page = t.page;
	const rs = await search(t, "en", "child");
	const total = Number((await page.locator("[data-count]").textContent()).replace(/\D/g, ""));
	check("en \"child\": 10 results shown of more", rs.length === 10 && total > 10, `${rs.length} of ${total}`);
	await page.locator("[data-more]").click();
	await page.waitForFunction(() => document.querySelectorAll("li.result").length > 10, null, { timeout: WAIT });
	const n = await page.locator("li.result").count();
	const focus = await page.evaluate(() => document.activeElement.closest("li.result") === document.querySelectorAll("li.result")[10]);
	check("en \"child\": show more adds the next results and focuses the first of them", n === Math.min(total, 20) && focus, `${n}, focus moved: ${focus}`);
});

// Without JavaScript: no dead search box; a note says search needs JavaScript; the term links stay.
{
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	try {
		const page = await ctx.newPage();
		await page.goto(`${base}/en/library/`);
		const box = await page.locator("#q").isVisible();
		const boxes = await page.locator("input[type=checkbox]:visible, [data-results]:visible, [data-more]:visible").count();
		const note = await page.locator("main").innerText();
		const terms = await page.locator(".facet-links a").count();
		check("without JavaScript: the box, facets and results are hidden, a note says why, the term links stay",
			!box && boxes === 0 && /JavaScript/.test(note) && terms > 5, `box shown: ${box}, facets/results shown: ${boxes}, term links: ${terms}`);
	} catch (e) {
		check("without JavaScript", false, String(e && e.stack || e));
	} finally {
		await ctx.close();
	}
}

// Keyboard only, the results state passes axe, and screenshots to look at.
for (const vp of [PHONE, DESKTOP]) {
	for (const [code, q] of [["en", "individual assessment"], ["ar", "assessment"]]) {
		await run(`${vp.name} ${code} results state`, vp, async (t) => {
			const page = t.page;
			const rs = await search(t, code, q);
			check(`${vp.name} ${code} "${q}": results`, rs.length > 0, hrefs(rs));
			if (code === "ar") {
				const other = await page.evaluate(() => document.querySelectorAll("li.result").length > 0 && [...document.querySelectorAll("li.result")].every((li) => li.lang === "en" && li.dir === "ltr" &&
					li.querySelector("a.result-link").hreflang === "en" && li.querySelector(".entry-meta").lang === "ar"));
				check(`${vp.name} ar: English results are marked lang="en" dir="ltr", their meta line lang="ar"`, other);
				const label = await page.locator("li.result .entry-meta").first().textContent();
				check(`${vp.name} ar: and say their language in Arabic`, label.includes("الإنجليزية"), label);
			}
			fs.mkdirSync(SHOTS, { recursive: true });
			await page.screenshot({ path: path.join(SHOTS, `search-${vp.name}-${code}.png`) });
			// The box, then the bar (sort, the filters button), then the first result.
			await page.locator("#q").focus();
			const walk = [];
			for (let i = 0; i < 3; i++) {
				await page.keyboard.press("Tab");
				walk.push(await page.evaluate(() => document.activeElement.matches("[data-sort]") ? "sort" : document.activeElement.matches("[data-toggle]") ? "filters" :
					document.activeElement.matches("li.result:first-child > a.result-link") ? "result" : document.activeElement.tagName));
			}
			const at = walk.join() === "sort,filters,result";
			check(`${vp.name} ${code}: Tab from the box reaches the sort, the filters button, then the first result`, at, walk.join() + " " +
				await page.evaluate(() => document.activeElement.outerHTML.slice(0, 120)));
			const v = await page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: { type: "tag", values: tags } })).violations
				.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")}`), AXE_TAGS);
			check(`${vp.name} ${code}: axe finds nothing on the results state`, v.length === 0, v.join("\n"));
			const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			check(`${vp.name} ${code}: the results do not scroll sideways`, wide <= 0, `${wide}px`);
			if (!vp.mobile) {
				await page.emulateMedia({ colorScheme: "dark" });
				const d = await page.evaluate(async () => (await window.axe.run(document, { runOnly: { type: "rule", values: ["color-contrast"] } })).violations.map((x) => x.id));
				check(`${vp.name} ${code}: dark mode contrast of the results`, d.length === 0, d.join(" "));
				await page.screenshot({ path: path.join(SHOTS, `search-${vp.name}-${code}-dark.png`) });
			}
		});
	}
}

await browser.close();
server.close();
finish("search.mjs");
