// header.mjs: the default theme's page shell in headless Chromium, driven as a visitor would.
//
// Usage: node tests/browser/header.mjs PUBLIC_DIR
//
// On a 390 px phone: the sections' menu (a <details>) opens and closes by click, by keyboard
// and by Escape (the focus going back to its button), closes on a click elsewhere, and the
// browser reports its expanded state; every link, button and field of the header, the open
// menu, the open language list and the footer is at least 44 px high (icon buttons 44 px wide
// too); the search field is on the first screen and submits to the library; the contents of a
// long guide are one line above the text, closed, and open in place. On a 1280 px desktop: the
// sections are one row, the contents stand beside the text, stay in view while it scrolls and
// mark the heading being read.
// A tool's checklist: its boxes can be ticked (by keyboard), a tick is still there after a
// reload, "clear" empties them, and print shows the ticks without the buttons. The brand colour
// and logo of site.yaml are in the header; an Arabic listing of English fallbacks aligns each
// card's title and summary alike; "Languages" is not two headings on the home page; a table
// cell never breaks inside a word. axe-core checks the page with the menu and the contents open,
// in light and dark. Prints "ok ..." / "FAIL ..." lines and "header.mjs: N passed, N failed".

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { serve } from "./static-server.mjs";

const require = createRequire(import.meta.url);
const AXE = require.resolve("axe-core/axe.min.js");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SATCHEL_SHOTS || "/tmp/satchel-shots";
const PHONE = { width: 390, height: 844, isMobile: true, hasTouch: true };
const DESKTOP = { width: 1280, height: 900, isMobile: false, hasTouch: false };
const TAP = 44;

let passed = 0;
let failed = 0;
function check(name, good, detail) {
	if (good) {
		passed++;
		console.log(`ok ${name}`);
	} else {
		failed++;
		console.log(`FAIL ${name}${detail ? `\n    ${String(detail).replace(/\n/g, "\n    ")}` : ""}`);
	}
}

function htmlFiles(dir, out = []) {
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory())
			htmlFiles(p, out);
		else if (e.name === "index.html")
			out.push(p);
	}
	return out;
}

// The first page of a language whose HTML passes test, largest first; its URL.
function find(root, code, test) {
	const hits = htmlFiles(path.join(root, code))
		.map((f) => ({ f, html: fs.readFileSync(f, "utf8") }))
		.filter((x) => test(x.html))
		.sort((a, b) => b.html.length - a.html.length || a.f.localeCompare(b.f));
	return hits.length ?
	    "/" + path.relative(root, path.dirname(hits[0].f)).split(path.sep).join("/") + "/" : null;
}

async function tab(browser, vp, extra = {}) {
	const ctx = await browser.newContext({ viewport: { width: vp.width, height: vp.height },
	    isMobile: vp.isMobile, hasTouch: vp.hasTouch, locale: "en-GB", ...extra });
	const page = await ctx.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push(String(e)));
	return { ctx, page, errors };
}

// The expanded state the browser gives assistive technology for the element at selector.
async function expanded(page, cdp, selector) {
	const { root } = await cdp.send("DOM.getDocument", { depth: 0 });
	const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector });
	if (!nodeId)
		return null;
	const { nodes } = await cdp.send("Accessibility.getPartialAXTree", { nodeId, fetchRelatives: false });
	const p = (nodes[0].properties || []).find((x) => x.name === "expanded");
	return p ? p.value.value : null;
}

// Visible interactive elements under the selectors that are smaller than 44 px: "what h×w".
async function smallTargets(page, selectors) {
	return page.evaluate(([sels, tap]) => {
		const out = [];
		for (const sel of sels) {
			for (const el of document.querySelectorAll(`${sel} :is(a[href], button, summary, input, select)`)) {
				// A box's target is its label, which ticks it too.
				const r = (el.matches("input") && el.closest("label") || el).getBoundingClientRect();
				const cs = getComputedStyle(el);
				if (r.width === 0 || r.height === 0 || cs.visibility === "hidden" ||
				    el.closest(".visually-hidden, .skip-link"))
					continue;
				// Text links may be as wide as their text; icon-only controls are squares.
				const iconOnly = el.textContent.trim() === "" || el.matches("summary") &&
				    [...el.children].every((c) => c.matches("svg, .visually-hidden") ||
				    getComputedStyle(c).position === "absolute" || getComputedStyle(c).display === "none");
				if (r.height < tap - 0.5 || (iconOnly && r.width < tap - 0.5))
					out.push(`${sel} ${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" ${r.height.toFixed(1)}×${r.width.toFixed(1)}`);
			}
		}
		return out;
	}, [selectors, TAP]);
}

