// cms.mjs: the content editor (Decap CMS at /admin/) against satchel serve's local backend, in
// headless Chromium.
//
// Usage: node tests/browser/cms.mjs SATCHEL SITE_DIR SLUG
//        node tests/browser/cms.mjs --url http://127.0.0.1:PORT/ SITE_DIR SLUG
//
// Starts `SATCHEL serve -s SITE_DIR -p 0` (or uses a server already running at --url: the
// decap-server harness the test was first written against), then, as an editor would:
// logs in to the local backend; creates a guidance page SLUG in English with an uploaded image
// and its description, fills its Bulgarian translation in the second pane and publishes; checks
// the preview serves the page at /en/guidance/SLUG/ and /bg/guidance/SLUG/ after the rebuild;
// tries to publish a child-made material without consent and a pseudonym and sees the refusal
// (in English and in Bulgarian) with no save sent; posts paths holding `..` straight to the
// backend and sees them refused; and checks that no request leaves the preview server.
// Screenshots of the admin in English and Bulgarian at 1280x900 and 390x844 go to
// $SATCHEL_SHOTS (default /tmp/satchel-shots) as cms-*.png. The files, the commits and
// `satchel check` are looked at by tests/e2e/test_cms_browser.sh.
//
// Decap's class names are generated (css-1abc-...); this test finds things by role, label,
// aria-label and the ids Decap gives a field (NAME-field-N), and the two i18n panes by
// react-split-pane's class (.Pane1, .Pane2). Decap's own words are taken from its locales
// (packages/decap-cms-locales/src/{en,bg}).
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM): playwright-core downloads nothing.

import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SATCHEL_SHOTS || "/tmp/satchel-shots";
const WAIT = 60000; // a rebuild under ASan on a loaded machine
const args = process.argv.slice(2);
const [satchel, site, slug] = args[0] === "--url" ? [null, args[2], args[3]] : args;
let passed = 0, failed = 0;
const ok = (name) => { passed++; console.log(`ok ${name}`); };
const fail = (name, detail) => { failed++; console.log(`FAIL ${name}${detail ? `: ${String(detail).split("\n")[0]}` : ""}`); };
const check = (name, good, detail) => (good ? ok(name) : fail(name, detail));
// step(name, fn): runs one part; an exception fails it and the test goes on with the next part.
async function step(name, fn) {
	try {
		await fn();
	} catch (e) {
		const lines = e.message.split("\n");
		fail(name, `${lines[0]} ${(lines.find((l) => /waiting for/.test(l)) || "").trim()}`);
	}
}

// Decap's words in its English and Bulgarian locales.
const UI = {
	en: { login: "Login", publish: "Publish", publishNow: "Publish now", saved: "Entry saved",
		missing: "Oops, you've missed a required field. Please complete before saving.",
		required: "is required", pattern: "didn't match the pattern", writing: "Writing in" },
	bg: { login: "Вход", publish: "Публикувай", publishNow: "Публикувай сега", saved: "Записът е запазен",
		missing: "Извинете, пропуснахте задължително поле. Моля, попълнете преди запазване.",
		required: "е задължително", pattern: "не съответства на модела", writing: "Писане на" },
};

function startServe() {
	return new Promise((resolve, reject) => {
		const proc = spawn(satchel, ["serve", "-s", site, "-p", "0"], { stdio: ["ignore", "pipe", "pipe"] });
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

const serve = satchel ? await startServe() : { proc: null, url: args[1] };
const base = serve.url;
const api = `${base}api/v1`;
const origin = new URL(base).origin;
const image = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures", "room.png");
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
const outside = [];
const errors = [];
let refusing = false; // while a test makes admin.js refuse a save
const saves = []; // the backend actions that write, as sent by the page

// newPage(lang, viewport): a page of a fresh context watching its requests.
async function newPage(viewport = { width: 1280, height: 900 }, mobile = false) {
	const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile, locale: "en-GB" });
	context.on("request", (r) => {
		const u = r.url();
		if (!u.startsWith(`${origin}/`) && !u.startsWith("data:") && !u.startsWith("blob:"))
			outside.push(u);
		if (u === api && r.method() === "POST") {
			const body = r.postData() || "";
			const m = body.match(/"action":"(\w+)"/);
			if (m && /^(persistEntry|persistMedia|deleteFile|deleteFiles)$/.test(m[1]))
				saves.push(JSON.parse(body));
		}
	});
	const page = await context.newPage();
	// Decap rejects its own save promise with nothing when a required field is missing
	// (persistEntry's validation): that "undefined" is not an error of the admin's.
	// A save refused by admin.js's preSave check rejects Decap's save promise too (seen as
	// "Object"): expected while a test makes it refuse.
	page.on("pageerror", (e) => { if (String(e) !== "undefined" && !refusing) errors.push(String(e)); });
	page.on("dialog", (d) => d.accept());
	return page;
}

// login(page, lang): opens /admin/?lang=LANG and logs in to the local backend.
async function login(page, lang) {
	await page.goto(`${base}admin/?lang=${lang}`);
	await page.getByRole("button", { name: UI[lang].login, exact: true }).click({ timeout: WAIT });
	await page.getByRole("link", { name: /guidance|насоки/i }).first().waitFor({ timeout: WAIT });
}

// pane(page, lang, code): the editor's pane writing in CODE (the left one is the default language).
const pane = (page, lang, code) =>
	page.locator(".Pane").filter({ has: page.getByRole("button", { name: `${UI[lang].writing} ${code.toUpperCase()}`, exact: true }) });
// field(scope, name): a field's control by Decap's id for it (NAME-field-N).
const field = (scope, name) => scope.locator(`[id^="${name}-field-"]`).first();
const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `cms-${name}.png`) });

