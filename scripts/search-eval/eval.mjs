// eval.mjs: runs a query set against satchel's search UI and Pagefind's API over one built site,
// in headless Chromium, and writes what each returned and what each query downloaded.
//
//   node eval.mjs --site DIR --queries FILE.tsv --json OUT.json [--engines satchel,pagefind]
//
// DIR is a satchel build (Pagefind's index, if asked for, in DIR/pagefind/). This file serves DIR
// itself on 127.0.0.1, so that it sees every byte it sends: a response body goes out gzipped
// (level 6) when the browser accepts gzip and that makes it smaller, as a production server
// would send it; Pagefind's index files are gzipped already and go out as they are. What a query
// "fetched" is the sum of the body bytes sent while it ran (headers not counted); a 304 or a
// file the browser had cached counts nothing. Last-Modified and If-Modified-Since work as in
// python3 -m http.server.
//
// Each engine gets, per language, a fresh browser context: the first query there pays for the
// scripts and whatever else the search needs to start; the later ones run in the same page, as a
// visitor's next query would.
//   satchel: the first query opens /LANG/library/?q=QUERY; the later ones are typed into the
//     page's search box. Results are read when `ul[data-results]` has data-state="done" and
//     data-query equal to the query (SEARCH-FORMAT.md's DOM contract): the hrefs of
//     `li.result a.result-link` in order. A library page without that contract (the search before
//     issue 12) is read once the network is quiet: the first link of each `ul[data-results] > li`.
//     Bytes counted ("search"): everything under /LANG/search/ and the scripts the library page
//     loads that the language's home page does not (scripts every page loads are the theme's,
//     not the search's); the rest the library page loads (its HTML, CSS, facets.json, the
//     theme's script) is reported apart ("other").
//   pagefind: opens /LANG/ (so Pagefind picks the language from <html lang>), then in the page
//     imports /pagefind/pagefind.js, awaits pagefind.search(QUERY) and .data() of the first five
//     results, which is what Pagefind's default UI loads for its first page of results. Bytes
//     counted: everything under /pagefind/.
// recall@5: the share of the expected pages among the first five results. RR@5: 1/rank of the
// first expected page among the first five (0 if none is there); the mean of RR@5 is MRR@5.
// Both engines are scored on five results, since that is what Pagefind's UI loads.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { chromium } from "playwright-core";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
if (!args.site || !args.queries || !args.json) {
	console.error("usage: node eval.mjs --site DIR --queries FILE.tsv --json OUT.json [--engines satchel,pagefind]");
	process.exit(2);
}
const SITE = path.resolve(args.site);
const ENGINES = (args.engines || "satchel,pagefind").split(",").filter(Boolean);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const WAIT = Number(process.env.SEARCH_EVAL_WAIT || 30000); // ms for one query's results

// The query set: LANG <tab> QUERY <tab> EXPECTED URLS <tab> NOTE; # comments.
const queries = fs.readFileSync(args.queries, "utf8").split("\n")
	.filter((l) => l.trim() && !l.startsWith("#"))
	.map((l, i) => {
		const [lang, q, exp, note] = l.split("\t");
		if (!lang || !q || !exp) throw new Error(`${args.queries}: query ${i + 1} needs LANG, QUERY and EXPECTED`);
		return { lang, q, expected: exp.trim().split(/\s+/).map(norm), note: note || "" };
	});

// A page's path as both engines link it: no host, no #fragment, no index.html, decoded.
function norm(u) {
	let p;
	try { p = decodeURIComponent(new URL(u, "http://x/").pathname); } catch { p = u; }
	return p.replace(/index\.html$/, "");
}