async function axe(page, dark) {
	await page.addScriptTag({ path: AXE });
	await page.emulateMedia({ colorScheme: dark ? "dark" : "light" });
	const v = await page.evaluate(async () => (await window.axe.run(document, {
		runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
	})).violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).slice(0, 4).join(", ")}`));
	await page.emulateMedia({ colorScheme: "light" });
	return v;
}

async function phoneMenu(browser, base) {
	const { ctx, page, errors } = await tab(browser, PHONE);
	const cdp = await ctx.newCDPSession(page);
	const L = "phone 390 menu";
	await page.goto(base + "/en/");
	const sum = "details[data-menu] > summary";
	const state = () => page.evaluate(() => document.querySelector("details[data-menu]").open);
	const links = page.locator("details[data-menu] nav a");
	check(`${L}: the sections are behind a menu button, the sideways bar is gone`,
	    await page.locator(sum).isVisible() && !(await page.locator("nav.site-nav").isVisible()) &&
	    !(await links.first().isVisible()));
	check(`${L}: closed, and the browser says so`, !(await state()) && await expanded(page, cdp, sum) === false);
	// The search field is on the first screen and leads to the library.
	const box = await page.locator("#site-q").boundingBox();
	check(`${L}: the search field is on the first screen`, box && box.y + box.height <= PHONE.height,
	    JSON.stringify(box));
	await page.locator(sum).click();
	check(`${L}: a tap opens it, expanded, its sections shown`, await state() &&
	    await expanded(page, cdp, sum) === true && await links.first().isVisible() &&
	    await links.count() >= 3);
	await page.screenshot({ path: path.join(SHOTS, "header-phone-menu-open.png") });
	const small = await smallTargets(page, [".site-header", ".site-footer"]);
	check(`${L}: every header, menu and footer target is ${TAP} px or more`, small.length === 0, small.join("\n"));
	const v = await axe(page, false);
	check(`${L}: axe finds nothing with the menu open (light)`, v.length === 0, v.join("\n"));
	const vd = await axe(page, true);
	check(`${L}: axe finds nothing with the menu open (dark)`, vd.length === 0, vd.join("\n"));
	await page.keyboard.press("Escape");
	const focus = await page.evaluate(() => document.activeElement.matches("details[data-menu] > summary"));
	check(`${L}: Escape closes it and gives the focus back to its button`, !(await state()) && focus &&
	    await expanded(page, cdp, sum) === false);
	// Keyboard: Enter on the button opens it, Tab goes into the list, Escape comes back.
	await page.keyboard.press("Enter");
	await page.keyboard.press("Tab");
	const first = await page.evaluate(() => document.activeElement.closest("details[data-menu] nav") !== null);
	check(`${L}: Enter opens it and Tab reaches its first section`, await state() && first);
	await page.keyboard.press("Escape");
	check(`${L}: Escape from a section closes it`, !(await state()) &&
	    await page.evaluate(() => document.activeElement.matches("details[data-menu] > summary")));
	await page.locator(sum).click();
	await page.mouse.click(PHONE.width / 2, PHONE.height - 10); // below the open panel
	check(`${L}: a tap elsewhere closes it`, !(await state()));
	// The language list open: its links are targets too, and opening it closes the menu.
	await page.locator(sum).click();
	await page.locator("details.lang-switch > summary").click();
	const langOpen = await page.evaluate(() => document.querySelector("details.lang-switch").open);
	const small2 = await smallTargets(page, ["details.lang-switch"]);
	check(`${L}: the language list opens, closing the menu, with ${TAP} px targets`,
	    langOpen && !(await state()) && small2.length === 0, small2.join("\n"));
	await page.keyboard.press("Escape");
	const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	check(`${L}: the page does not scroll sideways`, wide <= 0, `${wide} px`);
	await page.locator("#site-q").fill("assessment");
	await Promise.all([page.waitForURL((u) => u.pathname === "/en/library/"), page.locator("#site-q").press("Enter")]);
	check(`${L}: the header's search submits to the library`, new URL(page.url()).searchParams.get("q") === "assessment", page.url());
	check(`${L}: no script error`, errors.length === 0, errors.join("\n"));
	await ctx.close();
}

