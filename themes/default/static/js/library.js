// library.js: the library's search (through search.js) and facets (/LANG/facets.json: OR within
// a taxonomy, AND across), kept in the URL. Index doc i < items is facets item i. Content is set as
// text, never markup. Without this script the page shows term links. See docs/themes.md.
(function () {
	"use strict";
	const S = window.satchelSearch, doc = document;
	const form = doc.querySelector("form[data-facets]"), facets = doc.querySelector("form.facets");
	if (!form || !facets || !S || !window.fetch) return;
	doc.querySelectorAll("[data-no-script]").forEach((e) => { e.hidden = true; });
	const $ = (s) => doc.querySelector(s);
	const list = $("[data-results]"), status = $(".results-count"), countEl = $("[data-count]");
	const note = $("[data-note]"), more = $("[data-more]"), box = form.querySelector("input[type=search]");
	const lang = doc.documentElement.lang, T = form.dataset;
	const fmt = new Intl.NumberFormat(lang);
	const dates = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
	const names = Intl.DisplayNames ? new Intl.DisplayNames(lang, { type: "language" }) : { of: (l) => l };
	const base = form.dataset.search.replace(/[^/]*$/, "");
	const index = S.Index(base, lang);
	const RTL = /^(ar|arc|ckb|dv|fa|he|ps|sd|syr|ug|ur|yi)(-|$)/i;
	const PAGE = 10; // results shown at a time (so the facets stay near on a phone)
	let items = [], typeNames = {}, timer = 0, gen = 0, state = null;

	const el = (tag, cls, text) => {
		const e = doc.createElement(tag);
		if (cls) e.className = cls;
		if (text != null) e.textContent = text;
		return e;
	};

	function selected() {
		const sel = {};
		facets.querySelectorAll("input[type=checkbox]:checked").forEach((b) => {
			(sel[b.name] = sel[b.name] || []).push(b.value);
		});
		return sel;
	}
	const matches = (item, sel) => Object.keys(sel).every((tax) => {
		const has = (item && item.f && item.f[tax]) || [];
		return sel[tax].some((v) => has.includes(v));
	});

	// text into e, the ranges marks ([[from, to]] offsets) as <mark>.
	function marked(e, text, marks) {
		let at = 0;
		marks.forEach(([a, b]) => {
			e.append(text.slice(at, a), el("mark", "", text.slice(a, b)));
			at = b;
		});
		e.append(text.slice(at));
		return e;
	}
	// An excerpt of text as a <p>/<span>, with "…" where it is cut.
	function excerptEl(tag, text, x) {
		const e = el(tag, "excerpt");
		if (x.s > 0) e.append("… ");
		marked(e, text.slice(x.s, x.e), x.marks.map(([a, b]) => [a - x.s, b - x.s]));
		if (x.e < text.length) e.append(" …");
		return e;
	}

	// One result: its title (marked), type, date, language, excerpt and up to 3 sections.
	function entry(r, f, ms) {
		const it = r.d < state.m.items ? items[r.d] : null;
		f = f || (it && { u: it.u, t: it.t, l: it.l, d: it.d, x: [] });
		if (!f || f.u[0] !== "/" || new URL(f.u, location.href).origin !== location.origin) return null; // this site's only
		const li = el("li", "result"), l = f.l || lang, other = l !== lang;
		const a = li.appendChild(el("a", "result-link"));
		a.href = f.u;
		const title = ms ? S.excerpt(f.t, l, ms, 1e9) : { s: 0, e: f.t.length, marks: [] };
		marked(a, f.t, title.marks);
		const meta = el("span", "entry-meta");
		// Another language's result is that language's block; its meta line stays in the page's.
		if (other) {
			Object.assign(li, { lang: l, dir: RTL.test(l) ? "rtl" : "ltr" });
			Object.assign(meta, { lang, dir: doc.dir || "ltr" });
			a.hreflang = l;
		}
		const type = f.y || (it && it.f && it.f.types && typeNames[it.f.types[0]]);
		const bits = [];
		if (type) bits.push(doc.createTextNode(type));
		if (f.d) {
			const time = el("time", "", dates.format(new Date(f.d + "T00:00:00Z")));
			time.dateTime = f.d;
			bits.push(time);
		}
		if (other) bits.push(doc.createTextNode(T.inLang.replace("{name}", names.of(l) || l)));
		bits.forEach((b, i) => meta.append(i ? " · " : "", b));
		if (bits.length) li.append(meta);
		if (!ms) return li;
		// The densest window over the summary and every section, and the best sections.
		const parts = (f.s ? [["", "", f.s]] : []).concat(f.x || []).map(([anchor, head, text]) => ({
			anchor, head, text, x: S.excerpt(text, l, ms), h: head ? S.excerpt(head, l, ms, 1e9) : { n: 0, marks: [] },
		}));
		const best = parts.reduce((b, p) => (!b || p.x.n > b.x.n || (p.x.n === b.x.n && p.x.c > b.x.c) ? p : b), null);
		if (best && best.text) {
			li.appendChild(excerptEl("p", best.text, best.x));
		}
		const subs = parts.filter((p) => p.anchor && (p.h.n || p.x.n))
			.sort((p, q) => q.h.n - p.h.n || q.x.n - p.x.n || q.x.c - p.x.c).slice(0, 3);
		if (subs.length) {
			const ul = li.appendChild(el("ul", "sub-results"));
			parts.filter((p) => subs.includes(p)).forEach((p) => {
				const sli = ul.appendChild(el("li"));
				const sa = sli.appendChild(el("a"));
				sa.href = f.u + "#" + p.anchor;
				marked(sa, p.head, p.h.marks);
				if (p.x.n && p !== best) sli.append(" ", excerptEl("span", p.text, S.excerpt(p.text, l, ms, 16)));
			});
		}
		return li;
	}

	// Shows the next results of the current state: fetches their fragments first, lifts those
	// where the words stand together, then announces the count.
	async function page(g, focus) {
		const st = state, from = st.shown, batch = st.list.slice(from, from + PAGE);
		if (st.busy) return;
		st.busy = true;
		list.dataset.state = "loading";
		const fs = st.ms ? await Promise.all(batch.map((r) => index.frag(r.d))) : batch.map(() => null);
		st.busy = false;
		if (g !== gen) return;
		const rows = batch.map((r, i) => ({ r, f: fs[i], p: !!fs[i] && !!st.ms && st.ms.length > 1 &&
			[fs[i].t].concat((fs[i].x || []).map((x) => x[2])).some((t) => S.phrase(t, fs[i].l || lang, st.ms)) }));
		rows.sort((a, b) => b.p - a.p);
		if (!from) list.textContent = "";
		let first = null;
		rows.forEach(({ r, f }) => {
			const li = entry(r, f, st.ms);
			if (li) first = first || li;
			if (li) list.append(li);
		});
		st.shown += batch.length;
		more.hidden = st.shown >= st.list.length;
		countEl.textContent = fmt.format(st.list.length);
		note.textContent = st.note || "";
		list.dataset.query = st.q;
		list.dataset.state = "done";
		if (focus && first) first.querySelector("a").focus();
	}

	async function render() {
		const g = ++gen, sel = selected(), q = box.value.trim();
		const ws = q ? S.words(q, lang) : [];
		const facetsOn = Object.keys(sel).length > 0;
		list.dataset.state = "loading";
		list.setAttribute("aria-busy", "true");
		let st;
		if (ws.length) {
			let res;
			try {
				res = await index.query(ws, true);
			} catch (e) {
				res = { m: { items: items.length }, all: true, ms: [], list: [] };
			}
			if (g !== gen) return;
			const keep = res.list.filter((r) => !facetsOn || (r.d < res.m.items && matches(items[r.d], sel)));
			st = { q, m: res.m, ms: res.ms, list: keep, note: !keep.length ? T.none : res.all ? "" : T.some };
		} else {
			st = { q, m: { items: items.length }, ms: null, list: items.map((it, d) => ({ d })).filter((r) => matches(items[r.d], sel)) };
		}
		st.shown = 0;
		state = st;
		await page(g, false);
		if (g !== gen) return;
		list.removeAttribute("aria-busy");
		const parts = Object.keys(sel).map((k) => encodeURIComponent(k) + "=" + sel[k].map(encodeURIComponent).join(","));
		if (q) parts.unshift("q=" + encodeURIComponent(q));
		history.replaceState(null, "", parts.length ? "?" + parts.join("&") : location.pathname);
	}

	function restore() {
		new URLSearchParams(location.search).forEach((vals, tax) => {
			if (tax === "q") {
				box.value = vals;
				return;
			}
			vals.split(",").forEach((v) => {
				facets.querySelectorAll("input[type=checkbox]").forEach((b) => {
					if (b.name === tax && b.value === v) b.checked = true;
				});
			});
		});
	}

	fetch(form.dataset.facets).then((r) => r.json()).then((data) => {
		items = data.items || [];
		(data.taxonomies || []).forEach((t) => {
			if (t.name === "types") t.terms.forEach((term) => { typeNames[term.name] = term.title; });
		});
		doc.querySelectorAll("[data-library]").forEach((e) => { e.hidden = false; });
		restore();
		render();
		facets.addEventListener("change", render);
		form.addEventListener("submit", (ev) => {
			ev.preventDefault();
			clearTimeout(timer);
			render();
		});
		box.addEventListener("input", () => {
			clearTimeout(timer);
			timer = setTimeout(render, 150);
		});
		facets.addEventListener("reset", () => setTimeout(render, 0));
		more.addEventListener("click", () => page(gen, true));
	}).catch(() => { /* the term links stay */ });
})();
