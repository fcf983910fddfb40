// cms-hosted.mjs: the content editor (/admin/) set up for a hosted backend (GitHub, GitLab,
// Gitea/Forgejo, git-gateway), in headless Chromium, without reaching any forge
// (tests/e2e/test_cms_hosted.sh builds one site per backend).
//
// Usage: node tests/browser/cms-hosted.mjs CASES.json
//   CASES.json: [{"name": "github", "public": "/path/to/public", "backend": {"name": "github",
//   "repo": ..., "base_url": ..., "api_root": ..., "app_id": ...}, "login": "GitHub"}, ...]
//
// Each site is opened as https://hub.test/, its files answered from the folder by a route of the
// browser (no server, no certificate): an https address that is not loopback, as on the real
// host, so admin.js does not ask for satchel serve's local backend, and Decap's PKCE login, which
// refuses plain http anywhere but localhost, runs. Checks: the
// configuration names the backend's keys; Decap shows the backend's login button and no
// configuration error; no request goes to any other host before the click; the click goes to
// the configured forge address (GitHub: a window on base_url/auth?provider=github; GitLab and
// Gitea: PKCE, the page itself to base_url's authorize endpoint with the app id, S256 and the
// /admin/ address to come back to). Every request to another host is answered here by a route
// and recorded; none reaches the network. Prints "ok"/"FAIL" lines and ends with
// "cms-hosted.mjs: N passed, N failed".

import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { check, finish } from "./checks.mjs";

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
	".yml": "text/yaml; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json", ".svg": "image/svg+xml",
	".png": "image/png", ".webp": "image/webp", ".txt": "text/plain; charset=utf-8" };
// The answer for a path of the site: a file of root, a folder's index.html, else 404.
function answer(root, pathname) {
	let file = path.join(root, decodeURIComponent(pathname));
	if (file !== root && !file.startsWith(root + path.sep)) return { status: 403, body: "" };
	const st = fs.statSync(file, { throwIfNoEntry: false });
	if (st && st.isDirectory()) file = path.join(file, "index.html");
	if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return { status: 404, contentType: "text/plain", body: "not found\n" };
	return { status: 200, contentType: TYPES[path.extname(file)] || "application/octet-stream", body: fs.readFileSync(file) };
}

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SATCHEL_SHOTS || "/tmp/satchel-shots";
const HOST = "hub.test";
const cases = JSON.parse(fs.readFileSync(process.argv[2] || "", "utf8"));

// hosted.js in the real Decap (test_cms_hosted.sh writes /admin/h/ with it and /admin/h0/
// without): a hand-written page (alpha/index.md + index.bg.md) is listed with its English
// title; without hosted.js Decap does not show the page's English (the control). (Opening the
// entry here stops with "Cannot destructure property 'name' of 't'" inside Decap, cause not yet
// traced; reads and saves are checked against a fake forge in hosted-unit.mjs instead.)
async function mapping(ctx, origin, n) {
	for (const [dir, wrapped] of [["h", true], ["h0", false]]) {
		const page = await ctx.newPage();
		const errs = [];
		page.on("pageerror", (e) => errs.push(String(e)));
		const tag = wrapped ? "with hosted.js" : "without hosted.js (control)";
		try {
			await page.goto(`${origin}/admin/${dir}/#/collections/guidance`);
			const login = page.getByRole("button", { name: /^Login\b/ });
			await Promise.race([login.waitFor({ timeout: 20000 }), page.getByText("Guidance").first().waitFor({ timeout: 20000 })]);
			if (await login.count()) await login.click();
			await page.getByText("Guidance").first().waitFor({ timeout: 20000 });
			await page.waitForTimeout(1500);
			const listed = await page.getByText("Alpha in English").count();
			if (!wrapped) {
				check(`${n}: ${tag}: Decap does not list the index.md page by its English title`, listed === 0, `${listed}`);
				continue;
			}
			check(`${n}: ${tag}: the index.md page is listed by its English title`, listed > 0);
			await page.screenshot({ path: path.join(SHOTS, "cms-hosted-mapping.png") });
		} catch (e) {
			check(`${n}: ${tag}: runs`, false, `${e && e.stack || e}\n${errs.join("\n")}`);
		} finally {
			await page.close();
		}
	}
}

