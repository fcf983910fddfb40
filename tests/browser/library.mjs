// library.mjs: the library page of the demo hub in headless Chromium, used as a visitor uses it
// (docs/themes.md, "The library"): results first, the filters drawer and column, live counts,
// chips, the empty state, sort, cards, the address. Expected numbers come from /LANG/facets.json.
//
// Usage: node tests/browser/library.mjs PUBLIC_DIR
//
// Screenshots (390x844 and 1280x900; en, bg, ar; initial, results, drawer, empty) go to
// $SATCHEL_SHOTS (default /tmp/satchel-shots), named library-WIDTH-LANG-STATE.png. Prints
// "ok"/"FAIL" lines and ends with "library.mjs: N passed, N failed"; exits 1 if anything failed.
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
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const PHONE = { width: 390, height: 844, mobile: true, name: "390" };
const DESKTOP = { width: 1280, height: 900, mobile: false, name: "1280" };
const WAIT = 8000;


const root = siteRoot("library.mjs");
const facets = (code) => JSON.parse(fs.readFileSync(path.join(root, code, "facets.json"), "utf8"));
const server = await serve(root);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
fs.mkdirSync(SHOTS, { recursive: true });

async function tab(vp, scheme = "light") {
	const ctx = await browser.newContext({ viewport: { width: vp.width, height: vp.height }, isMobile: vp.mobile, hasTouch: vp.mobile, locale: "de-DE", colorScheme: scheme });
	await ctx.addInitScript({ path: AXE });
	ctx.setDefaultTimeout(WAIT);
	const page = await ctx.newPage();
	const t = { ctx, page, outside: [], errors: [] };
	page.on("request", (r) => { if (new URL(r.url()).origin !== base && !r.url().startsWith("data:")) t.outside.push(r.url()); });
	await ctx.route((u) => u.origin !== base, (route) => route.abort("blockedbyclient"));
	page.on("pageerror", (e) => t.errors.push(String(e)));
	page.on("console", (m) => { if (m.type() === "error") t.errors.push(m.text()); });
	return t;
}
async function run(name, vp, f, scheme) {
	const t = await tab(vp, scheme);
	try {
		await f(t.page, t);
		check(`${name}: no request leaves 127.0.0.1`, t.outside.length === 0, t.outside.join("\n"));
		check(`${name}: no script error`, t.errors.length === 0, t.errors.join("\n"));
	} catch (e) {
		check(name, false, String(e && e.stack || e));
	} finally {
		await t.ctx.close();
	}
}
// The list once it shows query q (data-state="done", data-query).
const done = (page, q) => page.waitForFunction((q) => {
	const l = document.querySelector("[data-results]");
	return l && l.dataset.state === "done" && l.dataset.query === q;
}, q, { timeout: WAIT });
async function open(page, code, query = "") {
	await page.goto(`${base}/${code}/library/${query}`);
	await done(page, new URLSearchParams(query).get("q") || "");
}
async function search(page, q) {
	await page.locator("#q").fill(q);
	await done(page, q);
}
const hrefs = (page) => page.$$eval("ul[data-results] > li.result > a.result-link", (as) => as.map((a) => a.getAttribute("href")));
const count = async (page) => Number((await page.locator("[data-count]").textContent()).replace(/\D/g, ""));
// Every result, "show more" pressed until none is left.
async function allResults(page) {
	for (let i = 0; i < 50 && await page.locator("[data-more]").isVisible(); i++) {
		const n = await page.locator("li.result").count();
		await page.locator("[data-more]").click();
		await page.waitForFunction((n) => document.querySelectorAll("li.result").length > n, n, { timeout: WAIT });
	}
	return hrefs(page);
}
// The counts the facet boxes show: {"tax\nslug": n}.
const shownCounts = (page) => page.$$eval("form.facets input[type=checkbox]", (bs) => Object.fromEntries(bs.map((b) =>
	[b.name + "\n" + b.value, Number(b.closest("label").querySelector(".count").textContent.replace(/\D/g, ""))])));