async function brand(browser, base, root) {
	const { ctx, page } = await tab(browser, DESKTOP);
	const yaml = fs.existsSync(path.join(root, "..", "site.yaml")) ?
	    fs.readFileSync(path.join(root, "..", "site.yaml"), "utf8") : "";
	const want = (/^brand_color:\s*"(#[0-9a-fA-F]{6})"/m.exec(yaml) || [])[1];
	await page.goto(base + "/en/");
	const got = await page.evaluate(() => {
		const img = document.querySelector(".site-name img");
		return {
			bg: getComputedStyle(document.querySelector(".brand-bar")).backgroundColor,
			logo: img ? img.complete && img.naturalWidth > 0 : false,
			nav: getComputedStyle(document.querySelector("nav.site-nav")).display,
			menu: getComputedStyle(document.querySelector("details[data-menu]")).display,
		};
	});
	const rgb = want ? `rgb(${parseInt(want.slice(1, 3), 16)}, ${parseInt(want.slice(3, 5), 16)}, ${parseInt(want.slice(5, 7), 16)})` : null;
	check("desktop 1280 header: site.yaml's brand colour and logo", want && got.bg === rgb && got.logo,
	    `want ${rgb}, ${JSON.stringify(got)}`);
	check("desktop 1280 header: the sections in a row, no menu button", got.nav !== "none" && got.menu === "none",
	    JSON.stringify(got));
	const small = await smallTargets(page, [".site-header", ".site-footer"]);
	check(`desktop 1280 header and footer targets are ${TAP} px or more`, small.length === 0, small.join("\n"));
	// "Languages" names the languages facet; the list of the site's languages is named otherwise.
	const heads = await page.evaluate(() => [...document.querySelectorAll("main :is(h1, h2, h3):not(.entry-title)")].map((h) => h.textContent.trim()));
	const dup = heads.filter((h, i) => heads.indexOf(h) !== i);
	check("the home page has no heading twice (\"Languages\")", dup.length === 0, dup.join(", "));
	// The featured and the latest resources are the same cards.
	const cards = await page.evaluate(() => ["section.featured", "section.latest"].map((s) => {
		const li = document.querySelector(`${s} li`);
		if (!li)
			return null;
		const cs = getComputedStyle(li);
		return `${li.className}|${cs.borderTopWidth}|${cs.borderRadius}|${cs.paddingTop}|${li.querySelector("h3") ? "h3" : "-"}`;
	}));
	check("home: featured and latest resources are cards of one style", cards[0] && cards[0] === cards[1],
	    JSON.stringify(cards));
	await ctx.close();
}

async function contents(browser, base, url) {
	{
		const { ctx, page } = await tab(browser, PHONE);
		const L = `phone 390 contents ${url}`;
		await page.goto(base + url);
		const g = await page.evaluate(() => {
			const toc = document.querySelector("details[data-toc]");
			const s = toc.querySelector("summary").getBoundingClientRect();
			const text = document.querySelector(".content").getBoundingClientRect();
			return { open: toc.open, h: s.height, above: toc.getBoundingClientRect().bottom <= text.top, links: toc.querySelectorAll("a").length };
		});
		check(`${L}: closed, one line, above the text`, !g.open && g.h >= TAP - 0.5 && g.h < 64 && g.above, JSON.stringify(g));
		await page.locator("details[data-toc] > summary").click();
		const second = page.locator("details[data-toc] nav a").nth(1);
		check(`${L}: opens in place`, await second.isVisible());
		const small = await smallTargets(page, ["details[data-toc]"]);
		check(`${L}: its links are ${TAP} px targets`, small.length === 0, small.join("\n"));
		const href = await second.getAttribute("href");
		await second.click();
		await page.waitForFunction((h) => location.hash === h, href, { timeout: 3000 }).catch(() => {});
		const at = await page.evaluate((h) => {
			const el = document.getElementById(decodeURIComponent(h.slice(1)));
			return { open: document.querySelector("details[data-toc]").open, top: el ? el.getBoundingClientRect().top : null };
		}, href);
		check(`${L}: choosing a heading closes it and shows the heading`, !at.open && at.top !== null && at.top >= -1 && at.top < 200,
		    JSON.stringify(at));
		await ctx.close();
	}
	{
		const { ctx, page } = await tab(browser, DESKTOP);
		const L = `desktop 1280 contents ${url}`;
		await page.goto(base + url);
		const where = () => page.evaluate(() => {
			const toc = document.querySelector("details[data-toc]").getBoundingClientRect();
			const text = document.querySelector(".content").getBoundingClientRect();
			const rtl = document.dir === "rtl";
			return { open: document.querySelector("details[data-toc]").open, beside: rtl ? toc.right <= text.left : toc.left >= text.right,
			    top: toc.top, bottom: toc.bottom, vh: innerHeight };
		});
		const a = await where();
		check(`${L}: open beside the text`, a.open && a.beside, JSON.stringify(a));
		await page.screenshot({ path: path.join(SHOTS, "header-desktop-contents.png") });
		await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
		const b = await where();
		check(`${L}: still in view half way down`, b.top >= 0 && b.top < b.vh && b.beside, JSON.stringify(b));
		await page.waitForTimeout(200);
		const spy = await page.evaluate(() => {
			const on = [...document.querySelectorAll("details[data-toc] a[aria-current]")];
			const h = on.length === 1 ? document.getElementById(decodeURIComponent(on[0].hash.slice(1))) : null;
			return { n: on.length, passed: h ? h.getBoundingClientRect().top <= innerHeight / 3 : false };
		});
		check(`${L}: marks the heading being read`, spy.n === 1 && spy.passed, JSON.stringify(spy));
		const v = await axe(page, false);
		check(`${L}: axe finds nothing`, v.length === 0, v.join("\n"));
		await ctx.close();
	}
}