for (const c of cases) {
	const origin = `https://${HOST}`;
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu"] });
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
	const outside = [], errors = [];
	let clicked = false;
	await ctx.route((u) => u.href.startsWith(origin + "/"), (route) =>
		route.fulfill(answer(c.public, new URL(route.request().url()).pathname)));
	// Every request to another host is recorded and answered here.
	await ctx.route((u) => !u.href.startsWith(origin + "/"), (route) => {
		const r = route.request();
		outside.push({ url: r.url(), method: r.method(), afterClick: clicked });
		route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>forge</title><p>forge login</p>" });
	});
	const page = await ctx.newPage();
	page.on("pageerror", (e) => errors.push(String(e)));
	page.on("console", (m) => { if (m.type() === "error" && !/status of 404/.test(m.text())) errors.push(m.text()); });
	const n = c.name;
	const forge = c.base_url || c.backend.base_url;
	try {
		const cfg = fs.readFileSync(path.join(c.public, "admin/config.yml"), "utf8");
		for (const [k, v] of Object.entries(c.backend)) {
			const re = new RegExp(`^\\s+${k}: ["']?${v.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}["']?\\s*$`, "m");
			check(`${n}: config.yml has backend ${k}: ${v}`, re.test(cfg), cfg.split("\n").slice(0, 12).join("\n"));
		}
		if (c.workflow) check(`${n}: config.yml asks for the editorial workflow`, /^publish_mode: editorial_workflow\s*$/m.test(cfg), cfg);
		if (c.mapping) await mapping(ctx, origin, n);
		await page.goto(`${origin}/admin/`);
		const login = page.getByRole("button", { name: c.login });
		await login.waitFor({ timeout: 20000 });
		check(`${n}: Decap shows its login button (${c.login})`, await login.isVisible());
		check(`${n}: no configuration error`, await page.getByText(/Error loading the CMS configuration|Config Errors/).count() === 0);
		await page.waitForTimeout(500);
		check(`${n}: no request to another host before the click`, outside.length === 0, JSON.stringify(outside));
		check(`${n}: no script error`, errors.length === 0, errors.join("\n"));
		await page.screenshot({ path: path.join(SHOTS, `cms-hosted-${n}.png`) });
		if (!c.click) continue;
		clicked = true;
		if (c.click === "popup") {
			const [popup] = await Promise.all([ctx.waitForEvent("page", { timeout: 10000 }), login.click()]);
			await popup.waitForLoadState().catch(() => {});
			const u = new URL(popup.url());
			check(`${n}: the click opens a window on base_url/auth (${u.origin}${u.pathname})`,
				`${u.origin}${u.pathname}` === `${forge}/auth`, popup.url());
			check(`${n}: asking GitHub for the repo scope, this site named`, u.searchParams.get("provider") === "github" &&
				u.searchParams.get("scope") === "repo" && u.searchParams.get("site_id") === HOST, popup.url());
		} else {
			await login.click();
			await page.waitForURL((u) => u.origin !== origin, { timeout: 10000 }).catch((e) => { throw new Error(`${e}\nurl ${page.url()}\nerrors ${errors.join("\n")}\noutside ${JSON.stringify(outside)}`); });
			const u = new URL(page.url());
			check(`${n}: the click goes to base_url's authorize page (${u.origin}${u.pathname})`,
				`${u.origin}${u.pathname}` === `${forge}/${c.click}`, page.url());
			const q = u.searchParams;
			check(`${n}: with the app id`, q.get("client_id") === c.backend.app_id, page.url());
			check(`${n}: PKCE (a code, S256 challenge, a state)`, q.get("response_type") === "code" &&
				q.get("code_challenge_method") === "S256" && /^[A-Za-z0-9_-]{43}$/.test(q.get("code_challenge") || "") && !!q.get("state"), page.url());
			check(`${n}: coming back to /admin/ of this site`, q.get("redirect_uri") === `${origin}/admin/`, page.url());
		}
		const hosts = [...new Set(outside.map((o) => new URL(o.url).origin))];
		check(`${n}: after the click, only the forge was asked for (${hosts.join(" ")})`,
			hosts.length === 1 && hosts[0] === new URL(forge).origin, JSON.stringify(outside));
	} catch (e) {
		check(`${n}: the admin runs`, false, String(e && e.stack || e));
	} finally {
		await browser.close();
	}
}
finish("cms-hosted.mjs");
