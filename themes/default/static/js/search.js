// search.js: search over /LANG/search/ (docs/search-format.md), no DOM; library.js draws it.
(function (root) {
	"use strict";
	const SIZE = 30; // words in an excerpt

	// The folding of satchel's i18n_fold: lower case, no accents or other marks, final sigma.
	const fold = (s) => s.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "").replace(/ς/g, "σ");

	// The words of s, folded, with their offsets in s.
	function tokens(s, lang) {
		const out = [];
		if (typeof Intl == "object" && Intl.Segmenter) {
			for (const x of new Intl.Segmenter(lang, { granularity: "word" }).segment(s))
				if (x.isWordLike) out.push({ w: fold(x.segment), i: x.index, e: x.index + x.segment.length });
		} else {
			const re = /[\p{L}\p{N}\p{M}]+/gu;
			for (let m; (m = re.exec(s));) out.push({ w: fold(m[0]), i: m.index, e: re.lastIndex });
		}
		return out;
	}
	const words = (q, lang) => [...new Set(tokens(q, lang).map((t) => t.w))];

	// True when a and b are one edit apart (optimal string alignment distance 1).
	function osa1(a, b) {
		a = [...a];
		b = [...b];
		const la = a.length, lb = b.length, eq = (x, y) => x.join() === y.join();
		if (Math.abs(la - lb) > 1 || eq(a, b)) return false;
		let i = 0;
		while (i < la && i < lb && a[i] === b[i]) i++;
		if (la > lb) return eq(a.slice(i + 1), b.slice(i));
		if (la < lb) return eq(a.slice(i), b.slice(i + 1));
		return eq(a.slice(i + 1), b.slice(i + 1)) ||
			(a[i] === b[i + 1] && a[i + 1] === b[i] && eq(a.slice(i + 2), b.slice(i + 2)));
	}

	// Code point order: the UTF-8 byte order of the index's keys.
	function cmp(a, b) {
		for (let i = 0; ; i++) {
			const x = a.codePointAt(i), y = b.codePointAt(i);
			if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
			if (x !== y) return x < y ? -1 : 1;
		}
	}
	const MAX = "\u{10ffff}";

	// The piece (number) of key s: the last one starting at or before s; -1 for none.
	function pieceOf(m, s) {
		let lo = 0, hi = m.pieces.length - 1, at = -1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			if (cmp(m.pieces[mid], s) <= 0) {
				at = mid;
				lo = mid + 1;
			} else hi = mid - 1;
		}
		return at;
	}

	// Postings [d1, s1, d2, s2...] (doc ids as deltas) as [[doc, weight, in title]].
	function decode(p) {
		const out = [];
		for (let i = 0, d = 0; i < p.length; i += 2) out.push([d += p[i], p[i + 1] >> 1, p[i + 1] & 1]);
		return out;
	}

	// The pieces q can need: its own, its stems', a prefix's (at most 8); or (typo) its neighbours.
	function needs(m, q, prefix, typo) {
		const c = [...q], own = pieceOf(m, q), out = new Set([own]);
		if (own < 0) return [];
		for (let n = Math.max(3, Math.ceil(c.length / 2)); n < c.length; n++) out.add(pieceOf(m, c.slice(0, n).join("")));
		if (prefix) {
			const e = pieceOf(m, q + MAX);
			if (e - own < 8) for (let i = own + 1; i <= e; i++) out.add(i);
		}
		if (typo && c.length >= 5) {
			const two = c.slice(0, 2).join(""), a = pieceOf(m, two), e = pieceOf(m, two + MAX);
			[own - 1, own + 1].forEach((i) => i >= a && i <= e && out.add(i));
		}
		return [...out];
	}

	// What q matches in the pieces ({prefix: {t, w}}): terms -> weight (exact 1, stem 0.9,
	// prefix 0.7, typo 0.5), and the forms and stems that mark it in a text.
	function match(pieces, q, prefix) {
		const terms = new Map(), forms = new Set([q]), c = [...q];
		const add = (k, g) => {
			for (const t of [].concat(k)) if (!(terms.get(t) >= g)) terms.set(t, g);
		};
		const each = (f) => Object.values(pieces).forEach((p) => {
			for (const k in p.t || {}) f(k, k);
			for (const k in p.w || {}) f(k, p.w[k]);
		});
		each((k, t) => {
			if (k === q) add(t, 1);
		});
		if (!terms.size)
			each((k, t) => {
				if (k === t && c.length > k.length && q.startsWith(k) && [...k].length >= Math.max(3, Math.ceil(c.length / 2))) add(t, 0.9);
			});
		const exact = terms.size;
		each((k, t) => {
			if (prefix && k.length > q.length && k.startsWith(q)) add(t, 0.7);
			else if (!exact && c.length >= 5 && osa1(k, q)) add(t, 0.5);
		});
		each((k, t) => {
			if ([].concat(t).some((x) => terms.has(x))) forms.add(k);
		});
		const stems = [...terms.keys()].filter((k) => terms.get(k) > 0.5 && k.length >= 3);
		return { q, terms, forms, prefix, stems, exact };
	}

	// Which query word (index) folded text word t is a form of, or -1.
	const which = (ms, t) => ms.findIndex((m) => m.forms.has(t) || (m.prefix && t.startsWith(m.q)) ||
		m.stems.some((k) => t.startsWith(k)));

	// The `size` words around text's densest match: {s, e, marks [[from, to]], n words, c hits}.
	function excerpt(text, lang, ms, size = SIZE) {
		const tk = tokens(text, lang), hits = [];
		tk.forEach((t, j) => {
			const i = which(ms, t.w);
			if (i >= 0) hits.push([j, i]);
		});
		let best = { a: 0, n: 0, c: 0 };
		hits.forEach(([a], h) => {
			const seen = new Set();
			let c = 0;
			for (let b = h; b < hits.length && hits[b][0] < a + size; b++, c++) seen.add(hits[b][1]);
			if (seen.size > best.n || (seen.size === best.n && c > best.c)) best = { a, n: seen.size, c };
		});
		const from = Math.max(0, Math.min(best.a - (size >> 2), tk.length - size)), to = Math.min(tk.length, from + size);
		return {
			s: from > 0 ? tk[from].i : 0, e: to < tk.length ? tk[to - 1].e : text.length, n: best.n, c: best.c,
			marks: hits.filter(([j]) => j >= from && j < to).map(([j]) => [tk[j].i, tk[j].e]),
		};
	}

	// True when the query words stand one after the other in text.
	function phrase(text, lang, ms) {
		const tk = tokens(text, lang);
		return ms.length > 1 && tk.some((_, j) => ms.every((m, i) => tk[j + i] && which([m], tk[j + i].w) === 0));
	}

	// pack: from disk (file://, an offline pack) no fetch(): NAME.js beside NAME.json puts its data in satchelPack[its URL].
	const json = (u) => (typeof location == "object" && location.protocol == "file:" ? new Promise((ok, no) => {
		const s = document.createElement("script"), P = (root.satchelPack = root.satchelPack || {});
		s.src = u.replace(/[?#].*/, "").replace(/\.json$/, ".js");
		s.onload = s.onerror = () => {
			const d = P[s.src];
			delete P[s.src];
			s.remove();
			d === undefined ? no(Error(u)) : ok(d);
		};
		document.head.append(s);
	}) : fetch(u).then((r) => (r.ok ? r.json() : Promise.reject(new Error(u)))));

	// The index of one language under base ("/en/search/").
	function Index(base, lang) {
		const got = {}, asked = {}, frags = {};
		let man = null;
		const manifest = () => man || (man = json(base + "index.json"));
		const load = (m, ps) => Promise.all(ps.filter((p) => p >= 0 && !asked[p]).map((p) =>
			(asked[p] = json(`${base}t/${p}.json?v=${m.id}`).catch(() => ({}))).then((d) => { got[p] = d; })))
			.then(() => Promise.all(ps.map((p) => asked[p])));

		// Ranked docs for the words: [{d, s (score), n (words matched), t (title has all)}],
		// all: whether they match every word, ms: what each word matched.
		async function query(ws, last) {
			const m = await manifest();
			const pre = (q, i) => [...q].length >= 3 || (last && i === ws.length - 1);
			const own = ws.map((q, i) => needs(m, q, pre(q, i)));
			await load(m, own.flat());
			const view = (ps) => Object.fromEntries(ps.filter((p) => got[p]).map((p) => [p, got[p]]));
			let ms = ws.map((q, i) => match(view(own[i]), q, pre(q, i)));
			// An unknown word: the pieces beside its own (typo).
			const typo = ws.map((q, i) => (ms[i].exact ? [] : needs(m, q, false, true).filter((p) => !own[i].includes(p))));
			if (typo.some((t) => t.length)) {
				await load(m, typo.flat());
				ms = ms.map((x, i) => (typo[i].length ? match(view((own[i] = own[i].concat(typo[i]))), ws[i], pre(ws[i], i)) : x));
			}
			// The pieces of terms reached through a form in another piece (at most 6).
			const more = ms.flatMap((x) => [...x.terms.keys()].sort((a, b) => x.terms.get(b) - x.terms.get(a)))
				.map((t) => pieceOf(m, t)).filter((p) => p >= 0 && !asked[p]);
			await load(m, [...new Set(more)].slice(0, 6));
			const docs = new Map();
			ms.forEach((x, i) => {
				const best = new Map();
				x.terms.forEach((g, t) => {
					const p = got[pieceOf(m, t)], post = p && p.t && p.t[t];
					if (!post) return;
					const ds = decode(post), idf = Math.log(1 + (m.docs - ds.length + 0.5) / (ds.length + 0.5));
					ds.forEach(([d, bm, ti]) => {
						const v = g * idf * bm, b = best.get(d);
						if (!b || v > b[0]) best.set(d, [v, (b && b[1]) | ti]);
						else b[1] |= ti;
					});
				});
				best.forEach(([v, ti], d) => {
					const r = docs.get(d) || { d, s: 0, n: 0, w: 0 };
					r.s += v;
					r.n++;
					r.w += ti;
					docs.set(d, r);
				});
			});
			let list = [...docs.values()];
			const all = list.some((r) => r.n === ws.length);
			if (all) list = list.filter((r) => r.n === ws.length);
			// Library resources (docs < items) weigh a fifth more than pages quoting their titles.
			list.forEach((r) => {
				r.t = r.w === ws.length;
				if (r.d < m.items) r.s *= 1.2;
			});
			list.sort((a, b) => b.n - a.n || b.t - a.t || b.s - a.s || a.d - b.d);
			return { m, all: all || !ws.length, ms, list };
		}

		// Its URL (u) read against its own: a pack writes it relative.
		const frag = (d) => frags[d] || (frags[d] = manifest().then((m) => {
			const at = new URL(`${base}f/${d}.json?v=${m.id}`, document.baseURI);
			return json(at.href).then((f) => ((f.u = new URL(f.u, at).href), f));
		}).catch(() => null));
		return { manifest, query, frag };
	}

	const api = { fold, tokens, words, osa1, cmp, pieceOf, decode, needs, match, which, excerpt, phrase, Index, json };
	if (typeof module == "object" && module.exports) module.exports = api;
	else root.satchelSearch = api;
})(this);