async function checklist(browser, base, url) {
	const { ctx, page, errors } = await tab(browser, PHONE);
	const L = `phone 390 checklist ${url}`;
	await page.goto(base + url);
	const boxes = page.locator(".content label > input[type=checkbox]");
	const n = await boxes.count();
	const enabled = await page.evaluate(() => [...document.querySelectorAll(".content label > input[type=checkbox]")].every((b) => !b.disabled));
	check(`${L}: ${n} boxes, every one can be ticked`, n >= 2 && enabled);
	const named = await page.evaluate(() => [...document.querySelectorAll(".content input[type=checkbox]")].every((b) => b.labels.length === 1 && b.labels[0].textContent.trim().length > 0));
	check(`${L}: every box is labelled by its line`, named);
	// By keyboard: focus the second box, Space ticks it.
	await boxes.nth(1).focus();
	await page.keyboard.press("Space");
	await boxes.nth(0).click();
	await boxes.nth(0).click(); // ticked then unticked again
	const ticked = async () => page.evaluate(() => [...document.querySelectorAll(".content label > input[type=checkbox]")].map((b) => b.checked));
	const t1 = await ticked();
	check(`${L}: Space ticks a box`, t1[1] === true && t1[0] === false, JSON.stringify(t1));
	await page.reload();
	const t2 = await ticked();
	check(`${L}: the tick is still there after a reload, and only it`, JSON.stringify(t1) === JSON.stringify(t2), JSON.stringify(t2));
	const tools = page.locator("[data-checklist-tools]");
	check(`${L}: print-with-ticks and clear buttons are offered`, await tools.isVisible() &&
	    await page.locator("[data-print-ticks]").isVisible() && await page.locator("[data-reset-ticks]").isVisible());
	const small = await smallTargets(page, ["[data-checklist-tools]", ".content li:has(> label)", ".content li:has(> p > label)"]);
	check(`${L}: buttons and checklist lines are ${TAP} px targets`, small.length === 0, small.join("\n"));
	await page.emulateMedia({ media: "print" });
	const pr = await page.evaluate(() => ({
		tools: getComputedStyle(document.querySelector(".print-row")).display,
		header: getComputedStyle(document.querySelector(".site-header")).display,
		box: getComputedStyle(document.querySelectorAll(".content label > input[type=checkbox]")[1]).display,
		ticked: document.querySelectorAll(".content label > input[type=checkbox]")[1].checked,
	}));
	check(`${L}: print shows the ticks, not the buttons or the header`, pr.tools === "none" && pr.header === "none" &&
	    pr.box !== "none" && pr.ticked, JSON.stringify(pr));
	await page.pdf({ path: path.join(SHOTS, "header-checklist-print.pdf") });
	await page.emulateMedia({ media: "screen" });
	await page.locator("[data-reset-ticks]").click();
	const t3 = await ticked();
	const said = await page.locator("[data-ticks-status]").textContent();
	check(`${L}: "clear" unticks every box and says so`, t3.every((x) => !x) && said.trim().length > 0, JSON.stringify(t3));
	await page.reload();
	const t4 = await ticked();
	check(`${L}: and they stay clear after a reload`, t4.every((x) => !x), JSON.stringify(t4));
	check(`${L}: no script error`, errors.length === 0, errors.join("\n"));
	await ctx.close();
	// Without JavaScript the boxes are still there, and printable.
	const nojs = await tab(browser, PHONE, { javaScriptEnabled: false });
	await nojs.page.goto(base + url);
	const shown = await nojs.page.locator(".content label > input[type=checkbox]").count();
	check(`${L}: without script the boxes are shown`, shown === n && await nojs.page.locator(".content label > input[type=checkbox]").first().isVisible());
	await nojs.ctx.close();
}

