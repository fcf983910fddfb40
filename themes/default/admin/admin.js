/* satchel's start of Decap CMS at /admin/ (the build puts SATCHEL_CMS, the site's languages,
 * base path and preview styles, above this). It runs before decap-cms.js: Decap waits for
 * CMS.init, called here once the page is read, with the config of the editor's language. */
/* global SATCHEL_CMS, CMS */
window.CMS_MANUAL_INIT = true;

(function () {
	'use strict';
	var data = SATCHEL_CMS;
	var KEY = 'satchel-cms-lang';

	function find(code) {
		for (var i = 0; i < data.languages.length; i++)
			if (data.languages[i].code.toLowerCase() === String(code).toLowerCase())
				return data.languages[i];
		return null;
	}

	/* ?lang=, then the editor's earlier choice, then the browser's languages, else the default. */
	function chooseLanguage() {
		var asked = new URLSearchParams(location.search).get('lang');
		var lang = asked && find(asked);
		if (lang) {
			try { localStorage.setItem(KEY, lang.code); } catch (e) { /* private mode */ }
			return lang;
		}
		try { lang = find(localStorage.getItem(KEY)); } catch (e) { lang = null; }
		if (lang)
			return lang;
		var wanted = navigator.languages || [navigator.language || ''];
		for (var i = 0; i < wanted.length; i++) {
			lang = find(wanted[i]) || find(String(wanted[i]).split('-')[0]);
			if (lang)
				return lang;
		}
		return find(data['default']) || data.languages[0];
	}

	var lang = chooseLanguage();
	document.documentElement.lang = lang.code;

	var link = document.createElement('link');
	link.rel = 'cms-config-url';
	link.type = 'text/yaml';
	link.href = lang.config;
	document.head.appendChild(link);

	function loopback() {
		var h = location.hostname;
		return h === 'localhost' || h === '127.0.0.1' || h === '[::1]' || h === '::1';
	}

	/* An image needs its description, in every language the page is written in: Decap cannot
	 * make one field required by another, so a save without one is refused here, with the
	 * message in the editor's language and the languages that lack it. The image is shared (in
	 * the default language's data); each translation has its own description. */
	function refuseImageWithoutAlt(ev) {
		var entry = ev.entry;
		var d = entry.get('data');
		if (!d || !d.get('image'))
			return;
		function has(data) {
			var alt = data && data.get('image_alt');
			return alt && String(alt).trim() !== '';
		}
		var missing = has(d) ? [] : [data['default']];
		var i18n = entry.get('i18n');
		if (i18n)
			i18n.forEach(function (v, code) {
				var ld = v && v.get('data');
				var title = ld && ld.get('title');
				/* a language left empty is not written (satchel serve), so it needs nothing */
				if (title && String(title).trim() !== '' && !has(ld))
					missing.push(code);
			});
		if (missing.length)
			throw new Error(lang.strings.image_alt_required + ' (' + missing.join(', ') + ')');
	}

	function start() {
		if (!window.CMS)
			return;
		data.styles.forEach(function (href) { CMS.registerPreviewStyle(href); });
		CMS.registerEventListener({ name: 'preSave', handler: refuseImageWithoutAlt });
		var config = {};
		/* satchel serve answers Decap's local backend at BASEPATH/api/v1, on loopback only. */
		if (loopback())
			config.local_backend = { url: location.origin + data.base + 'api/v1',
			                         allowed_hosts: [location.hostname] };
		CMS.init({ config: config });
		if (lang.dir === 'rtl')
			rtlPreview();
	}

	/* The preview pane of a right-to-left language reads right to left. */
	function rtlPreview() {
		new MutationObserver(function () {
			var frames = document.querySelectorAll('iframe');
			for (var i = 0; i < frames.length; i++) {
				var doc = frames[i].contentDocument;
				if (doc && doc.documentElement && doc.documentElement.dir !== 'rtl') {
					doc.documentElement.dir = 'rtl';
					doc.documentElement.lang = lang.code;
				}
			}
		}).observe(document.body, { childList: true, subtree: true });
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', start);
	else
		start();
})();