// The counts facets.json gives for the items of base with sel ticked: within a taxonomy, the
// other taxonomies' ticks apply (OR within, AND across), its own do not.
function wantCounts(data, base, sel) {
	const want = {};
	for (const tax of data.taxonomies)
		for (const term of tax.terms)
			want[tax.name + "\n" + term.name] = base.filter((it) => (it.f[tax.name] || []).includes(term.name) &&
				Object.keys(sel).every((k) => k === tax.name || sel[k].some((v) => (it.f[k] || []).includes(v)))).length;
	return want;
}
const diff = (a, b) => Object.keys(b).filter((k) => a[k] !== b[k]).map((k) => `${k.replace("\n", "=")}: shown ${a[k]}, want ${b[k]}`).join("\n");
async function axe(page) {
	return page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: { type: "tag", values: tags } })).violations
		.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")}`), AXE_TAGS);
}
// Opens the filters where they are closed: the drawer on a phone.
async function openFilters(page) {
	if (!(await page.locator("#filters-panel").evaluate((d) => d.open)))
		await page.locator("[data-toggle]").click();
	await page.waitForFunction(() => document.getElementById("filters-panel").open, null, { timeout: WAIT });
}
const QUERY = { en: "assessment", bg: "оценка", ar: "assessment" };

// Results first: after a search the first result is on the first screen, whole (its title at
// least), at phone and desktop size, in English, Bulgarian and Arabic.
for (const vp of [PHONE, DESKTOP]) {
	for (const code of ["en", "bg", "ar"]) {
		await run(`${vp.name} ${code} results first`, vp, async (page) => {
			await open(page, code);
			await page.screenshot({ path: path.join(SHOTS, `library-${vp.name}-${code}-initial.png`) });
			await search(page, QUERY[code]);
			const box = await page.locator("li.result:first-child > a.result-link").boundingBox();
			check(`${vp.name} ${code} "${QUERY[code]}": the first result's title is on the first screen`,
				box && box.y >= 0 && box.y + box.height <= vp.height, JSON.stringify(box));
			// The filters one tap away: their button on that screen too, above the results.
			const tg = await page.locator("[data-toggle]").count() ? await page.locator("[data-toggle]").boundingBox() : null;
			check(`${vp.name} ${code}: the filters button is on the first screen, before the results`,
				tg && box && tg.y >= 0 && tg.y + tg.height <= box.y, JSON.stringify(tg));
			await page.waitForTimeout(100);
			await page.screenshot({ path: path.join(SHOTS, `library-${vp.name}-${code}-results.png`) });
			const v = await axe(page);
			check(`${vp.name} ${code}: axe finds nothing on the results`, v.length === 0, v.join("\n"));
			const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			check(`${vp.name} ${code}: the page does not scroll sideways`, wide <= 0, `${wide}px`);
			// The drawer (phone) or column (desktop) open, axe on it too.
			await openFilters(page);
			if (vp.mobile) await page.locator('form.facets input[name="types"]').first().check();
			await done(page, QUERY[code]);
			await page.screenshot({ path: path.join(SHOTS, `library-${vp.name}-${code}-drawer.png`) });
			const d = await axe(page);
			check(`${vp.name} ${code}: axe finds nothing with the filters open`, d.length === 0, d.join("\n"));
			// The empty state.
			await open(page, code, "?q=zzqxv&types=guidance");
			await page.waitForTimeout(100);
			await page.screenshot({ path: path.join(SHOTS, `library-${vp.name}-${code}-empty.png`) });
			const e = await axe(page);
			check(`${vp.name} ${code}: axe finds nothing on the empty state`, e.length === 0, e.join("\n"));
			for (const scheme of ["dark"]) {
				await page.emulateMedia({ colorScheme: scheme });
				const c = await axe(page);
				await search(page, QUERY[code]);
				await openFilters(page);
				const c2 = await axe(page);
				check(`${vp.name} ${code}: axe finds nothing in dark mode (empty state, results with filters)`, !c.length && !c2.length, c.concat(c2).join("\n"));
				await page.emulateMedia({ colorScheme: "light" });
			}
		});
	}
}