// ---- the server ------------------------------------------------------------------------------
const TYPES = {
	".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript",
	".json": "application/json", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".avif": "image/avif",
	".gif": "image/gif", ".ico": "image/x-icon", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
	".vtt": "text/vtt", ".mp4": "video/mp4", ".webm": "video/webm", ".wasm": "application/wasm",
	".woff2": "font/woff2", ".pdf": "application/pdf",
};
let log = []; // {url, status, raw, sent} for every response since the last reset
const gzCache = new Map();
const server = http.createServer((req, res) => {
	const url = new URL(req.url, "http://x/");
	let rel;
	try { rel = decodeURIComponent(url.pathname); } catch { rel = url.pathname; }
	let file = path.join(SITE, path.normalize(rel));
	if (!file.startsWith(SITE)) { res.writeHead(403); res.end(); return; }
	let st = fs.statSync(file, { throwIfNoEntry: false });
	if (st && st.isDirectory()) {
		if (!url.pathname.endsWith("/")) {
			res.writeHead(301, { Location: url.pathname + "/" + url.search });
			res.end();
			log.push({ url: req.url, status: 301, raw: 0, sent: 0 });
			return;
		}
		file = path.join(file, "index.html");
		st = fs.statSync(file, { throwIfNoEntry: false });
	}
	let status = 200;
	if (!st || !st.isFile()) {
		status = 404;
		file = path.join(SITE, "404.html");
		st = fs.statSync(file, { throwIfNoEntry: false });
		if (!st) { res.writeHead(404); res.end(); log.push({ url: req.url, status, raw: 0, sent: 0 }); return; }
	}
	const mtime = new Date(Math.floor(st.mtimeMs / 1000) * 1000);
	const ims = req.headers["if-modified-since"];
	if (status === 200 && ims && new Date(ims) >= mtime) {
		res.writeHead(304, { "Last-Modified": mtime.toUTCString() });
		res.end();
		log.push({ url: req.url, status: 304, raw: 0, sent: 0 });
		return;
	}
	const body = fs.readFileSync(file);
	const headers = {
		"Content-Type": TYPES[path.extname(file).toLowerCase()] || "application/octet-stream",
		"Last-Modified": mtime.toUTCString(),
		"Vary": "Accept-Encoding",
	};
	let out = body;
	if (/\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
		let gz = gzCache.get(file);
		if (!gz) { gz = zlib.gzipSync(body, { level: 6 }); gzCache.set(file, gz); }
		if (gz.length < body.length) { out = gz; headers["Content-Encoding"] = "gzip"; }
	}
	headers["Content-Length"] = out.length;
	res.writeHead(status, headers);
	res.end(req.method === "HEAD" ? undefined : out);
	log.push({ url: req.url, status, raw: body.length, sent: req.method === "HEAD" ? 0 : out.length });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const BASE = `http://127.0.0.1:${server.address().port}`;

// ---- the runs --------------------------------------------------------------------------------
function takeLog() { const l = log; log = []; return l; }
function score(expected, got) {
	const top = got.slice(0, 5);
	const found = expected.filter((e) => top.includes(e)).length;
	const rank = top.findIndex((u) => expected.includes(u));
	return { recall: found / expected.length, rr: rank < 0 ? 0 : 1 / (rank + 1), rank: rank < 0 ? null : rank + 1 };
}
const sum = (l, f) => l.reduce((s, x) => s + (f(x) ? x.sent : 0), 0);

// Waits until no request of the page has been open for `quiet` ms.
function quietNetwork(page, quiet = 300, max = WAIT) {
	return new Promise((resolve) => {
		let open = 0, timer = null;
		const start = Date.now();
		const arm = () => {
			clearTimeout(timer);
			timer = setTimeout(() => (open === 0 || Date.now() - start > max ? done() : arm()), quiet);
		};
		const inc = () => { open++; arm(); };
		const dec = () => { open = Math.max(0, open - 1); arm(); };
		const done = () => { page.off("request", inc); page.off("requestfinished", dec); page.off("requestfailed", dec); resolve(); };
		page.on("request", inc); page.on("requestfinished", dec); page.on("requestfailed", dec);
		arm();
	});
}

const satchel = {
	async first(page, lang, q) {
		await page.goto(`${BASE}/${lang}/library/?q=${encodeURIComponent(q)}`);
		await page.waitForSelector("ul[data-results]", { state: "attached", timeout: WAIT });
		await quietNetwork(page);
		this.old = !(await page.$eval("ul[data-results]", (ul) => ul.hasAttribute("data-state")));
		return this.read(page, q);
	},
	async next(page, lang, q) {
		const box = "form input[type=search]";
		await page.fill(box, q);
		return this.read(page, q);
	},
	async read(page, q) {
		if (this.old) {
			await page.waitForTimeout(200); // library.js's 120 ms debounce
			await quietNetwork(page);
			return page.$$eval("ul[data-results] > li", (lis) => lis.map((li) => li.querySelector("a")?.href).filter(Boolean));
		}
		await page.waitForFunction((want) => {
			const ul = document.querySelector("ul[data-results]");
			return ul && ul.dataset.state === "done" && (ul.dataset.query || "").trim() === want;
		}, q.trim(), { timeout: WAIT, polling: 50 });
		const urls = await page.$$eval("ul[data-results] > li.result a.result-link", (as) => as.map((a) => a.href));
		await quietNetwork(page); // anything the results still pull in belongs to this query
		return urls;
	},
	isSearch: (lang) => (u) => u.startsWith(`/${lang}/search/`) ||
		(/\.m?js$/.test(u) && !(homeScripts[lang] || new Set()).has(u)),
};

const pagefind = {
	async first(page, lang, q) {
		await page.goto(`${BASE}/${lang}/`);
		await quietNetwork(page);
		takeLog(); // the page itself is not Pagefind's
		return this.next(page, lang, q);
	},
	async next(page, lang, q) {
		const urls = await page.evaluate(async (query) => {
			window.__pf = window.__pf || await import("/pagefind/pagefind.js");
			const r = await window.__pf.search(query);
			const data = await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
			return data.map((d) => d.url);
		}, q);
		await quietNetwork(page);
		return urls.map((u) => new URL(u, BASE).href);
	},
	isSearch: () => (u) => u.startsWith("/pagefind/"),
};

const browser = await chromium.launch({
	executablePath: CHROMIUM,
	args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const results = [];
let errors = 0;
const langs = [...new Set(queries.map((q) => q.lang))];
const homeScripts = {}; // lang -> the script paths /LANG/ loads
try {
	for (const lang of langs) {
		const context = await browser.newContext();
		const page = await context.newPage();
		takeLog();
		await page.goto(`${BASE}/${lang}/`);
		await quietNetwork(page);
		homeScripts[lang] = new Set(takeLog().map((x) => new URL(x.url, BASE).pathname).filter((p) => /\.m?js$/.test(p)));
		await context.close();
	}
	for (const engine of ENGINES) {
		const E = engine === "satchel" ? satchel : pagefind;
		for (const lang of langs) {
			const context = await browser.newContext();
			const page = await context.newPage();
			const pageErrors = [];
			page.on("pageerror", (e) => pageErrors.push(String(e)));
			let first = true, failed = 0, reopen = false;
			for (const qq of queries.filter((x) => x.lang === lang)) {
				takeLog();
				const t0 = Date.now();
				let got = [], error = null;
				if (failed >= 2) {
					// Two failures in a row: the page is broken; do not wait out every query.
					error = "skipped after two failures in a row";
					errors++;
				} else {
					try {
						// After a failure the next query opens the page again.
						got = (first || reopen ? await E.first(page, lang, qq.q) : await E.next(page, lang, qq.q)).map(norm);
						failed = 0;
						reopen = false;
					} catch (e) {
						error = String(e.message || e).split("\n")[0];
						errors++;
						failed++;
						reopen = true;
					}
				}
				const ms = Date.now() - t0;
				const l = takeLog();
				const isS = E.isSearch(lang);
				const paths = l.map((x) => ({ ...x, path: new URL(x.url, BASE).pathname }));
				results.push({
					engine, lang, q: qq.q, note: qq.note, expected: qq.expected, got: got.slice(0, 10),
					...score(qq.expected, got), first, ms, error,
					ui: engine === "satchel" ? (satchel.old ? "old" : "v1") : "api",
					bytes: sum(paths, (x) => isS(x.path)), raw: paths.filter((x) => isS(x.path)).reduce((s, x) => s + x.raw, 0),
					other: sum(paths, (x) => !isS(x.path)), files: paths.filter((x) => isS(x.path)).length,
					requests: paths.map((x) => [x.path, x.status, x.sent]),
				});
				const r = results[results.length - 1];
				console.error(`  ${engine} ${lang} ${JSON.stringify(qq.q)}: rank ${r.rank ?? "-"}, ` +
					`${(r.bytes / 1024).toFixed(1)} KB in ${r.files} files, ${ms} ms${error ? `, ERROR ${error}` : ""}`);
				first = false;
			}
			if (pageErrors.length) console.error(`  ${engine} ${lang}: page errors: ${pageErrors.slice(0, 3).join(" | ")}`);
			await context.close();
		}
	}
} finally {
	await browser.close();
	server.close();
}
fs.writeFileSync(args.json, JSON.stringify({ site: SITE, queries: args.queries, results }, null, 1) + "\n");
console.error(`eval.mjs: ${results.length} runs, ${errors} errors`);
// Failure is an engine that answered nothing at all; a query it got wrong is a result.
const dead = ENGINES.filter((e) => results.filter((r) => r.engine === e).every((r) => r.error));
if (dead.length) { console.error(`eval.mjs: no answer at all from ${dead.join(", ")}`); process.exit(1); }
