// Live reload for `satchel serve`, which adds this script to the pages it serves (never to a
// build's output). It listens to the server's events at /_satchel/events: after a good build it
// reloads the page when the page's file (or a style sheet or script) changed, or when it cannot
// tell; after a failed build it shows the errors over the page, which stays as the last good
// build made it, until a good build reloads it. It makes no request but to the preview server.
(function () {
	'use strict';
	var me = document.currentScript;
	if (!me || !window.EventSource) return;
	var token = me.getAttribute('data-token'); // the build this page came from
	var file = me.getAttribute('data-file'); // its file in the output ("en/x/index.html")
	var overlay = null;
	var source = null;

	function affects(changed) {
		for (var i = 0; i < changed.length; i++) {
			var c = changed[i];
			if (c === file || /\.(css|js|mjs|woff2?)$/.test(c)) return true;
		}
		return false;
	}

	function where(m) {
		if (m.path === null) return 'satchel';
		var s = m.path;
		if (m.line > 0) s += ':' + m.line;
		if (m.line > 0 && m.col > 0) s += ':' + m.col;
		return s;
	}

	// Built with textContent only: a message is shown as text, whatever it holds.
	function show(messages) {
		hide();
		overlay = document.createElement('div');
		overlay.id = 'satchel-build-errors';
		overlay.setAttribute('role', 'alertdialog');
		overlay.setAttribute('aria-labelledby', 'satchel-build-errors-title');
		overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;overflow:auto;' +
			'background:#181818;color:#fff;padding:1rem;box-sizing:border-box;' +
			'font:16px/1.5 system-ui,sans-serif;text-align:left;direction:ltr';
		var box = document.createElement('div');
		box.style.cssText = 'max-width:60rem;margin:0 auto';
		var h = document.createElement('h2');
		h.id = 'satchel-build-errors-title';
		h.textContent = 'The build failed';
		h.style.cssText = 'margin:0 0 .5rem;font-size:1.4rem;color:#ff8a80';
		var p = document.createElement('p');
		p.textContent = 'satchel serve keeps serving the last good build; fix the file and save, ' +
			'and this page reloads.';
		p.style.cssText = 'margin:0 0 1rem';
		var list = document.createElement('ul');
		list.style.cssText = 'list-style:none;margin:0;padding:0';
		for (var i = 0; i < messages.length; i++) {
			var m = messages[i];
			var li = document.createElement('li');
			li.style.cssText = 'margin:0 0 .75rem;padding:.5rem .75rem;border-left:4px solid ' +
				(m.error ? '#ff8a80' : '#ffd180') + ';background:rgba(255,255,255,.08)';
			var w = document.createElement('code');
			w.textContent = where(m);
			w.style.cssText = 'display:block;font:15px/1.4 ui-monospace,monospace;' +
				'overflow-wrap:anywhere;color:#b3e5fc';
			var t = document.createElement('span');
			t.textContent = (m.error ? 'error: ' : 'warning: ') + m.text;
			t.style.cssText = 'display:block;white-space:pre-wrap;overflow-wrap:anywhere';
			li.appendChild(w);
			li.appendChild(t);
			list.appendChild(li);
		}
		box.appendChild(h);
		box.appendChild(p);
		box.appendChild(list);
		overlay.appendChild(box);
		document.body.appendChild(overlay);
	}

	function hide() {
		if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
		overlay = null;
	}

	function onBuild(ev) {
		var d;
		try { d = JSON.parse(ev.data); } catch (e) { return; }
		if (!d.ok) {
			show(d.messages || []);
			return;
		}
		if (d.token === token && !overlay) return; // the page is of this build
		// The next build after this page's, which says what it changed, and not this page.
		if (!overlay && d.prev === token && d.changed && !affects(d.changed)) {
			token = d.token;
			return;
		}
		window.location.reload();
	}

	function connect() {
		source = new EventSource('/_satchel/events');
		source.addEventListener('build', onBuild);
		source.onerror = function () {
			// The browser retries by itself while the stream is CONNECTING; a server that went
			// away for good closes it, and a restarted one is looked for again.
			if (source.readyState === EventSource.CLOSED) {
				source.close();
				setTimeout(connect, 1000);
			}
		};
	}
	connect();
})();