// The drawer on a phone: the button says how many filters are on, opens a modal dialog from the
// keyboard, Escape closes it and gives the focus back to the button.
await run("390 en drawer", PHONE, async (page) => {
	await open(page, "en");
	const toggle = page.locator("[data-toggle]");
	check("390 en: the filters are closed at first, the button says so", !(await page.locator("form.facets").isVisible()) &&
		await toggle.getAttribute("aria-expanded") === "false" && await toggle.getAttribute("aria-controls") === "filters-panel");
	await toggle.focus();
	await page.keyboard.press("Enter");
	await page.waitForFunction(() => document.getElementById("filters-panel").matches(":modal"), null, { timeout: WAIT });
	const inside = await page.evaluate(() => document.getElementById("filters-panel").contains(document.activeElement));
	check("390 en: Enter on the filters button opens a modal drawer with the focus inside", inside && await toggle.getAttribute("aria-expanded") === "true");
	for (let i = 0; i < 4 && !(await page.evaluate(() => document.activeElement.matches("input[type=checkbox]"))); i++)
		await page.keyboard.press("Tab");
	await page.keyboard.press("Space");
	await done(page, "");
	const ticked = await page.locator("form.facets input:checked").count();
	await page.keyboard.press("Escape");
	await page.waitForFunction(() => !document.getElementById("filters-panel").open, null, { timeout: WAIT });
	const back = await page.evaluate(() => document.activeElement.matches("[data-toggle]"));
	check("390 en: a box ticked with Space; Escape closes the drawer and the focus is back on the button",
		ticked === 1 && back && await toggle.getAttribute("aria-expanded") === "false", `ticked ${ticked}, focus back: ${back}`);
	check("390 en: the button counts the filter on", /\(1\)/.test(await toggle.textContent()), await toggle.textContent());
	await toggle.click();
	await page.locator(".facets-foot [data-close]").click();
	check("390 en: \"Show results\" closes it too", !(await page.locator("#filters-panel").evaluate((d) => d.open)) &&
		await page.evaluate(() => document.activeElement.matches("[data-toggle]")));
});

// The column on a wide screen: beside the results from the start, the button folds it away and
// the results take the width, the button brings it back.
await run("1280 en column", DESKTOP, async (page) => {
	await open(page, "en");
	const panel = page.locator("#filters-panel"), toggle = page.locator("[data-toggle]");
	const p = await panel.boundingBox(), r = await page.locator(".library-main").boundingBox();
	check("1280 en: the filters are a column beside the results, at their height",
		p && r && await panel.isVisible() && !(await panel.evaluate((d) => d.matches(":modal"))) && Math.abs(p.y - r.y) < 40 && (p.x > r.x + r.width || p.x + p.width < r.x),
		JSON.stringify({ p, r }));
	await toggle.click();
	const r2 = await page.locator(".library-main").boundingBox();
	check("1280 en: the button folds the column, the results take its place", !(await panel.isVisible()) &&
		await toggle.getAttribute("aria-expanded") === "false" && r2.width > r.width + 100, `${r.width} -> ${r2.width}`);
	await toggle.click();
	check("1280 en: and opens it again", await panel.isVisible() && await toggle.getAttribute("aria-expanded") === "true");
});

