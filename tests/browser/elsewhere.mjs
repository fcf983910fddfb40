// elsewhere.mjs: Markdown written for GitHub, as a reader's browser sees it (issue 14), on the
// built tests/fixtures/elsewhere site.
//
// Usage: node tests/browser/elsewhere.mjs PUBLIC_DIR
//
// Every request the page makes is seen; those to any host but the test's server are answered
// here (an empty page), never by the network. Until the reader clicks, the guide asks nothing
// of any other host (no YouTube, no Vimeo, no thumbnail). A click on the YouTube placeholder puts
// a player in its place from youtube-nocookie.com, the Vimeo one from player.vimeo.com with
// dnt=1, each focused and titled; then the only other host asked is that player's. Without
// script the placeholder is a plain link to the video. axe-core finds nothing on the page in
// light and dark (callouts' contrast included). Screenshots of the callouts and the video
// placeholder, phone light and dark and desktop, go to SATCHEL_SHOTS. Prints "ok ..." /
// "FAIL ..." lines and "elsewhere.mjs: N passed, N failed".

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
const YT = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1";
const VIMEO = "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1";

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

// A tab whose requests to other hosts are noted in outside and answered with an empty page.
async function tab(browser, base, vp, extra = {}) {
	const ctx = await browser.newContext({ viewport: { width: vp.width, height: vp.height },
	    isMobile: vp.isMobile, hasTouch: vp.hasTouch, locale: "en-GB", ...extra });
	const outside = [];
	await ctx.route("**/*", (route) => {
		const u = route.request().url();
		if (u.startsWith(base + "/"))
			return route.continue();
		outside.push(u);
		return route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>x</title>" });
	});
	const page = await ctx.newPage();
	const errors = [];
	page.on("pageerror", (e) => errors.push(String(e)));
	return { ctx, page, outside, errors };
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

async function shots(browser, base, vp, name) {
	for (const dark of [false, true]) {
		const { ctx, page } = await tab(browser, base, vp, { colorScheme: dark ? "dark" : "light" });
		await page.goto(base + "/en/guide/");
		const scheme = dark ? "dark" : "light";
		await page.locator(".callout-note").scrollIntoViewIfNeeded();
		await page.screenshot({ path: path.join(SHOTS, `14-markdown-alerts-${name}-${scheme}.png`) });
		await page.locator(".video-embed").first().scrollIntoViewIfNeeded();
		await page.screenshot({ path: path.join(SHOTS, `14-markdown-video-${name}-${scheme}.png`) });
		await ctx.close();
	}
}

async function main() {
	const root = path.resolve(process.argv[2] || "public");
	const server = await serve(root);
	const base = `http://127.0.0.1:${server.address().port}`;
	const browser = await chromium.launch({ executablePath: CHROMIUM,
	    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
	try {
		// The oracle first: a page that does load a thumbnail from YouTube is seen doing it.
		{
			const { ctx, page, outside } = await tab(browser, base, PHONE);
			await page.goto(base + "/en/guide/");
			await page.evaluate(() => { const i = new Image(); i.src = "https://img.youtube.com/vi/x/0.jpg"; document.body.append(i); });
			await page.waitForTimeout(300);
			check("a request to another host is seen (the check can fail)", outside.some((u) => u.includes("img.youtube.com")), outside.join("\n"));
			await ctx.close();
		}

		const { ctx, page, outside, errors } = await tab(browser, base, PHONE);
		await page.goto(base + "/en/guide/", { waitUntil: "load" });
		await page.waitForTimeout(500);
		check("before a click, nothing is asked of another host", outside.length === 0, outside.join("\n"));
		check("two placeholders, each a link", await page.locator(".video-embed > a.video-embed-link[href]").count() === 2);
		check("five callouts", await page.locator(".callout[role=note] > .callout-title").count() === 5);
		const v = await axe(page, false);
		check("axe finds nothing (light)", v.length === 0, v.join("\n"));
		const vd = await axe(page, true);
		check("axe finds nothing (dark)", vd.length === 0, vd.join("\n"));

		await page.locator('.video-embed[data-provider="youtube"] .video-embed-link').click();
		const yt = page.locator('.video-embed[data-provider="youtube"] iframe');
		await yt.waitFor({ timeout: 5000 });
		check("a click puts the YouTube player in the link's place, from youtube-nocookie.com", await yt.getAttribute("src") === YT, await yt.getAttribute("src"));
		check("... titled as the link was", await yt.getAttribute("title") === "How to apply for support", await yt.getAttribute("title"));
		check("... and focused", await page.evaluate(() => document.activeElement && document.activeElement.tagName === "IFRAME"));
		check("... the link gone", await page.locator('.video-embed[data-provider="youtube"] a').count() === 0);
		await page.waitForTimeout(300);
		check("only the player's host was asked", outside.length > 0 && outside.every((u) => u.startsWith("https://www.youtube-nocookie.com/embed/")), outside.join("\n"));
		await page.locator('.video-embed[data-provider="vimeo"] .video-embed-link').click();
		const vm = page.locator('.video-embed[data-provider="vimeo"] iframe');
		await vm.waitFor({ timeout: 5000 });
		check("the Vimeo player comes from player.vimeo.com with dnt=1", await vm.getAttribute("src") === VIMEO, await vm.getAttribute("src"));
		check("no script errors", errors.length === 0, errors.join("\n"));
		await ctx.close();

		// A forged placeholder (an id not of YouTube's form) stays a link.
		{
			const t = await tab(browser, base, PHONE);
			await t.page.goto(base + "/en/guide/");
			await t.page.evaluate(() => document.querySelector('.video-embed[data-provider="youtube"]').setAttribute("data-id", "x\" onload=\"alert(1)"));
			await t.page.locator('.video-embed[data-provider="youtube"] .video-embed-link').click();
			await t.page.waitForTimeout(500);
			check("an id not of the provider's form makes no player", await t.page.locator("iframe").count() === 0);
			await t.ctx.close();
		}

		// Without script: a link to the video.
		{
			const t = await tab(browser, base, PHONE, { javaScriptEnabled: false });
			await t.page.goto(base + "/en/guide/");
			check("without script, nothing is asked of another host either", t.outside.length === 0, t.outside.join("\n"));
			await Promise.all([t.page.waitForNavigation(), t.page.locator('.video-embed[data-provider="youtube"] a').click()]);
			check("... and the placeholder is a link to the video", t.outside.includes("https://www.youtube.com/watch?v=dQw4w9WgXcQ"), t.outside.join("\n"));
			await t.ctx.close();
		}

		await shots(browser, base, PHONE, "phone");
		await shots(browser, base, DESKTOP, "desktop");
	} catch (e) {
		check("runs", false, String(e && e.stack || e));
	} finally {
		await browser.close();
		server.close();
	}
	console.log(`elsewhere.mjs: ${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

main();