fs.mkdirSync(SHOTS, { recursive: true });
const title = "Hearing rooms for children";
const titleBg = "Стаи за изслушване на деца";
const alt = "A bright room with a sofa, a low table and a big window";
const altBg = "Светла стая с диван, ниска масичка и голям прозорец";

// ---- Create a guidance page in English with its Bulgarian translation and an image.
const page = await newPage();
await step("the admin logs in to the local backend", async () => {
	await login(page, "en");
	ok("the admin logs in to the local backend");
	await page.getByRole("link", { name: "Guidance", exact: true }).first().click();
	await page.getByRole("link", { name: /^Create entry of type/ }).waitFor({ timeout: WAIT });
	check("the guidance collection lists the demo's pages (index.md read as the English file)",
		await page.getByRole("heading", { name: /Individual assessment/i }).count() > 0,
		await page.locator("main").innerText());
	check("a section's own _index page is not listed as an entry",
		(await page.locator('a[href*="/entries/_index"]').count()) === 0);
	await shot(page, "en-list-1280");
});

await step("the English and the Bulgarian panes are filled", async () => {
	await page.goto(`${base}admin/?lang=en#/collections/guidance/new`);
	const en = pane(page, "en", "en"), bg = pane(page, "en", "bg");
	await field(en, "title").fill(title, { timeout: WAIT });
	await field(en, "date").fill("2026-11-02");
	await en.locator('[aria-label="image field"]').getByRole("button").first().click();
	const dialog = page.getByRole("dialog");
	await dialog.locator('input[type="file"]').setInputFiles(image);
	await dialog.getByText("room.png").first().waitFor({ timeout: WAIT });
	await dialog.getByRole("button", { name: "Choose selected" }).click();
	await field(en, "image_alt").fill(alt);
	await en.locator('[aria-label="markdown field"] [role="textbox"]').click();
	await page.keyboard.type("Children are heard in a room that feels safe.");
	await field(bg, "title").fill(titleBg);
	check("the Bulgarian pane has no date of its own (a shared field)",
		(await bg.locator('[id^="date-field-"]:visible').count()) === 0);
	// (its description comes after the refusal below)
	await bg.locator('[aria-label="markdown field"] [role="textbox"]').click();
	await page.keyboard.type("Децата се изслушват в стая, в която се чувстват в безопасност.");
	await shot(page, "en-editor-1280");
	ok("the English and the Bulgarian panes are filled");
});

// An image needs its description in every language: admin.js refuses the save (Decap cannot make
// one field required by another), with satchel's message in the editor's language.
const altRequired = fs.readFileSync(new URL("../../themes/default/i18n/en.yaml", import.meta.url), "utf8")
	.match(/^cms\.image_alt_required: "(.*)"$/m)[1];