// Live counts: each value counts the results that would remain with it ticked, over the current
// words, its own taxonomy's other ticks set aside; checked against facets.json.
for (const [code, q] of [["en", ""], ["en", "assessment"], ["bg", "деца"]]) {
	await run(`1280 ${code} counts "${q}"`, DESKTOP, async (page) => {
		const data = facets(code);
		await open(page, code);
		if (q) await search(page, q);
		const found = new Set(q ? await allResults(page) : data.items.map((it) => it.u));
		const baseItems = data.items.filter((it) => found.has(it.u));
		check(`${code} "${q}": the counts before a choice are those of the results`, !diff(await shownCounts(page), wantCounts(data, baseItems, {})) && baseItems.length > 0,
			diff(await shownCounts(page), wantCounts(data, baseItems, {})));
		// The type with the most results, then a language it shares.
		const types = data.taxonomies.find((t) => t.name === "types").terms;
		const want0 = wantCounts(data, baseItems, {});
		const type = types.map((t) => t.name).sort((a, b) => want0["types\n" + b] - want0["types\n" + a])[0];
		await page.locator(`input[name="types"][value="${type}"]`).check();
		await done(page, q);
		let sel = { types: [type] };
		check(`${code} "${q}": after ticking ${type} every count follows (its own taxonomy's stay)`, !diff(await shownCounts(page), wantCounts(data, baseItems, sel)),
			diff(await shownCounts(page), wantCounts(data, baseItems, sel)));
		const after = wantCounts(data, baseItems, sel);
		const l = data.taxonomies.find((t) => t.name === "languages").terms.map((t) => t.name).find((n) => n !== code && after["languages\n" + n] > 0);
		await page.locator(`input[name="languages"][value="${l}"]`).check();
		await done(page, q);
		sel = { types: [type], languages: [l] };
		const n = baseItems.filter((it) => it.f.types.includes(type) && it.f.languages.includes(l)).length;
		check(`${code} "${q}": and after ${l} too; the list has as many as the count said`,
			!diff(await shownCounts(page), wantCounts(data, baseItems, sel)) && await count(page) === n && n === after["languages\n" + l],
			diff(await shownCounts(page), wantCounts(data, baseItems, sel)) + ` list ${await count(page)}, want ${n}`);
	});
}

// Chips: one per filter on, removing one unticks it, the list widens, the focus stays in the chips.
await run("1280 en chips", DESKTOP, async (page) => {
	const data = facets("en");
	await open(page, "en");
	const [a, b] = data.taxonomies.find((t) => t.name === "types").terms;
	await page.locator(`input[name="types"][value="${a.name}"]`).check();
	await done(page, "");
	await page.locator(`input[name="types"][value="${b.name}"]`).check();
	await done(page, "");
	const chips = page.locator("[data-chips] button");
	const texts = await chips.allTextContents();
	check("en: a chip per filter on, named as the filter", texts.length === 2 && texts[0].includes(a.title) && texts[1].includes(b.title), texts.join(" | "));
	const label = await chips.first().getAttribute("aria-label");
	check("en: a chip's name says it removes the filter", label && label.includes(a.title) && label !== a.title, label);
	await chips.first().click();
	await done(page, "");
	const left = await page.locator(`input[name="types"][value="${a.name}"]`).isChecked();
	const want = data.items.filter((it) => it.f.types.includes(b.name)).length;
	check("en: removing a chip unticks its filter and the list widens", !left && await chips.count() === 1 && await count(page) === want, `${await count(page)}, want ${want}`);
	const focusOn = (sel) => page.waitForFunction((s) => document.activeElement.matches(s), sel, { timeout: 2000 }).then(() => true, () => false);
	check("en: the focus moves to the chip left", await focusOn("[data-chips] button"));
	await chips.first().press("Enter");
	await done(page, "");
	check("en: removing the last one shows everything, the focus goes to the filters button",
		await focusOn("[data-toggle]") && await count(page) === data.items.length && await chips.count() === 0);
});

