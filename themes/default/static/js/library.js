// library.js: filters the library page by facets, from /LANG/facets.json. Terms of one taxonomy
// widen the selection (OR), taxonomies narrow it (AND). The choice is kept in the URL's query so
// a filtered list can be shared. Without this script the page shows term links instead.
(function () {
	"use strict";
	var form = document.querySelector("form.facets[data-facets]");
	if (!form || !window.fetch) return;
	var list = document.querySelector("[data-results]");
	var status = document.querySelector(".results-count");
	var countEl = status && status.querySelector("[data-count]");
	var lang = document.documentElement.lang;
	var fmt = window.Intl ? new Intl.NumberFormat(lang) : { format: String };
	var items = [];

	function selected() {
		var sel = {};
		form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
			(sel[box.name] = sel[box.name] || []).push(box.value);
		});
		return sel;
	}

	function matches(item, sel) {
		return Object.keys(sel).every(function (tax) {
			var has = (item.f && item.f[tax]) || [];
			return sel[tax].some(function (v) { return has.indexOf(v) >= 0; });
		});
	}

	function render() {
		var sel = selected();
		var shown = items.filter(function (it) { return matches(it, sel); });
		list.textContent = "";
		shown.forEach(function (it) {
			var li = document.createElement("li");
			var a = document.createElement("a");
			a.href = it.u;
			a.textContent = it.t;
			if (it.l !== lang) { a.lang = it.l; a.hreflang = it.l; }
			li.appendChild(a);
			if (it.d) {
				var time = document.createElement("time");
				time.dateTime = it.d;
				time.textContent = " " + it.d;
				li.appendChild(time);
			}
			list.appendChild(li);
		});
		countEl.textContent = fmt.format(shown.length);
		var q = Object.keys(sel).map(function (k) {
			return encodeURIComponent(k) + "=" + sel[k].map(encodeURIComponent).join(",");
		}).join("&");
		history.replaceState(null, "", q ? "?" + q : location.pathname);
	}

	function restore() {
		new URLSearchParams(location.search).forEach(function (vals, tax) {
			vals.split(",").forEach(function (v) {
				form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
					if (box.name === tax && box.value === v) box.checked = true;
				});
			});
		});
	}

	fetch(form.getAttribute("data-facets")).then(function (r) { return r.json(); }).then(function (data) {
		items = data.items || [];
		form.hidden = false;
		list.hidden = false;
		status.hidden = false;
		restore();
		render();
		form.addEventListener("change", render);
		form.addEventListener("reset", function () { setTimeout(render, 0); });
	}).catch(function () { /* the term links stay */ });
})();