async function tables(browser, base, url) {
	const { ctx, page } = await tab(browser, PHONE);
	const L = `phone 390 table ${url}`;
	await page.goto(base + url);
	const r = await page.evaluate(() => {
		const t = document.querySelector(".content table");
		const w = t.closest(".table-wrap");
		const cells = [...document.querySelectorAll(".content :is(td, th)")];
		// A word broken across lines has more than one line box.
		const broken = cells.filter((c) => {
			const walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
			for (let n = walk.nextNode(); n; n = walk.nextNode()) {
				for (const m of n.data.matchAll(/\S+/g)) {
					const range = document.createRange();
					range.setStart(n, m.index);
					range.setEnd(n, m.index + m[0].length);
					const tops = new Set([...range.getClientRects()].map((q) => Math.round(q.top)));
					if (tops.size > 1)
						return true;
				}
			}
			return false;
		}).map((c) => c.textContent.trim().slice(0, 30));
		return { wrap: !!w, tab: w ? w.tabIndex : null, broken, wrapW: w ? w.clientWidth : 0, pageW: document.documentElement.clientWidth };
	});
	check(`${L}: no word broken in a cell`, r.broken.length === 0, r.broken.join(" | "));
	check(`${L}: the table scrolls in a focusable box, not the page`, r.wrap && r.tab === 0 && r.wrapW <= r.pageW, JSON.stringify(r));
	await ctx.close();
}

async function fallbacks(browser, base, url) {
	const { ctx, page } = await tab(browser, PHONE);
	const L = `phone 390 fallbacks ${url}`;
	await page.goto(base + url);
	const r = await page.evaluate(() => [...document.querySelectorAll(".entry-fallback")].map((li) => {
		const t = li.querySelector(".entry-title");
		const s = li.querySelector(".entry-summary");
		const side = (el) => {
			const range = document.createRange();
			range.selectNodeContents(el);
			const line = range.getClientRects()[0];
			const box = el.getBoundingClientRect();
			return line ? (Math.abs(line.left - box.left) < 2 ? "left" : Math.abs(line.right - box.right) < 2 ? "right" : "middle") : null;
		};
		return { title: side(t), summary: s ? side(s) : null, dir: getComputedStyle(t).direction };
	}));
	const bad = r.filter((x) => x.summary && x.title !== x.summary);
	check(`${L}: a card's title and summary start on the same side`, r.length > 0 && bad.length === 0, JSON.stringify(bad.length ? bad : r));
	await ctx.close();
}

async function main() {
	const root = path.resolve(process.argv[2] || "");
	if (!process.argv[2] || !fs.existsSync(path.join(root, "en", "index.html"))) {
		console.error("usage: node header.mjs PUBLIC_DIR (the demo hub, built)");
		process.exit(2);
	}
	fs.mkdirSync(SHOTS, { recursive: true });
	const guide = find(root, "en", (h) => h.includes("data-toc") && h.includes('class="page page-guidance"'));
	const tool = find(root, "en", (h) => h.includes('class="page page-tool"') && h.includes('type="checkbox"') && h.includes("<table"));
	const withTables = ["en", "bg"].flatMap((c) => htmlFiles(path.join(root, c))
		.filter((f) => /<div class="content">[^]*<table/.test(fs.readFileSync(f, "utf8")))
		.map((f) => "/" + path.relative(root, path.dirname(f)).split(path.sep).join("/") + "/")).sort();
	const arList = find(root, "ar", (h) => h.includes("entry-fallback") && h.includes("entry-summary"));
	check("the demo has a guide with contents, a tool with a checklist and a table, an Arabic listing of fallbacks",
	    guide && tool && arList, JSON.stringify({ guide, tool, arList }));
	const server = await serve(root);
	const base = `http://127.0.0.1:${server.address().port}`;
	const browser = await chromium.launch({ executablePath: CHROMIUM,
	    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
	try {
		for (const [name, f] of [["menu", () => phoneMenu(browser, base)], ["brand", () => brand(browser, base, root)],
		    ["contents", () => guide && contents(browser, base, guide)], ["checklist", () => tool && checklist(browser, base, tool)],
		    ["tables", async () => { for (const u of withTables) await tables(browser, base, u); }], ["fallbacks", () => arList && fallbacks(browser, base, arList)]]) {
			try {
				await f();
			} catch (e) {
				check(`${name} runs`, false, String(e && e.stack || e));
			}
		}
	} finally {
		await browser.close();
		server.close();
	}
	console.log(`header.mjs: ${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

main().catch((e) => {
	console.log(`FAIL ${e && e.stack || e}`);
	console.log("header.mjs: 0 passed, 1 failed");
	process.exit(1);
});