// The empty state: what was searched, the filters on, a button that clears them, other languages.
await run("390 en empty state", PHONE, async (page) => {
	await open(page, "en", "?q=zzqxv&types=guidance");
	const box = page.locator("[data-empty]");
	const text = await box.innerText();
	check("en: nothing found says the words and the filters on", await box.isVisible() && text.includes("zzqxv") && text.includes("Guidance") &&
		/spelling/i.test(text), text);
	const links = await box.locator("[data-other-langs] a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
	check("en: it offers the library in the other languages with the same words", links.length >= 2 && links.every((h) => /^\/[^/]+\/library\/\?q=zzqxv$/.test(h)), links.join(" "));
	await box.locator("[data-clear]").click();
	await done(page, "zzqxv");
	check("en: its button clears the filters, the words stay", await page.locator("form.facets input:checked").count() === 0 &&
		!new URL(page.url()).searchParams.has("types") && await page.locator("#q").inputValue() === "zzqxv" && !(await box.locator("[data-clear]").isVisible()), page.url());
	// Two filters no resource has together.
	const data = facets("en"), types = data.taxonomies.find((t) => t.name === "types").terms;
	const pairs = types.flatMap((ty) => data.taxonomies.filter((t) => t.name !== "types").flatMap((t) => t.terms.map((term) => [ty, t.name, term])));
	const [ty, tax, term] = pairs.find(([ty, tax, term]) => !data.items.some((it) => it.f.types.includes(ty.name) && it.f[tax].includes(term.name)));
	await open(page, "en", `?types=${ty.name}&${tax}=${term.name}`);
	const t2 = await box.innerText();
	check(`en: filters alone that match nothing (${ty.name}, ${term.name}) say so`, await box.isVisible() && t2.includes(ty.title) && t2.includes(term.title) &&
		(await box.locator("h2").textContent()) === "No resource matches these filters", t2);
});

// Sort: relevance with words, newest and title (in the page language's collation) always.
for (const code of ["en", "bg"]) {
	await run(`1280 ${code} sort`, DESKTOP, async (page) => {
		const data = facets(code);
		await open(page, code);
		const opts = await page.locator("[data-sort] option:not([disabled])").evaluateAll((os) => os.map((o) => o.value));
		check(`${code}: without words the sort is newest, relevance is not offered`, await page.locator("[data-sort]").inputValue() === "new" && !opts.includes(""), opts.join(","));
		const newest = await hrefs(page);
		const wantNew = [...data.items].sort((a, b) => (b.d || "").localeCompare(a.d || "")).map((it) => it.u);
		check(`${code}: newest first`, newest.join() === wantNew.slice(0, newest.length).join(), newest.join("\n"));
		await page.locator("[data-sort]").selectOption("title");
		await done(page, "");
		const titles = await page.$$eval("li.result > a.result-link", (as) => as.map((a) => a.textContent));
		const want = await page.evaluate(([ts, l]) => [...ts].sort(new Intl.Collator(l).compare), [data.items.map((it) => it.t), code]);
		check(`${code}: by title in the ${code} collation`, titles.join("|") === want.slice(0, titles.length).join("|") && titles.length > 3, titles.join(" | "));
		check(`${code}: the sort is in the address`, new URL(page.url()).searchParams.get("sort") === "title", page.url());
		await search(page, QUERY[code]);
		const t2 = await page.$$eval("li.result > a.result-link", (as) => as.map((a) => a.textContent));
		const items = new Set(data.items.map((it) => it.t));
		const lib = t2.filter((t) => items.has(t));
		check(`${code} "${QUERY[code]}": by title, the library's resources in order before other pages`,
			lib.join("|") === [...lib].sort(new Intl.Collator(code).compare).join("|") && t2.slice(0, lib.length).join("|") === lib.join("|"), t2.join(" | "));
		await page.locator("[data-sort]").selectOption("");
		await done(page, QUERY[code]);
		check(`${code}: relevance with words, the address without a sort`, !new URL(page.url()).searchParams.has("sort"), page.url());
	});
}

// The address: words, filters and sort restored on reload; Back undoes a choice.
await run("1280 en address", DESKTOP, async (page) => {
	await open(page, "en");
	await search(page, "child");
	await page.locator('input[name="types"][value="guidance"]').check();
	await done(page, "child");
	await page.locator("[data-sort]").selectOption("title");
	await done(page, "child");
	const url = new URL(page.url());
	check("en: the address holds words, filters and sort", url.searchParams.get("q") === "child" && url.searchParams.get("types") === "guidance" && url.searchParams.get("sort") === "title", page.url());
	const before = await hrefs(page);
	await page.reload();
	await done(page, "child");
	check("en: a reload restores all three and the same results", await page.locator("#q").inputValue() === "child" &&
		await page.locator('input[name="types"][value="guidance"]').isChecked() && await page.locator("[data-sort]").inputValue() === "title" &&
		(await hrefs(page)).join() === before.join(), (await hrefs(page)).join(" "));
	await page.goBack();
	await page.waitForFunction(() => document.querySelector("[data-sort]").value === "");
	await done(page, "child");
	check("en: Back undoes the sort", new URL(page.url()).searchParams.get("types") === "guidance" && !new URL(page.url()).searchParams.has("sort"), page.url());
	await page.goBack();
	await page.waitForFunction(() => !document.querySelector('input[name="types"][value="guidance"]').checked);
	check("en: Back again undoes the filter", !new URL(page.url()).searchParams.has("types") && await page.locator("[data-chips] button").count() === 0, page.url());
});

// Cards: the resource's image (small, lazy, sized) or its type's icon, its languages and formats.
await run("390 en cards", PHONE, async (page) => {
	const data = facets("en");
	await open(page, "en");
	const cards = await page.$$eval("li.result", (lis) => lis.map((li) => {
		const img = li.querySelector(".thumb img"), use = li.querySelector(".thumb use");
		return { u: li.querySelector("a").getAttribute("href"), img: img && { src: img.getAttribute("src"), lazy: img.loading, w: img.getAttribute("width"), h: img.getAttribute("height"), alt: img.getAttribute("alt") },
			icon: use && use.getAttribute("href"), extra: (li.querySelector(".card-extra") || {}).textContent || "" };
	}));
	const withImage = data.items.filter((it) => it.i);
	check("en: the demo has resources with an image and without", withImage.length > 0 && withImage.length < data.items.length);
	const bad = cards.filter((c) => {
		const it = data.items.find((x) => x.u === c.u);
		if (!it) return true;
		if (it.i) return !c.img || c.img.src !== it.i.u || c.img.lazy !== "lazy" || Number(c.img.w) !== it.i.w || Number(c.img.h) !== it.i.h || c.img.alt !== "" ||
			!fs.existsSync(path.join(root, it.i.u));
		return c.img || c.icon !== `#i-${it.f.types[0]}`;
	});
	check("en: a card shows its image (small, lazy, sized, published) or its type's icon", cards.length === data.items.length && !bad.length, JSON.stringify(bad));
	const tool = cards.find((c) => (data.items.find((x) => x.u === c.u).x || []).length);
	const it = data.items.find((x) => x.u === tool.u);
	const names = data.taxonomies.find((t) => t.name === "languages").terms.filter((t) => it.f.languages.includes(t.name)).map((t) => t.title);
	check("en: a card lists its languages and formats", names.length > 1 && names.every((n) => tool.extra.includes(n)) && it.x.every((x) => tool.extra.includes(x)), tool.extra);
	const icons = await page.evaluate(() => [...document.querySelectorAll(".thumb use")].every((u) => document.querySelector(u.getAttribute("href"))));
	check("en: every icon is a symbol of the page (no request)", icons);
});

// The language filter follows the language switcher's order (site.yaml's), not the titles'.
await run("1280 bg language order", DESKTOP, async (page) => {
	await open(page, "bg");
	const shown = await page.$$eval('form.facets input[name="languages"]', (bs) => bs.map((b) => b.value));
	const site = fs.readFileSync(path.join(root, "../site.yaml"), "utf8").match(/^ {2}- code: (\S+)/gm).map((l) => l.split(": ")[1].toLowerCase());
	check("bg: the languages filter is in site.yaml's order", shown.length > 2 && shown.join() === site.filter((c) => shown.includes(c)).join(), `${shown.join()} / ${site.join()}`);
});

// Without JavaScript: the box, the bar and the filters stay hidden; the term links stay.
{
	const ctx = await browser.newContext({ javaScriptEnabled: false });
	try {
		const page = await ctx.newPage();
		await page.goto(`${base}/en/library/`);
		const shown = await page.locator("#q:visible, [data-toggle]:visible, [data-sort]:visible, input[type=checkbox]:visible").count();
		check("without JavaScript: no box, bar or filters; the term links stay", shown === 0 && await page.locator(".facet-links a").count() > 5);
	} finally {
		await ctx.close();
	}
}

await browser.close();
server.close();
finish("library.mjs");
