/* hosted.js: lets Decap's hosted backends (github, gitlab, gitea, forgejo) see a page's default-language
 * file `DIR/index.md` as `DIR/index.DEFAULT.md`, the name Decap's i18n (structure
 * multiple_files) reads and writes, and write it back to `DIR/index.md`. satchel serve's local
 * backend does the same mapping on the server; a hosted backend talks to the forge's API from the
 * browser, so here the mapping wraps the backend's implementation before Decap starts it.
 *
 * Loaded after decap-cms.js and before admin.js (which calls CMS.init): it replaces the `init` of
 * the registered github, gitlab, gitea and forgejo backends with one that patches the new implementation's
 * methods. Nothing else changes; a backend this file does not know is left alone.
 *
 * The rule, the same as the local backend's:
 * - a listing that holds DIR/index.md and no DIR/index.DEFAULT.md shows DIR/index.md as
 *   DIR/index.DEFAULT.md (when both exist, both are shown as they are: satchel check reports it);
 * - reading DIR/index.DEFAULT.md that does not exist reads DIR/index.md;
 * - reading DIR/index.md that does not exist reads DIR/index.DEFAULT.md (Decap's "is this slug
 *   taken?" test asks for DIR/index.md, so a new page cannot take the slug of either form);
 * - writing or deleting DIR/index.DEFAULT.md goes to the file it was read from; a new page is
 *   written as DIR/index.md, like a page written by hand.
 * Only file names that are exactly index.md / index.DEFAULT.md are touched; translations
 * (index.bg.md ...), media and every other path pass through unchanged.
 *
 * The pure functions are exported for node (tests/browser/hosted-unit.mjs). */