await step("a save with an image but no description is refused", async () => {
	const bg = pane(page, "en", "bg");
	const n = saves.length;
	refusing = true;
	await page.getByRole("button", { name: UI.en.publish, exact: true }).click();
	await page.getByRole("menuitem", { name: UI.en.publishNow }).click();
	const alert = page.getByRole("alert").filter({ hasText: altRequired.slice(0, 40) });
	await alert.first().waitFor({ timeout: WAIT });
	ok("a save with an image but no description is refused, saying why");
	check("the refusal names the language without one", (await alert.first().innerText()).includes("(bg)"),
		await alert.first().innerText());
	await page.waitForTimeout(500);
	check("and nothing is sent to the backend",
		!saves.slice(n).some((x) => x.action === "persistEntry"), JSON.stringify(saves.slice(n).map((x) => x.action)));
	await shot(page, "en-alt-refused-1280");
	await field(bg, "image_alt").fill(altBg);
	// the alert goes before the real save
	await page.getByRole("alert").first().waitFor({ state: "detached", timeout: 15000 }).catch(() => {});
	refusing = false;
});

await step("publishing saves the entry", async () => {
	const n = saves.length;
	await page.getByRole("button", { name: UI.en.publish, exact: true }).click();
	await page.getByRole("menuitem", { name: UI.en.publishNow }).click();
	await page.getByRole("alert").filter({ hasText: UI.en.saved }).waitFor({ timeout: WAIT });
	ok("publishing saves the entry");
	const persist = saves.slice(n).find((s) => s.action === "persistEntry");
	const filled = persist ? persist.params.dataFiles.filter((f) => f.raw.trim() !== "") : [];
	check("one save sends the English and the Bulgarian file and the image",
		filled.length === 2 && persist.params.assets.length === 1,
		JSON.stringify(filled.map((f) => f.path)));
	await page.waitForURL(/#\/collections\/guidance\/entries\//, { timeout: WAIT });
	check("the editor moves to the saved entry",
		page.url().includes(`entries/${slug}/index`), page.url());
});

// The preview rebuilds after the save and shows the page in both languages.
await step("the preview shows the new page", async () => {
	const view = await newPage();
	for (const [lang, text, altText] of [["en", title, alt], ["bg", titleBg, altBg]]) {
		const url = `${base}${lang}/guidance/${slug}/`;
		let status = 0;
		for (let t = 0; t < WAIT && status !== 200; t += 1000) {
			status = (await view.goto(url)).status();
			if (status !== 200)
				await view.waitForTimeout(1000);
		}
		check(`the preview serves ${lang}/guidance/${slug}/`, status === 200, status);
		check(`its heading is the ${lang} title`,
			(await view.getByRole("heading", { level: 1 }).first().innerText()).includes(text));
		// The guidance layout shows its image as the page's card (og:image), with the description.
		check(`its image has the ${lang} description`,
			(await view.locator(`meta[property="og:image:alt"][content="${altText}"]`).count()) > 0);
		check(`its image is the uploaded one, beside the page`,
			(await view.locator(`meta[property="og:image"][content$="/guidance/${slug}/room.png"]`).count()) > 0);
	}
	await view.context().close();
});

// ---- A second save changing only the Bulgarian text: the translation now follows the source's
// commit (translated_from, checked by test_cms_browser.sh), the English file stays as it is.
await step("a save of the translation alone", async () => {
	await page.goto(`${base}admin/?lang=en#/collections/guidance/entries/${slug}/index`);
	await page.reload();
	const bg = pane(page, "en", "bg");
	await field(bg, "title").waitFor({ timeout: WAIT });
	await field(bg, "title").fill(titleBg + " и младежи");
	const n = saves.length;
	await page.getByRole("button", { name: UI.en.publish, exact: true }).click();
	await page.getByRole("menuitem", { name: UI.en.publishNow }).click();
	await page.getByRole("alert").filter({ hasText: UI.en.saved }).waitFor({ timeout: WAIT });
	check("a save of the translation alone is sent", saves.slice(n).some((s) => s.action === "persistEntry"));
});

// ---- Reopen the saved entry: both languages come back from the files.
await step("the saved entry reopens with both languages", async () => {
	await page.goto(`${base}admin/?lang=en#/collections/guidance/entries/${slug}/index`);
	await page.reload();
	const en = pane(page, "en", "en"), bg = pane(page, "en", "bg");
	await field(en, "title").waitFor({ timeout: WAIT });
	check("the saved entry reopens with its English title", (await field(en, "title").inputValue()) === title);
	check("and its Bulgarian title", (await field(bg, "title").inputValue()) === titleBg + " и младежи");
});

// ---- A child-made material without consent is refused, with the reason, in both languages.
async function refuseWithoutConsent(lang, width, height) {
	const p = await newPage({ width, height }, width < 600);
	await login(p, lang);
	await p.goto(`${base}admin/?lang=${lang}#/collections/by-children/new`);
	const main = pane(p, lang, "en");
	await field(main, "title").fill("The room I would like", { timeout: WAIT });
	await field(main, "date").fill("2026-11-02");
	// The child's agreement switched on and off again: false, which the rule refuses.
	const child = field(main, "child");
	await child.click();
	await child.click();
	const n = saves.length;
	// By keyboard: at phone size Playwright's scroll to the switch leaves the top bar's button
	// moving under the pointer (the two language panes overflow the width; see below).
	const publish = p.getByRole("button", { name: UI[lang].publish, exact: true });
	await publish.focus();
	await publish.press("Enter");
	await p.getByRole("menuitem", { name: UI[lang].publishNow }).click();
	const alert = p.getByRole("alert").filter({ hasText: UI[lang].missing });
	await alert.waitFor({ timeout: WAIT });
	const tag = `${lang} ${width}`;
	ok(`${tag}: a child-made material without consent is refused`);
	// textContent: Decap shows the messages in capitals (text-transform), not so in the page.
	const messages = (await main.locator("ul li").allTextContents()).map((m) => m.toLowerCase());
	check(`${tag}: the refusal names the pseudonym`,
		messages.some((m) => /pseudonym|псевдоним/.test(m) && m.includes(UI[lang].required)), messages.join(" | "));
	check(`${tag}: the refusal says why consent is needed, in the editor's language`,
		messages.some((m) => m.includes(UI[lang].pattern) && (lang === "en" ? /consent/ : /съгласие/).test(m)),
		messages.join(" | "));
	await p.waitForTimeout(500);
	check(`${tag}: nothing is sent to the backend`, saves.length === n);
	await alert.scrollIntoViewIfNeeded();
	await p.locator('[aria-label="object field"]').first().scrollIntoViewIfNeeded().catch(() => {});
	await shot(p, `${lang}-consent-${width}`);
	await p.context().close();
}
for (const [lang, w, h] of [["en", 1280, 900], ["en", 390, 844], ["bg", 1280, 900], ["bg", 390, 844]])
	await step(`${lang} ${w}: consent refusal`, () => refuseWithoutConsent(lang, w, h));

// checkLayout(page, lang, width): the entry editor's panes. Decap puts the two languages side by
// side at every width; the theme's admin/admin.css stacks them below 48rem. On a phone the
// Bulgarian pane starts inside the window below the English one, the document does not scroll
// sideways and no control of the editor (top bar, view buttons, fields) lies beyond either edge;
// on a wide screen the panes are still side by side.
async function checkLayout(p, lang, w) {
	await p.waitForTimeout(500);
	const box = (code) => pane(p, lang, code).evaluate((e) => {
		const r = e.getBoundingClientRect();
		return { left: Math.round(r.left), right: Math.round(r.right), top: Math.round(r.top), bottom: Math.round(r.bottom) };
	});
	const en = await box("en"), bg = await box("bg");
	const doc = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
	const where = `en ${JSON.stringify(en)} bg ${JSON.stringify(bg)} document ${doc.scroll}/${doc.client}px`;
	if (w < 768) {
		check(`${lang} ${w}: the Bulgarian pane starts inside the window`, bg.left >= 0 && bg.left < w && bg.right <= w, where);
		check(`${lang} ${w}: the Bulgarian pane is below the English one`, bg.top >= en.bottom - 1, where);
		check(`${lang} ${w}: the document does not scroll sideways`, doc.scroll <= doc.client, where);
		const out = await p.evaluate((width) => [...document.querySelectorAll("#nc-root button, #nc-root [role=button], #nc-root a, #nc-root input, #nc-root textarea")]
			.filter((e) => e.checkVisibility() && e.getBoundingClientRect().width > 0)
			.filter((e) => { const r = e.getBoundingClientRect(); return r.left < -1 || r.right > width + 1; })
			.map((e) => `${e.tagName} "${(e.textContent || e.getAttribute("aria-label") || e.id || "").trim().slice(0, 30)}" ${Math.round(e.getBoundingClientRect().left)}..${Math.round(e.getBoundingClientRect().right)}`), w);
		check(`${lang} ${w}: no control of the editor lies beyond the window's edges`, out.length === 0, out.slice(0, 6).join("; "));
		await pane(p, lang, "bg").evaluate((e) => e.scrollIntoView());
		await shot(p, `${lang}-editor-${w}-bg-pane`);
	} else {
		check(`${lang} ${w}: the panes are side by side`, Math.abs(bg.top - en.top) <= 1 && bg.left >= en.right - 4 && bg.right <= w, where);
		check(`${lang} ${w}: the document does not scroll sideways`, doc.scroll <= doc.client, where);
	}
}

// ---- The Bulgarian admin: collection list and the editor with both languages, and phone size.
for (const [w, h] of [[1280, 900], [390, 844]]) {
	await step(`bg ${w}: the admin in Bulgarian`, async () => {
		const p = await newPage({ width: w, height: h }, w < 600);
		await login(p, "bg");
		await p.goto(`${base}admin/?lang=bg#/collections/guidance`);
		await p.getByRole("link", { name: /^Създай/ }).first().waitFor({ timeout: WAIT }).catch(() => {});
		check(`bg ${w}: Decap's own words are in Bulgarian`,
			(await p.getByRole("link", { name: "Съдържание" }).count()) > 0, await p.locator("body").innerText());
		await shot(p, `bg-list-${w}`);
		await p.goto(`${base}admin/?lang=bg#/collections/guidance/entries/${slug}/index`);
		await field(p.locator("body"), "title").waitFor({ timeout: WAIT });
		await shot(p, `bg-editor-${w}`);
		await checkLayout(p, "bg", w);
		await p.context().close();
	});
}
await step("en 390: the admin at phone size", async () => {
	const p = await newPage({ width: 390, height: 844 }, true);
	await login(p, "en");
	await p.goto(`${base}admin/?lang=en#/collections/guidance`);
	await p.waitForTimeout(1500);
	await shot(p, "en-list-390");
	await p.goto(`${base}admin/?lang=en#/collections/guidance/entries/${slug}/index`);
	await field(p.locator("body"), "title").waitFor({ timeout: WAIT });
	await shot(p, "en-editor-390");
	await checkLayout(p, "en", 390);
	await p.context().close();
});

// ---- Paths with `..` straight to the backend are refused.
await step("the backend refuses paths leaving the site", async () => {
	const post = (data) => page.request.post(api, { data, headers: { Origin: origin }, failOnStatusCode: false });
	const cases = [
		["persistEntry", { branch: "main", dataFiles: [{ path: "content/guidance/../../escaped.md", slug: "x", raw: "---\ntitle: x\n---\n" }],
			assets: [], options: { commitMessage: "escape" } }],
		["persistEntry", { branch: "main", dataFiles: [{ path: "../escaped.md", slug: "x", raw: "x" }],
			assets: [], options: { commitMessage: "escape" } }],
		["persistMedia", { branch: "main", asset: { path: "content/../../escaped.png", content: "aGk=", encoding: "base64" },
			options: { commitMessage: "escape" } }],
		["getEntry", { branch: "main", path: "content/../site.yaml" }],
		["getMediaFile", { branch: "main", path: "content/guidance/../../../etc/passwd" }],
		["deleteFile", { branch: "main", path: "content/../site.yaml", options: { commitMessage: "escape" } }],
		["entriesByFolder", { branch: "main", folder: "content/..", extension: "yaml", depth: 1 }],
	];
	for (const [action, params] of cases) {
		const r = await post({ action, params });
		const body = await r.text();
		check(`${action} with ${JSON.stringify(params.path || params.folder || (params.dataFiles || [params.asset])[0].path)} is refused`,
			r.status() >= 400 && r.status() < 500 && /"error"/.test(body), `${r.status()} ${body.slice(0, 200)}`);
	}
	check("nothing was written outside content/",
		!fs.existsSync(path.join(site, "escaped.md")) && !fs.existsSync(path.join(site, "..", "escaped.md")) &&
		!fs.existsSync(path.join(site, "escaped.png")));
	check("site.yaml is still there", fs.existsSync(path.join(site, "site.yaml")));
	// The oracle sees a good read: the same action with a path inside the site answers.
	const good = await post({ action: "getEntry", params: { branch: "main", path: `content/guidance/${slug}/index.en.md` } });
	check("a path inside the site is answered (the refusals above are about the path)", good.status() === 200,
		`${good.status()} ${(await good.text()).slice(0, 200)}`);
});

check("no request leaves the preview server", outside.length === 0, outside.join(" "));
check("no script error in the admin", errors.length === 0, errors.join(" | "));
await browser.close();
if (serve.proc) {
	const code = await stopServe(serve.proc);
	check("satchel serve stops cleanly", code === 0, `exit ${code}`);
}
console.log(`cms.mjs: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
