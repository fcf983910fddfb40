/* satchel default theme: small enhancements. Every page works without this file. */
(function () {
	"use strict";
	var KEY = "satchel.lang";
	var doc = document;

	/* Storage may be disabled or full (private windows): then nothing is remembered. */
	function stored() {
		try { return localStorage.getItem(KEY); } catch (e) { return null; }
	}
	function remember(code) {
		try { localStorage.setItem(KEY, code); } catch (e) { /* not remembered */ }
	}

	/* Links of every language chooser (root page, header switcher, 404 page). */
	function choiceLinks() {
		return doc.querySelectorAll("[data-lang-choice] a[hreflang]");
	}

	/* A click on a language is an explicit choice: the root page honours it next time. */
	doc.addEventListener("click", function (ev) {
		var a = ev.target && ev.target.closest ? ev.target.closest("a[hreflang]") : null;
		if (a && a.closest("[data-lang-choice]"))
			remember(a.getAttribute("hreflang"));
	});

	/* The site language that best fits: the remembered choice, else the first of the browser's
	 * languages that matches exactly or by primary subtag ("sr-RS" -> "sr"), else none. */
	function bestLanguage(codes) {
		var lower = codes.map(function (c) { return String(c).toLowerCase(); });
		var want = navigator.languages && navigator.languages.length ?
		    navigator.languages : [navigator.language || ""];
		var s = stored(), i, j, w;
		if (s && lower.indexOf(s.toLowerCase()) >= 0)
			return codes[lower.indexOf(s.toLowerCase())];
		for (i = 0; i < want.length; i++) {
			w = String(want[i]).toLowerCase();
			j = lower.indexOf(w);
			if (j >= 0)
				return codes[j];
			w = w.split("-")[0];
			for (j = 0; j < lower.length; j++)
				if (lower[j].split("-")[0] === w)
					return codes[j];
		}
		return null;
	}

	function redirectFromRoot(data) {
		var codes, code, links, i;
		try { codes = JSON.parse(data); } catch (e) { return; }
		if (!Array.isArray(codes) || !codes.length)
			return;
		code = bestLanguage(codes);
		if (!code)
			return; /* no match: the chooser stays */
		/* The chooser's own link, so the URL comes from the page and not from a guess. */
		links = choiceLinks();
		for (i = 0; i < links.length; i++) {
			if (links[i].getAttribute("hreflang") === code) {
				location.replace(links[i].href);
				return;
			}
		}
	}

	/* Wide tables scroll sideways in their own box instead of widening the page on phones;
	 * tabindex lets keyboard users scroll it. */
	function wrapTables() {
		var tables = doc.querySelectorAll(".content table"), i, t, w;
		for (i = 0; i < tables.length; i++) {
			t = tables[i];
			if (t.parentNode.classList && t.parentNode.classList.contains("table-wrap"))
				continue;
			w = doc.createElement("div");
			w.className = "table-wrap";
			w.tabIndex = 0;
			t.parentNode.insertBefore(w, t);
			w.appendChild(t);
		}
	}

	/* A tool's print button: shown only where it works. */
	function printButtons() {
		var b = doc.querySelectorAll("[data-print]"), i;
		for (i = 0; i < b.length; i++) {
			b[i].hidden = false;
			b[i].addEventListener("click", function () { window.print(); });
		}
	}

	/* Course progress, in this browser only: a module page notes that it was opened; module
	 * lists mark the modules opened before. */
	function courseProgress() {
		var list = doc.querySelector(".module-list[data-course]"), seen, cur, items, i, a;
		if (!list)
			return;
		var key = "satchel.course." + list.getAttribute("data-course");
		try { seen = JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { seen = []; }
		if (!Array.isArray(seen))
			seen = [];
		cur = list.querySelector("a[aria-current]");
		if (cur && seen.indexOf(cur.pathname) < 0) {
			seen.push(cur.pathname);
			try { localStorage.setItem(key, JSON.stringify(seen)); } catch (e) { /* not kept */ }
		}
		items = list.querySelectorAll("li > a");
		for (i = 0; i < items.length; i++) {
			a = items[i];
			if (a !== cur && seen.indexOf(a.pathname) >= 0) {
				a.parentNode.classList.add("visited");
				a.setAttribute("aria-describedby", "visited-note");
			}
		}
		var note = doc.createElement("span");
		note.id = "visited-note";
		note.hidden = true;
		note.textContent = list.getAttribute("data-visited") || "";
		list.appendChild(note);
	}

	/* Events listed as upcoming when the site was built that have ended since move to the
	 * past list. */
	function ageEvents() {
		var up = doc.querySelector("[data-events=upcoming]"), past = doc.querySelector("[data-events=past]");
		if (!up || !past)
			return;
		var now = Date.now() / 1000, items = up.querySelectorAll("li[data-end]"), i, end;
		for (i = items.length - 1; i >= 0; i--) {
			end = Number(items[i].getAttribute("data-end"));
			if (end && end < now) {
				past.insertBefore(items[i], past.firstChild);
				past.closest("section").hidden = false;
			}
		}
	}

	/* The header's disclosures (languages, the phone's menu) close on Escape, which gives the
	 * focus back to their button, and on a click or a focus elsewhere; one opening closes the
	 * other. Without script they open and close as <details> do. */
	function headerMenus() {
		var ds = doc.querySelectorAll("details.lang-switch, details[data-menu]"), i;
		if (!ds.length)
			return;
		function closeAll(except) {
			for (var j = 0; j < ds.length; j++)
				if (ds[j] !== except && ds[j].open)
					ds[j].open = false;
		}
		for (i = 0; i < ds.length; i++) {
			ds[i].addEventListener("toggle", function (ev) {
				if (ev.target.open)
					closeAll(ev.target);
			});
		}
		doc.addEventListener("keydown", function (ev) {
			if (ev.key !== "Escape")
				return;
			for (var j = 0; j < ds.length; j++) {
				if (ds[j].open) {
					ds[j].open = false;
					ds[j].querySelector("summary").focus();
				}
			}
		});
		function outside(ev) {
			for (var j = 0; j < ds.length; j++)
				if (ds[j].open && !ds[j].contains(ev.target))
					ds[j].open = false;
		}
		doc.addEventListener("click", outside);
		doc.addEventListener("focusin", outside);
	}

	/* The contents: open beside the text on a wide screen, closed above it on a phone, where
	 * choosing a heading closes it again so the heading is what shows. */
	function contents() {
		var toc = doc.querySelector("details[data-toc]");
		if (!toc || !window.matchMedia)
			return;
		var wide = window.matchMedia("(min-width: 64rem)");
		function fit() { toc.open = wide.matches; }
		fit();
		if (wide.addEventListener)
			wide.addEventListener("change", fit);
		toc.addEventListener("click", function (ev) {
			if (!wide.matches && ev.target.closest && ev.target.closest("a[href^='#']"))
				toc.open = false;
		});
		/* The heading read now is marked in the contents (aria-current="location"): the last
		 * one whose top has passed the upper third of the window. */
		var links = toc.querySelectorAll("a[href^='#']"), heads = [], i, h, cur = null;
		for (i = 0; i < links.length; i++) {
			try { h = doc.getElementById(decodeURIComponent(links[i].hash.slice(1))); } catch (e) { h = null; }
			if (h)
				heads.push([h, links[i]]);
		}
		if (!heads.length || !window.requestAnimationFrame)
			return;
		var queued = false;
		function mark() {
			queued = false;
			var at = null, line = window.innerHeight / 3;
			for (var j = 0; j < heads.length; j++)
				if (heads[j][0].getBoundingClientRect().top <= line)
					at = heads[j][1];
			if (at === cur)
				return;
			if (cur)
				cur.removeAttribute("aria-current");
			if (at)
				at.setAttribute("aria-current", "location");
			cur = at;
		}
		window.addEventListener("scroll", function () {
			if (!queued) {
				queued = true;
				window.requestAnimationFrame(mark);
			}
		}, { passive: true });
		mark();
	}

	/* Checklists (task lists in the text): the boxes can be ticked, and the ticks are kept in
	 * this browser for this page, each by its place and its text, so an edited list does not
	 * tick the wrong line. A tool page shows buttons to print with the ticks and to clear them. */
	function checklists() {
		var boxes = doc.querySelectorAll(".content label > input[type=checkbox]"), i;
		if (!boxes.length)
			return;
		var key = "satchel.ticks:" + location.pathname;
		function id(b, n) {
			return n + ":" + b.parentNode.textContent.replace(/\s+/g, " ").trim().slice(0, 80);
		}
		var kept = null;
		try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { kept = null; }
		for (i = 0; i < boxes.length; i++) {
			boxes[i].disabled = false;
			if (Array.isArray(kept))
				boxes[i].checked = kept.indexOf(id(boxes[i], i)) >= 0;
		}
		function save() {
			var on = [];
			for (var j = 0; j < boxes.length; j++)
				if (boxes[j].checked)
					on.push(id(boxes[j], j));
			try { localStorage.setItem(key, JSON.stringify(on)); } catch (e) { /* not kept */ }
		}
		doc.addEventListener("change", function (ev) {
			if (ev.target.type === "checkbox" && ev.target.closest(".content"))
				save();
		});
		var tools = doc.querySelector("[data-checklist-tools]");
		if (!tools)
			return;
		tools.hidden = false;
		var plain = doc.querySelector("[data-print]");
		if (plain)
			plain.remove();
		var status = tools.querySelector("[data-ticks-status]");
		tools.querySelector("[data-print-ticks]").addEventListener("click", function () { window.print(); });
		tools.querySelector("[data-reset-ticks]").addEventListener("click", function () {
			for (var j = 0; j < boxes.length; j++)
				boxes[j].checked = boxes[j].defaultChecked;
			try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
			if (status)
				status.textContent = status.getAttribute("data-cleared");
		});
	}

	var root = doc.documentElement.dataset ? doc.documentElement.dataset.root : null;
	if (root)
		redirectFromRoot(root);
	wrapTables();
	checklists();
	printButtons();
	courseProgress();
	ageEvents();
	headerMenus();
	contents();
})();

/* ---- markdown: video placeholders ----
 * A YouTube or Vimeo link alone in a paragraph is a link to the video inside
 * <figure class="video-embed" data-provider data-id> (generator/markdown.c): nothing is asked of
 * the video's host until the reader clicks. Then the player takes the link's place, from
 * youtube-nocookie.com, or from player.vimeo.com with dnt=1. Its address is built from the
 * provider and an id of that provider's form alone, never read from the page (and raw HTML
 * cannot carry data- attributes past the sanitiser). A click to open in a new tab stays a link. */
(function () {
	"use strict";
	var players = {
		youtube: ["https://www.youtube-nocookie.com/embed/", /^[A-Za-z0-9_-]{11}$/, "?autoplay=1"],
		vimeo: ["https://player.vimeo.com/video/", /^[0-9]{1,12}$/, "?dnt=1&autoplay=1"]
	};
	document.addEventListener("click", function (e) {
		if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || !e.target.closest)
			return;
		var a = e.target.closest(".video-embed-link"), fig = a && a.parentNode;
		var p = fig && players[fig.getAttribute("data-provider")], id = fig && fig.getAttribute("data-id");
		if (!p || !p[1].test(id || ""))
			return;
		e.preventDefault();
		var f = document.createElement("iframe");
		f.src = p[0] + id + p[2];
		f.title = (a.querySelector(".video-embed-title") || a).textContent;
		f.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
		f.setAttribute("allowfullscreen", "");
		f.referrerPolicy = "strict-origin-when-cross-origin";
		a.parentNode.replaceChild(f, a);
		f.focus();
	});
})();
