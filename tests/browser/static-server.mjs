// static-server.mjs: the static file server the browser tests share (a11y.mjs, search.mjs,
// subpath.mjs).

import fs from "node:fs";
import http from "node:http";
import path from "node:path";

const TYPES = {
	".html": "text/html; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".js": "text/javascript; charset=utf-8",
	".mjs": "text/javascript; charset=utf-8",
	".json": "application/json",
	".xml": "application/xml",
	".txt": "text/plain; charset=utf-8",
	".md": "text/markdown; charset=utf-8",
	".yml": "text/yaml; charset=utf-8",
	".wasm": "application/wasm",
	".csv": "text/csv; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
	".jpg": "image/jpeg",
	".jpeg": "image/jpeg",
	".gif": "image/gif",
	".webp": "image/webp",
	".avif": "image/avif",
	".ico": "image/x-icon",
	".pdf": "application/pdf",
	".woff2": "font/woff2",
	".woff": "font/woff",
	".zip": "application/zip",
};

// serve(root): a static file server on a free port of 127.0.0.1. A folder answers with its
// index.html (a folder without the trailing slash is redirected, as on a real host); a missing
// file answers 404 with the site's /404.html. Paths never leave root. With prefix ("/hub/"),
// root is served under it as a host serves a project site: the prefix maps to root, every other
// path answers a bare 404 (and is counted in server.outside).
export function serve(root, { prefix = "/" } = {}) {
	const outside = [];
	const server = http.createServer((req, res) => {
		let rel;
		try {
			rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
		} catch {
			res.writeHead(400).end();
			return;
		}
		if (prefix !== "/") {
			if (rel + "/" === prefix) {
				res.writeHead(301, { Location: prefix }).end();
				return;
			}
			if (!rel.startsWith(prefix)) {
				outside.push(req.url);
				res.writeHead(404, { "Content-Type": "text/plain" }).end("outside the site\n");
				return;
			}
			rel = "/" + rel.slice(prefix.length);
		}
		let file = path.join(root, rel);
		if (file !== root && !file.startsWith(root + path.sep)) {
			res.writeHead(403).end();
			return;
		}
		let st = fs.statSync(file, { throwIfNoEntry: false });
		if (st && st.isDirectory()) {
			if (!rel.endsWith("/")) {
				res.writeHead(301, { Location: prefix.slice(0, -1) + rel + "/" }).end();
				return;
			}
			file = path.join(file, "index.html");
			st = fs.statSync(file, { throwIfNoEntry: false });
		}
		let status = 200;
		if (!st || !st.isFile()) {
			status = 404;
			file = path.join(root, "404.html");
			if (!fs.existsSync(file)) {
				res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
				return;
			}
		}
		const type = TYPES[path.extname(file).toLowerCase()] || "application/octet-stream";
		res.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
		if (req.method === "HEAD")
			res.end();
		else
			fs.createReadStream(file).pipe(res);
	});
	server.outside = outside;
	return new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => resolve(server));
	});
}
