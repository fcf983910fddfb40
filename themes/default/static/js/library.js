// library.js: the library's search (through search.js) and facets (/LANG/facets.json: OR within
// a taxonomy, AND across), results first. Each facet value counts the current results that would
// remain with it ticked (disjunctive: its own taxonomy's other ticks set aside). The filters are
// a <dialog>: a modal drawer on a phone, a collapsible column beside the results on a wide screen.
// Query, filters and sort live in the address (Back restores them). Index doc i < items is facets
// item i. Content is set as text, never markup. Without this script the page shows term links.
(function () {
	"use strict";
	const S = window.satchelSearch, doc = document;
	const form = doc.querySelector("form[data-facets]"), facets = doc.querySelector("form.facets");
	const panel = doc.getElementById("filters-panel");
	if (!form || !facets || !panel || !panel.showModal || !S || !window.fetch) return;
	const $ = (s) => doc.querySelector(s);
	const list = $("[data-results]"), countEl = $("[data-count]"), note = $("[data-note]"), more = $("[data-more]");
	const box = form.querySelector("input[type=search]"), sortEl = $("[data-sort]"), toggle = $("[data-toggle]");
	const chips = $("[data-chips]"), empty = $("[data-empty]"), nsel = $("[data-nsel]");
	const boxes = [...facets.querySelectorAll("input[type=checkbox]")];
	const lang = doc.documentElement.lang, T = form.dataset;
	const fmt = new Intl.NumberFormat(lang), coll = new Intl.Collator(lang);
	const dates = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
	const names = Intl.DisplayNames ? new Intl.DisplayNames(lang, { type: "language" }) : { of: (l) => l };
	// No index made (SATCHEL_NO_SEARCH): no box, the facets alone.
	const index = form.dataset.search ? S.Index(form.dataset.search.replace(/[^/]*$/, ""), lang) : null;
	if (!index) form.querySelector(".search-field").hidden = true;
	const RTL = /^(ar|arc|ckb|dv|fa|he|ps|sd|syr|ug|ur|yi)(-|$)/i;
	const wide = matchMedia("(min-width: 60rem)");
	const PAGE = 10; // results drawn at a time
	let items = [], terms = {}, timer = 0, gen = 0, state = null, sortPick = "";

	const el = (tag, cls, text) => {
		const e = doc.createElement(tag);
		if (cls) e.className = cls;
		if (text != null) e.textContent = text;
		return e;
	};
	const svgUse = (cls, id) => {
		const NS = "http://www.w3.org/2000/svg", s = doc.createElementNS(NS, "svg"), u = doc.createElementNS(NS, "use");
		s.setAttribute("class", cls);
		s.setAttribute("aria-hidden", "true");
		u.setAttribute("href", "#" + id);
		s.append(u);
		return s;
	};

	// url read against base (absolute) when it is this site's (same scheme and origin), else
	// null. The data's URLs are from the root online and relative to their file in a pack.
	const own = (url, base) => {
		try {
			const x = new URL(url, base);
			if (x.protocol !== location.protocol || x.origin !== location.origin) return null;
			return x.protocol === "file:" ? x.href : x.pathname + x.search + x.hash; // from the root online, as written
		} catch (e) {
			return null;
		}
	};

	// The ticked values: {taxonomy: [slug…]}.
	function selected() {
		const sel = {};
		boxes.forEach((b) => { if (b.checked) (sel[b.name] = sel[b.name] || []).push(b.value); });
		return sel;
	}
	// Whether item has a ticked value of every taxonomy ticked, but skip's.
	const matches = (item, sel, skip) => Object.keys(sel).every((tax) => tax === skip ||
		sel[tax].some((v) => ((item && item.f && item.f[tax]) || []).includes(v)));

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
	// The card's picture: the resource's image (small, lazy, sized), else its type's icon.
	function thumb(it) {
		const i = it && it.i, type = it && it.f && it.f.types && it.f.types[0];
		if (!i || typeof i.u !== "string" || !own(i.u, location.href)) {
			const icon = el("span", "thumb thumb-icon");
			icon.append(svgUse("", type && doc.getElementById("i-" + type) ? "i-" + type : "i-doc"));
			return icon;
		}
		const pic = el("picture", "thumb"), img = el("img");
		if (typeof i.webp === "string" && own(i.webp, location.href)) {
			const src = pic.appendChild(el("source"));
			Object.assign(src, { type: "image/webp", srcset: own(i.webp, location.href) });
		}
		Object.assign(img, { src: own(i.u, location.href), alt: "", loading: "lazy", decoding: "async", width: i.w, height: i.h });
		pic.append(img);
		return pic;
	}

	// One result: its title (marked), type, date, language, excerpt, up to 3 sections, and for a
	// library resource its picture, languages and formats.
	function entry(r, f, ms) {
		const it = r.d < state.m.items ? items[r.d] : null;
		f = f || (it && { u: it.u, t: it.t, l: it.l, d: it.d, x: [] });
		const u = f && typeof f.u == "string" && own(f.u, location.href);
		if (!u) return null; // this site's only
		const li = el("li", "result"), l = f.l || lang, other = l !== lang;
		const a = li.appendChild(el("a", "result-link"));
		a.href = u;
		const title = ms ? S.excerpt(f.t, l, ms, 1e9) : { s: 0, e: f.t.length, marks: [] };
		marked(a, f.t, title.marks);
		const meta = el("span", "entry-meta");
		// Another language's result is that language's block; its meta line stays in the page's.
		if (other) {
			Object.assign(li, { lang: l, dir: RTL.test(l) ? "rtl" : "ltr" });
			Object.assign(meta, { lang, dir: doc.dir || "ltr" });
			a.hreflang = l;
		}
		const type = f.y || (it && it.f && it.f.types && (terms.types || {})[it.f.types[0]]);
		const bits = [];
		if (type) bits.push(doc.createTextNode(type.title || type));
		if (f.d) {
			const time = el("time", "", dates.format(new Date(f.d + "T00:00:00Z")));
			time.dateTime = f.d;
			bits.push(time);
		}
		if (other) bits.push(doc.createTextNode(T.inLang.replace("{name}", names.of(l) || l)));
		bits.forEach((b, i) => meta.append(i ? " · " : "", b));
		if (bits.length) li.append(meta);
		li.append(thumb(it));
		if (it) {
			const langs = (it.f.languages || []).map((v) => (terms.languages || {})[v]).filter(Boolean);
			const fmts = Array.isArray(it.x) ? it.x.filter((x) => typeof x === "string") : [];
			if (langs.length || fmts.length) {
				const extra = el("span", "entry-meta card-extra");
				if (other) Object.assign(extra, { lang, dir: doc.dir || "ltr" });
				fmts.forEach((x) => extra.append(el("span", "format", x), " "));
				langs.forEach((t, i) => {
					const s = el("span", "", t.title);
					if (t.lang) s.lang = t.lang;
					extra.append(i ? "\u00a0· " : "", s);
				});
				li.append(extra);
			}
		}
		if (!ms) return li;
		// The densest window over the summary and every section, and the best sections.
		const parts = (f.s ? [["", "", f.s]] : []).concat(f.x || []).map(([anchor, head, text]) => ({
			anchor, head, text, x: S.excerpt(text, l, ms), h: head ? S.excerpt(head, l, ms, 1e9) : { n: 0, marks: [] },
		}));
		const best = parts.reduce((b, p) => (!b || p.x.n > b.x.n || (p.x.n === b.x.n && p.x.c > b.x.c) ? p : b), null);
		if (best && best.text) li.appendChild(excerptEl("p", best.text, best.x));
		const subs = parts.filter((p) => p.anchor && (p.h.n || p.x.n))
			.sort((p, q) => q.h.n - p.h.n || q.x.n - p.x.n || q.x.c - p.x.c).slice(0, 3);
		if (subs.length) {
			const ul = li.appendChild(el("ul", "sub-results"));
			parts.filter((p) => subs.includes(p)).forEach((p) => {
				const sli = ul.appendChild(el("li"));
				const sa = sli.appendChild(el("a"));
				sa.href = u + "#" + p.anchor;
				marked(sa, p.head, p.h.marks);
				if (p.x.n && p !== best) sli.append(" ", excerptEl("span", p.text, S.excerpt(p.text, l, ms, 16)));
			});
		}
		return li;
	}

	// Draws the next results of the current state: fetches their fragments first, lifts those
	// where the words stand together (by relevance), then announces the count.
	async function page(g, focus) {
		const st = state, from = st.shown, batch = st.list.slice(from, from + PAGE);
		if (st.busy) return;
		st.busy = true;
		list.dataset.state = "loading";
		const fs = st.ms ? await Promise.all(batch.map((r) => index.frag(r.d))) : batch.map(() => null);
		st.busy = false;
		if (g !== gen) return;
		const rows = batch.map((r, i) => ({ r, f: fs[i], p: !st.sort && !!fs[i] && !!st.ms && st.ms.length > 1 &&
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

	// Each value's count over base (the results before facets), its taxonomy's ticks aside.
	function counts(base, sel) {
		const n = {};
		base.forEach((r) => {
			const it = items[r.d];
			if (!it || !it.f) return;
			for (const tax in it.f) {
				if (!matches(it, sel, tax)) continue;
				(it.f[tax] || []).forEach((v) => { n[tax + "\n" + v] = (n[tax + "\n" + v] || 0) + 1; });
			}
		});
		boxes.forEach((b) => {
			const c = n[b.name + "\n" + b.value] || 0;
			b.closest("label").querySelector(".count").textContent = "(" + fmt.format(c) + ")";
			b.closest("label").classList.toggle("zero", !c);
		});
	}

	// The ticked values as chips that untick them; the filters button says how many.
	function drawChips() {
		chips.textContent = "";
		let n = 0;
		boxes.forEach((b) => {
			if (!b.checked) return;
			n++;
			const name = b.closest("label").querySelector("span:not(.count)");
			const li = chips.appendChild(el("li")), btn = li.appendChild(el("button", "chip"));
			btn.type = "button";
			const label = btn.appendChild(el("span", "", name.textContent));
			if (name.lang) label.lang = name.lang;
			btn.append(svgUse("", "i-x"));
			btn.setAttribute("aria-label", T.remove.replace("{name}", name.textContent));
			btn.addEventListener("click", () => {
				const all = [...chips.querySelectorAll("button")], at = all.indexOf(btn);
				b.checked = false;
				update(true).then(() => {
					const left = chips.querySelectorAll("button");
					(left[Math.min(at, left.length - 1)] || toggle).focus();
				});
			});
		});
		chips.hidden = !n;
		nsel.textContent = n ? " (" + fmt.format(n) + ")" : "";
	}

	// What to tell when nothing is found: the words, the filters on, how to widen.
	function drawEmpty(st) {
		empty.hidden = st.list.length > 0;
		note.classList.toggle("visually-hidden", !empty.hidden); // the box below says it
		if (!empty.hidden) {
			const h = $("[data-empty-title]"), [pre, post] = (st.q ? T.emptyQ : T.emptyF).split("{name}");
			h.textContent = pre;
			if (st.q) h.append(el("bdi", "", st.q), post || "");
			const on = boxes.filter((b) => b.checked).map((b) => b.closest("label").querySelector("span:not(.count)").textContent);
			const f = $("[data-empty-filters]");
			f.hidden = !on.length;
			f.querySelector("span").textContent = on.join(", ");
			$("[data-clear]").parentNode.hidden = !on.length;
			empty.querySelectorAll("[data-other-langs] a").forEach((a) => {
				a.setAttribute("href", a.pathname + (st.q ? "?q=" + encodeURIComponent(st.q) : ""));
			});
		}
	}

	function sorted(list, sort) {
		if (!sort) return list;
		const key = (r) => (r.d < items.length ? items[r.d] : null);
		const by = sort === "title" ? (a, b) => coll.compare(a.t, b.t) : (a, b) => (b.d || "").localeCompare(a.d || "");
		// Library resources in that order; other pages (news found by words) after them, as ranked.
		return list.map((r, i) => ({ r, i, it: key(r) })).sort((x, y) => (!x.it || !y.it ? !x.it - !y.it || x.i - y.i : by(x.it, y.it) || x.i - y.i)).map((x) => x.r);
	}

	// The address of a state: ?q=…&TAXONOMY=a,b&sort=…
	function address(q, sel) {
		const parts = Object.keys(sel).map((k) => encodeURIComponent(k) + "=" + sel[k].map(encodeURIComponent).join(","));
		if (q) parts.unshift("q=" + encodeURIComponent(q));
		if (sortPick) parts.push("sort=" + sortPick);
		return parts.length ? "?" + parts.join("&") : location.pathname;
	}

	// Runs the query and facets, draws the first results; push: a new history entry (a choice),
	// else the current one is replaced (typing, restoring).
	async function update(push) {
		const g = ++gen, sel = selected(), q = box.value.trim();
		const ws = q && index ? S.words(q, lang) : [];
		const facetsOn = Object.keys(sel).length > 0;
		list.dataset.state = "loading";
		list.setAttribute("aria-busy", "true");
		// The sort: the one picked, else relevance with words and newest without.
		const sort = sortPick || (ws.length ? "" : "new");
		sortEl.options[0].hidden = sortEl.options[0].disabled = !ws.length;
		sortEl.value = sort;
		let st, base;
		if (ws.length) {
			let res;
			try {
				res = await index.query(ws, true);
			} catch (e) {
				res = { m: { items: items.length }, all: true, ms: [], list: [] };
			}
			if (g !== gen) return;
			base = res.list.filter((r) => r.d < res.m.items);
			const keep = res.list.filter((r) => !facetsOn || (r.d < res.m.items && matches(items[r.d], sel)));
			st = { q, m: res.m, ms: res.ms, list: keep, note: !keep.length ? T.none : res.all ? "" : T.some };
		} else {
			base = items.map((it, d) => ({ d }));
			const keep = base.filter((r) => matches(items[r.d], sel));
			st = { q, m: { items: items.length }, ms: null, list: keep, note: keep.length ? "" : T.none };
		}
		st.sort = sort;
		st.list = sorted(st.list, sort);
		st.shown = 0;
		state = st;
		counts(base, sel);
		drawChips();
		drawEmpty(st);
		await page(g, false);
		if (g !== gen) return;
		list.removeAttribute("aria-busy");
		const url = address(q, sel);
		if (url !== (location.search || location.pathname)) history[push ? "pushState" : "replaceState"](null, "", url);
	}

	// The state of the address: words, ticks, sort.
	function restore() {
		const p = new URLSearchParams(location.search);
		box.value = p.get("q") || "";
		boxes.forEach((b) => { b.checked = (p.get(b.name) || "").split(",").includes(b.value); });
		sortPick = ["new", "title"].includes(p.get("sort")) ? p.get("sort") : "";
	}

	// The filters: a column on a wide screen (open unless closed), a modal drawer on a phone.
	let column = true;
	function layout() {
		if (panel.open && panel.matches(":modal")) panel.close();
		panel.toggleAttribute("open", wide.matches && column);
		toggle.setAttribute("aria-expanded", String(panel.open));
		doc.querySelector(".library-body").classList.toggle("filters-closed", !panel.open);
	}
	toggle.addEventListener("click", () => {
		if (wide.matches) {
			column = !panel.open;
			layout();
		} else {
			panel.showModal();
			toggle.setAttribute("aria-expanded", "true");
		}
	});
	panel.addEventListener("close", () => {
		toggle.setAttribute("aria-expanded", String(panel.open));
		if (!wide.matches) toggle.focus();
	});
	panel.querySelectorAll("[data-close]").forEach((b) => b.addEventListener("click", () => panel.close()));
	wide.addEventListener("change", layout);

	const facetsAt = new URL(form.dataset.facets, doc.baseURI).href;
	(S.json ? S.json(facetsAt) : fetch(facetsAt).then((r) => r.json())).then((data) => {
		items = data.items || [];
		// Each item's URLs against the file's own (relative in a pack); another site's: none.
		items.forEach((it) => {
			if (!it) return;
			it.u = typeof it.u == "string" ? own(it.u, facetsAt) : null;
			if (it.i && typeof it.i == "object") ["u", "webp"].forEach((k) => {
				if (typeof it.i[k] == "string") it.i[k] = own(it.i[k], facetsAt);
			});
		});
		(data.taxonomies || []).forEach((t) => {
			terms[t.name] = {};
			(t.terms || []).forEach((term) => { terms[t.name][term.name] = term; });
		});
		doc.querySelectorAll("[data-no-script]").forEach((e) => { e.hidden = true; });
		doc.querySelectorAll("[data-library]").forEach((e) => { e.hidden = false; });
		restore();
		layout();
		update(false);
		facets.addEventListener("change", () => update(true));
		sortEl.addEventListener("change", () => {
			// The default for the words as they are is no pick: it follows them.
			sortPick = sortEl.value === (S.words(box.value.trim(), lang).length ? "" : "new") ? "" : sortEl.value;
			update(true);
		});
		form.addEventListener("submit", (ev) => {
			ev.preventDefault();
			clearTimeout(timer);
			update(false);
		});
		box.addEventListener("input", () => {
			clearTimeout(timer);
			timer = setTimeout(() => update(false), 150);
		});
		facets.addEventListener("reset", () => setTimeout(() => update(true), 0));
		$("[data-clear]").addEventListener("click", () => {
			boxes.forEach((b) => { b.checked = false; });
			update(true).then(() => box.focus());
		});
		more.addEventListener("click", () => page(gen, true));
		addEventListener("popstate", () => {
			restore();
			update(false);
		});
	}).catch(() => { /* the term links stay */ });
})();