(function (root) {
	"use strict";

	var HOSTED = ["github", "gitlab", "gitea", "forgejo"];

	/* "content/guides/a/index.md", "en" -> "content/guides/a/index.en.md"; else null. */
	function toDefault(path, lang) {
		if (typeof path !== "string" || !/(^|\/)index\.md$/.test(path)) return null;
		return path.slice(0, path.length - 2) + lang + ".md";
	}
	/* "content/guides/a/index.en.md", "en" -> "content/guides/a/index.md"; else null. */
	function toPlain(path, lang) {
		var tail = "index." + lang + ".md";
		if (typeof path !== "string" || path.length < tail.length) return null;
		var head = path.slice(0, path.length - tail.length);
		if (path.slice(head.length) !== tail || (head !== "" && head.slice(-1) !== "/")) return null;
		return head + "index.md";
	}

	/* A mapper remembers, for each DIR/index.DEFAULT.md Decap has seen, which file it really is. */
	function Mapper(lang) {
		this.lang = lang;
		this.real = Object.create(null);
	}
	/* Paths of a listing, renamed; `files` is an array of {path} or of {file: {path}}. Returns a
	 * new array of copies (the originals may be cached by the backend), with the array's own
	 * symbol properties (Decap's cursor) carried over. */
	Mapper.prototype.listing = function (files) {
		var self = this, present = Object.create(null);
		var pathOf = function (f) { return f && f.file ? f.file.path : f && f.path; };
		files.forEach(function (f) { present[pathOf(f)] = true; });
		var out = files.map(function (f) {
			var p = pathOf(f), v = toDefault(p, self.lang);
			if (v === null) {
				if (toPlain(p, self.lang) !== null) self.real[p] = p;
				return f;
			}
			if (present[v]) return f;
			self.real[v] = p;
			if (f && f.file) return Object.assign({}, f, { file: Object.assign({}, f.file, { path: v }) });
			return Object.assign({}, f, { path: v });
		});
		Object.getOwnPropertySymbols(files).forEach(function (s) { out[s] = files[s]; });
		return out;
	};
	/* The file to write for `path`: the one it was read from; for a page never read, index.md. */
	Mapper.prototype.writePath = function (path) {
		var plain = toPlain(path, this.lang);
		if (plain === null) return path;
		if (!(path in this.real)) this.real[path] = plain;
		return this.real[path];
	};
	/* The file to read for `path` first (remembered), and the one to try when it is missing. */
	Mapper.prototype.readPaths = function (path) {
		var plain = toPlain(path, this.lang);
		if (plain !== null) {
			if (path in this.real) return [this.real[path]];
			return [path, plain];
		}
		var v = toDefault(path, this.lang);
		if (v !== null) return [path, v];
		return [path];
	};
	Mapper.prototype.learn = function (asked, got) {
		if (toPlain(asked, this.lang) !== null) this.real[asked] = got;
	};

	/* The site's default language, from Decap's configuration (global or per collection). */
	function defaultLocale(config) {
		if (!config) return null;
		var cfg = typeof config.toJS === "function" ? config.toJS() : config;
		if (cfg.i18n && cfg.i18n.default_locale) return cfg.i18n.default_locale;
		var cols = cfg.collections || [];
		for (var i = 0; i < cols.length; i++) {
			if (cols[i].i18n && cols[i].i18n.default_locale) return cols[i].i18n.default_locale;
		}
		return null;
	}

	/* Patches one backend implementation in place (own properties shadowing the class's methods,
	 * so `this` and every other method stay the backend's own). */
	function wrap(impl, lang) {
		if (!impl || !lang || impl.__satchelHosted) return impl;
		var m = new Mapper(lang);
		var orig = {};
		["entriesByFolder", "allEntriesByFolder", "traverseCursor", "getEntry", "persistEntry",
			"deleteFiles", "unpublishedEntry", "unpublishedEntryDataFile"].forEach(function (k) {
			if (typeof impl[k] === "function") orig[k] = impl[k];
		});
		var call = function (k, args) { return orig[k].apply(impl, args); };
		/* Reads the first of `paths` that exists; the answer names the path Decap asked for. */
		var readFirst = function (asked, paths, read, rename) {
			var attempt = function (i, firstError) {
				return read(paths[i]).then(function (got) {
					m.learn(asked, paths[i]);
					return rename(got, asked);
				}, function (e) {
					if (i + 1 < paths.length) return attempt(i + 1, firstError || e);
					throw firstError || e;
				});
			};
			return attempt(0, null);
		};

		if (orig.entriesByFolder) impl.entriesByFolder = function () {
			return call("entriesByFolder", arguments).then(function (files) { return m.listing(files); });
		};
		if (orig.allEntriesByFolder) impl.allEntriesByFolder = function () {
			return call("allEntriesByFolder", arguments).then(function (files) { return m.listing(files); });
		};
		if (orig.traverseCursor) impl.traverseCursor = function () {
			return call("traverseCursor", arguments).then(function (r) {
				return r && Array.isArray(r.entries) ? Object.assign({}, r, { entries: m.listing(r.entries) }) : r;
			});
		};
		if (orig.getEntry) impl.getEntry = function (path) {
			return readFirst(path, m.readPaths(path), function (p) { return call("getEntry", [p]); },
				function (got, asked) {
					return got && got.file ? Object.assign({}, got, { file: Object.assign({}, got.file, { path: asked }) }) : got;
				});
		};
		if (orig.persistEntry) impl.persistEntry = function (entry, opts) {
			var files = (entry.dataFiles || []).map(function (f) {
				var g = Object.assign({}, f, { path: m.writePath(f.path) });
				if (f.newPath) g.newPath = m.writePath(f.newPath);
				return g;
			});
			return call("persistEntry", [Object.assign({}, entry, { dataFiles: files }), opts]);
		};
		if (orig.deleteFiles) impl.deleteFiles = function (paths, message) {
			var seen = Object.create(null);
			var real = paths.map(function (p) { return toPlain(p, lang) !== null && p in m.real ? m.real[p] : p; })
				.filter(function (p) { if (seen[p]) return false; seen[p] = true; return true; });
			return call("deleteFiles", [real, message]);
		};
		if (orig.unpublishedEntry) impl.unpublishedEntry = function () {
			return call("unpublishedEntry", arguments).then(function (e) {
				return e && Array.isArray(e.diffs) ? Object.assign({}, e, { diffs: m.listing(e.diffs) }) : e;
			});
		};
		if (orig.unpublishedEntryDataFile) impl.unpublishedEntryDataFile = function (collection, slug, path, id) {
			return readFirst(path, m.readPaths(path).slice(0, toPlain(path, lang) !== null ? 2 : 1),
				function (p) { return call("unpublishedEntryDataFile", [collection, slug, p, id]); },
				function (got) { return got; });
		};
		impl.__satchelHosted = true;
		return impl;
	}

	/* Replaces the init of the hosted backends registered in `cms` (window.CMS). */
	function install(cms) {
		if (!cms || typeof cms.getBackend !== "function") return [];
		var done = [];
		HOSTED.forEach(function (name) {
			var b = cms.getBackend(name);
			if (!b || typeof b.init !== "function" || b.__satchelHosted) return;
			var init = b.init;
			b.init = function (config) {
				var impl = init.apply(this, arguments);
				return wrap(impl, defaultLocale(config));
			};
			b.__satchelHosted = true;
			done.push(name);
		});
		return done;
	}

	var api = { toDefault: toDefault, toPlain: toPlain, Mapper: Mapper, defaultLocale: defaultLocale, wrap: wrap, install: install };
	if (typeof module === "object" && module.exports) module.exports = api;
	else if (root) {
		root.satchelHosted = api;
		if (root.CMS) install(root.CMS);
	}
})(typeof window !== "undefined" ? window : this);
