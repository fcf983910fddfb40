// library.js: filters the library page by facets, from /LANG/facets.json, and by words, from
// /LANG/search/X.json, one shard per first letter of the indexed stems (X: its code point in hex). Terms of one taxonomy widen the selection (OR), taxonomies narrow it (AND),
// and every word of the query must match. The index holds stems (satchel stems with Snowball
// where the language has a stemmer) folded like the query below; a query word matches a stem
// when either is a prefix of the other. The choice is kept in the URL's query so a filtered list
// can be shared. Without this script the page shows term links instead.
(function () {
	"use strict";
	var form = document.querySelector("form.facets[data-facets]");
	if (!form || !window.fetch) return;
	var list = document.querySelector("[data-results]");
	var status = document.querySelector(".results-count");
	var countEl = status && status.querySelector("[data-count]");
	var box = form.querySelector("input[type=search]");
	var lang = document.documentElement.lang;
	var fmt = window.Intl ? new Intl.NumberFormat(lang) : { format: String };
	var items = [], typeNames = {};
	var dates = window.Intl ? new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }) :
		{ format: function (d) { return d.toISOString().slice(0, 10); } };
	var base = form.getAttribute("data-search"), shards = {}, timer = 0;

	function selected() {
		var sel = {};
		form.querySelectorAll("input[type=checkbox]:checked").forEach(function (b) {
			(sel[b.name] = sel[b.name] || []).push(b.value);
		});
		return sel;
	}

	function matches(item, sel) {
		return Object.keys(sel).every(function (tax) {
			var has = (item.f && item.f[tax]) || [];
			return sel[tax].some(function (v) { return has.indexOf(v) >= 0; });
		});
	}

	// The same folding as satchel's i18n_fold: lower case, no accents or other marks.
	function fold(s) {
		return s.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/ς/g, "σ");
	}

	function words(q) {
		if (window.Intl && Intl.Segmenter) {
			var out = [];
			for (var s of new Intl.Segmenter(lang, { granularity: "word" }).segment(q))
				if (s.isWordLike) out.push(fold(s.segment));
			return out;
		}
		return fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
	}

	// The shard a word's matches are in: both the word and its stems begin with its first letter.
	function shardOf(w) {
		return w.codePointAt(0).toString(16);
	}

	// Scores per document for the words, from the shards loaded. A document must match every
	// word.
	function scores(ws) {
		var total = null;
		ws.forEach(function (w) {
			var terms = (shards[shardOf(w)] || {}).terms || {}, got = {};
			Object.keys(terms).forEach(function (k) {
				// The word begins the stem (typing), or the stem begins the word and is at least
				// half of it (a stemmer cuts a suffix: "assessments" -> "assess", "dece" -> "dec").
				if (k.lastIndexOf(w, 0) === 0 ||
				    (w.lastIndexOf(k, 0) === 0 && k.length >= Math.max(3, Math.ceil(w.length / 2)))) {
					var p = terms[k], exact = k === w ? 2 : 1;
					for (var i = 0; i < p.length; i += 2)
						got[p[i]] = (got[p[i]] || 0) + p[i + 1] * exact;
				}
			});
			if (total === null) {
				total = got;
			} else {
				Object.keys(total).forEach(function (d) {
					if (got[d]) total[d] += got[d]; else delete total[d];
				});
			}
		});
		return total || {};
	}

	// Fetches the shards the words need that are not loaded yet; a letter no stem begins with
	// has no shard (404), which is an empty one.
	function load(ws) {
		return Promise.all(ws.map(shardOf).filter(function (x) { return !(x in shards); }).map(function (x) {
			shards[x] = null;
			return fetch(base + x + ".json").then(function (r) { return r.ok ? r.json() : {}; })
				.catch(function () { return {}; })
				.then(function (d) { shards[x] = d || {}; });
		}));
	}

	function render() {
		var sel = selected();
		var q = box ? box.value.trim() : "";
		var ws = q ? words(q) : [];
		if (ws.some(function (w) { return !shards[shardOf(w)]; })) {
			var asked = q;
			load(ws).then(function () { if ((box ? box.value.trim() : "") === asked) render(); });
			return;
		}
		var sc = ws.length ? scores(ws) : null;
		var shown = [];
		items.forEach(function (it, i) {
			if (matches(it, sel) && (!sc || sc[i])) shown.push(i);
		});
		if (sc) shown.sort(function (a, b) { return sc[b] - sc[a] || a - b; });
		list.textContent = "";
		shown.forEach(function (i) {
			var it = items[i];
			var li = document.createElement("li");
			var a = document.createElement("a");
			a.href = it.u;
			a.textContent = it.t;
			if (it.l !== lang) { a.lang = it.l; a.hreflang = it.l; }
			li.appendChild(a);
			// The resource's type and date, as the server-rendered lists show them.
			var meta = document.createElement("span");
			meta.className = "entry-meta";
			var type = it.f && it.f.types && typeNames[it.f.types[0]];
			if (type) meta.appendChild(document.createTextNode(type));
			if (it.d) {
				var time = document.createElement("time");
				time.dateTime = it.d;
				time.textContent = (type ? " · " : "") + dates.format(new Date(it.d + "T00:00:00Z"));
				meta.appendChild(time);
			}
			if (meta.childNodes.length) li.appendChild(meta);
			list.appendChild(li);
		});
		countEl.textContent = fmt.format(shown.length);
		var parts = Object.keys(sel).map(function (k) {
			return encodeURIComponent(k) + "=" + sel[k].map(encodeURIComponent).join(",");
		});
		if (q) parts.unshift("q=" + encodeURIComponent(q));
		history.replaceState(null, "", parts.length ? "?" + parts.join("&") : location.pathname);
	}

	function restore() {
		new URLSearchParams(location.search).forEach(function (vals, tax) {
			if (tax === "q") {
				if (box) box.value = vals;
				return;
			}
			vals.split(",").forEach(function (v) {
				form.querySelectorAll("input[type=checkbox]").forEach(function (b) {
					if (b.name === tax && b.value === v) b.checked = true;
				});
			});
		});
	}

	fetch(form.getAttribute("data-facets")).then(function (r) { return r.json(); }).then(function (data) {
		items = data.items || [];
		(data.taxonomies || []).forEach(function (t) {
			if (t.name === "types")
				t.terms.forEach(function (term) { typeNames[term.name] = term.title; });
		});
		form.hidden = false;
		list.hidden = false;
		status.hidden = false;
		restore();
		render();
		form.addEventListener("change", render);
		form.addEventListener("submit", function (ev) { ev.preventDefault(); render(); });
		if (box)
			box.addEventListener("input", function () {
				clearTimeout(timer);
				timer = setTimeout(render, 120);
			});
		form.addEventListener("reset", function () { setTimeout(render, 0); });
	}).catch(function () { /* the term links stay */ });
})();
