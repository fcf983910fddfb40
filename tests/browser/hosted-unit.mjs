// hosted-unit.mjs: themes/default/admin/hosted.js with plain node. A fake hosted backend keeps a
// repository in memory and answers the Decap implementation calls hosted.js wraps
// (entriesByFolder, getEntry, persistEntry, deleteFiles, unpublishedEntry,
// unpublishedEntryDataFile); the checks show that the wrapped backend lists and reads
// DIR/index.md as DIR/index.en.md, writes it back to DIR/index.md, writes a new page as index.md,
// leaves translations, other files and pages that really are index.en.md alone, and that Decap's
// grouping (getLocaleFromPath + normalizeFilePath of Decap 3.16.3 i18n.ts, copied below) puts the
// page and its translation in one entry. The same checks on the unwrapped backend are run too and
// must fail (the oracle can see the problem).
//
// Usage: node tests/browser/hosted-unit.mjs [path/to/hosted.js]
// Prints "ok"/"FAIL" lines and ends with "hosted-unit.mjs: N passed, N failed"; exits 1 on a failure.

import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.resolve(process.argv[2] || path.join(here, "../../themes/default/admin/hosted.js"));
let passed = 0, failed = 0;
const check = (name, good, detail) => {
	if (good) {
		passed++;
		console.log(`ok ${name}`);
	} else {
		failed++;
		console.log(`FAIL ${name}${detail !== undefined ? `: ${JSON.stringify(detail)}` : ""}`);
	}
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const eq = (name, got, want) => check(name, same(got, want), { got, want });

const H = createRequire(import.meta.url)(file);

// Decap 3.16.3 packages/decap-cms-core/src/lib/i18n.ts, structure multiple_files.
const localeOf = (ext, p) => p.slice(0, -`.${ext}`.length).split(".").pop();
const normalize = (p, locale) => p.replace(`.${locale}`, "");
function group(entries, defaultLocale) {
	const groups = new Map();
	for (const e of entries) {
		const locale = localeOf("md", e.file.path);
		const key = normalize(e.file.path, locale);
		if (!groups.has(key)) groups.set(key, []);
		groups.get(key).push(locale);
	}
	return [...groups].map(([key, locales]) => ({ key, locales: locales.sort(), hasDefault: locales.includes(defaultLocale) }));
}

// A hosted backend over an in-memory repository, with the method shapes of Decap's github one.
const CURSOR = Symbol("cursor");
class FakeForge {
	constructor(files) {
		this.files = new Map(Object.entries(files));
		this.log = [];
		this.branch = new Map();
	}
	async entriesByFolder(folder, ext) {
		const out = [...this.files.keys()].filter((p) => p.startsWith(folder + "/") && p.endsWith("." + ext)).sort()
			.map((p) => ({ file: { path: p, id: "sha-" + p }, data: this.files.get(p) }));
		out[CURSOR] = "cursor-of-" + folder;
		return out;
	}
	async allEntriesByFolder(folder, ext) { return this.entriesByFolder(folder, ext); }
	async getEntry(p) {
		this.log.push(["read", p]);
		if (!this.files.has(p)) throw Object.assign(new Error("Not Found " + p), { status: 404 });
		return { file: { path: p, id: "sha-" + p }, data: this.files.get(p) };
	}
	async persistEntry(entry, opts) {
		for (const f of entry.dataFiles) {
			this.log.push(["write", f.path]);
			(opts && opts.useWorkflow ? this.branch : this.files).set(f.path, f.raw);
		}
	}
	async deleteFiles(paths) {
		for (const p of paths) { this.log.push(["delete", p]); this.files.delete(p); }
	}
	async unpublishedEntry() {
		return { slug: "a", collection: "guides", diffs: [...this.branch.keys()].map((p) => ({ path: p, id: "b-" + p, newFile: false })) };
	}
	async unpublishedEntryDataFile(collection, slug, p, id) {
		this.log.push(["readBranch", p, id]);
		if (this.branch.has(p)) return this.branch.get(p);
		if (this.files.has(p)) return this.files.get(p);
		throw new Error("Not Found " + p);
	}
}
const repo = () => ({
	"content/guides/a/index.md": "A en",
	"content/guides/a/index.bg.md": "A bg",
	"content/guides/a/photo.md": "not a page",
	"content/guides/b/index.en.md": "B en",
	"content/guides/b/index.bg.md": "B bg",
	"content/guides/c/index.md": "C plain",
	"content/guides/c/index.en.md": "C en",
	"content/guides/myindex.md": "not an index",
});

// ---- Pure path functions.
eq("toDefault: DIR/index.md", H.toDefault("content/guides/a/index.md", "en"), "content/guides/a/index.en.md");
eq("toDefault: index.md at the top", H.toDefault("index.md", "bg"), "index.bg.md");
eq("toDefault: not index.md", [H.toDefault("content/guides/myindex.md", "en"), H.toDefault("content/guides/a/index.en.md", "en"), H.toDefault("content/a/index.mdx", "en")], [null, null, null]);
eq("toPlain: DIR/index.en.md", H.toPlain("content/guides/a/index.en.md", "en"), "content/guides/a/index.md");
eq("toPlain: a translation is not the default file", [H.toPlain("content/guides/a/index.bg.md", "en"), H.toPlain("content/guides/a/myindex.en.md", "en"), H.toPlain("content/guides/a/index.md", "en")], [null, null, null]);
eq("toPlain: a language with a script subtag", H.toPlain("c/x/index.sr-Latn.md", "sr-Latn"), "c/x/index.md");
eq("defaultLocale: global i18n", H.defaultLocale({ i18n: { default_locale: "fr" } }), "fr");
eq("defaultLocale: from a collection", H.defaultLocale({ collections: [{ name: "x" }, { name: "g", i18n: { default_locale: "bg" } }] }), "bg");
eq("defaultLocale: none", H.defaultLocale({ collections: [] }), null);

// ---- The wrapped backend and the bare one, through the same scenario.
async function scenario(wrapIt) {
	const forge = new FakeForge(repo());
	const impl = wrapIt ? H.wrap(forge, "en") : forge;
	const r = {};
	const listed = await impl.entriesByFolder("content/guides", "md", 2);
	r.listed = listed.map((e) => e.file.path);
	r.cursor = listed[CURSOR];
	r.groups = group(listed.filter((e) => /\/index\.[^/]*md$/.test(e.file.path)), "en");
	r.readA = await impl.getEntry("content/guides/a/index.en.md").then((e) => [e.file.path, e.data], (e) => "error " + e.message);
	r.readB = await impl.getEntry("content/guides/b/index.en.md").then((e) => [e.file.path, e.data], (e) => "error " + e.message);
	r.readBg = await impl.getEntry("content/guides/a/index.bg.md").then((e) => e.data, (e) => "error " + e.message);
	r.missing = await impl.getEntry("content/guides/zzz/index.en.md").then(() => "found", (e) => e.message);
	r.slugTaken = await impl.getEntry("content/guides/b/index.md").then((e) => e.data, () => "free");
	forge.log = [];
	await impl.persistEntry({ dataFiles: [{ path: "content/guides/a/index.en.md", raw: "A en 2" }, { path: "content/guides/a/index.bg.md", raw: "A bg 2" }], assets: [] }, {});
	await impl.persistEntry({ dataFiles: [{ path: "content/guides/b/index.en.md", raw: "B en 2" }], assets: [] }, {});
	await impl.persistEntry({ dataFiles: [{ path: "content/guides/n/index.en.md", raw: "N en" }, { path: "content/guides/n/index.bg.md", raw: "N bg" }], assets: [] }, { newEntry: true });
	await impl.persistEntry({ dataFiles: [{ path: "content/guides/n/index.en.md", raw: "N en 2" }], assets: [] }, {});
	r.writes = forge.log.map((l) => l[1]);
	forge.log = [];
	await impl.deleteFiles(["content/guides/a/index.en.md", "content/guides/a/index.bg.md"], "delete a");
	r.deletes = forge.log.map((l) => l[1]);
	r.files = [...forge.files.keys()].sort();
	// Editorial workflow: a draft branch changes c/ ... and a/ as index.md.
	const f2 = new FakeForge(repo());
	const i2 = wrapIt ? H.wrap(f2, "en") : f2;
	await i2.entriesByFolder("content/guides", "md", 2);
	await i2.persistEntry({ dataFiles: [{ path: "content/guides/a/index.en.md", raw: "A draft" }], assets: [] }, { useWorkflow: true });
	const u = await i2.unpublishedEntry({ collection: "guides", slug: "a" });
	r.diffs = u.diffs.map((d) => d.path);
	r.draft = await i2.unpublishedEntryDataFile("guides", "a", "content/guides/a/index.en.md", "b-x").catch((e) => "error " + e.message);
	r.wrappedTwice = wrapIt ? H.wrap(impl, "en") === impl : true;
	return r;
}

const w = await scenario(true);
eq("listing: index.md shown as index.en.md, translations and others unchanged", w.listed.slice().sort(), [
	"content/guides/a/index.bg.md", "content/guides/a/index.en.md", "content/guides/a/photo.md",
	"content/guides/b/index.bg.md", "content/guides/b/index.en.md",
	"content/guides/c/index.en.md", "content/guides/c/index.md", "content/guides/myindex.md"].sort());
check("listing: index.md with an index.en.md beside it stays index.md", w.listed.includes("content/guides/c/index.md") && w.listed.includes("content/guides/c/index.en.md"));
eq("listing: Decap's cursor (a symbol on the array) is kept", w.cursor, "cursor-of-content/guides");
check("Decap's grouping: page a is one entry with en and bg", w.groups.some((g) => g.key === "content/guides/a/index.md" && same(g.locales, ["bg", "en"]) && g.hasDefault), w.groups);
eq("read: a/index.en.md reads a/index.md, named as asked", w.readA, ["content/guides/a/index.en.md", "A en"]);
eq("read: a real index.en.md is read as it is", w.readB, ["content/guides/b/index.en.md", "B en"]);
eq("read: a translation is read as it is", w.readBg, "A bg");
eq("read: a page that does not exist keeps the backend's own error", w.missing, "Not Found content/guides/zzz/index.en.md");
eq("read: DIR/index.md of a page kept as index.en.md is taken (slug check)", w.slugTaken, "B en");
eq("write: each default file goes back where it was; a new page is index.md, twice", w.writes, [
	"content/guides/a/index.md", "content/guides/a/index.bg.md", "content/guides/b/index.en.md",
	"content/guides/n/index.md", "content/guides/n/index.bg.md", "content/guides/n/index.md"]);
eq("delete: index.en.md of a page kept as index.md deletes index.md", w.deletes, ["content/guides/a/index.md", "content/guides/a/index.bg.md"]);
check("files: no index.en.md was made beside an index.md", !w.files.includes("content/guides/a/index.en.md") && !w.files.includes("content/guides/n/index.en.md"), w.files);
eq("workflow: the draft's index.md is shown as index.en.md", w.diffs, ["content/guides/a/index.en.md"]);
eq("workflow: the draft's default file is read from index.md", w.draft, "A draft");
check("wrap twice: the same object, not wrapped again", w.wrappedTwice);

// The oracle sees the problem on the bare backend.
const b = await scenario(false);
check("oracle: without hosted.js page a has no default-language entry", !b.groups.some((g) => g.key === "content/guides/a/index.md" && g.hasDefault), b.groups);
check("oracle: without hosted.js a/index.en.md cannot be read", typeof b.readA === "string" && b.readA.startsWith("error"), b.readA);
check("oracle: without hosted.js a save writes index.en.md beside index.md", b.writes.includes("content/guides/a/index.en.md"), b.writes);

// ---- install(): only the hosted backends' init is replaced, once.
{
	const made = [];
	const reg = {};
	for (const name of ["github", "gitlab", "gitea", "forgejo", "git-gateway", "proxy"]) {
		reg[name] = { init: (config) => { const f = new FakeForge(repo()); made.push([name, f]); return f; } };
	}
	const cms = { getBackend: (n) => reg[n] };
	const proxyInit = reg.proxy.init;
	eq("install: github, gitlab, gitea and forgejo", H.install(cms), ["github", "gitlab", "gitea", "forgejo"]);
	eq("install: twice installs nothing more", H.install(cms), []);
	check("install: the local (proxy) and git-gateway backends are left alone", reg.proxy.init === proxyInit && !reg["git-gateway"].__satchelHosted);
	const impl = reg.gitlab.init({ i18n: { default_locale: "en" }, collections: [] }, {});
	const got = await impl.getEntry("content/guides/a/index.en.md").then((e) => e.data, (e) => "error " + e.message);
	eq("install: a backend made by Decap's init maps (language from the config)", got, "A en");
	const none = reg.github.init({ collections: [] }, {});
	check("install: without i18n in the config nothing is wrapped", !none.__satchelHosted);
	eq("install: without window.CMS, nothing", H.install(undefined), []);
}

console.log(`hosted-unit.mjs: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
