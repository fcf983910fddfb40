// report.mjs: Markdown tables from eval.mjs's JSON files.
//
//   node report.mjs [--details] NAME=RESULTS.json...
//
// Per site (NAME) one table: per language and for all, recall@5 and MRR@5 of satchel and
// Pagefind side by side, the KB the first query fetched in a fresh browser context (scripts
// included) and the mean and largest KB of the later ones. KB: 1,024 bytes of response bodies as
// sent (gzipped where that is smaller; see eval.mjs). With --details, a table of every query
// follows each site's.
import fs from "node:fs";

const argv = process.argv.slice(2);
const details = argv.includes("--details");
const sites = argv.filter((a) => a !== "--details").map((a) => {
	const i = a.indexOf("=");
	return { name: a.slice(0, i), data: JSON.parse(fs.readFileSync(a.slice(i + 1), "utf8")) };
});

const kb = (b) => (b / 1024).toFixed(1);
const mean = (xs) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
const f2 = (x) => (Number.isNaN(x) ? "–" : x.toFixed(2));
const fkb = (x) => (Number.isNaN(x) ? "–" : kb(x));

function stats(rs) {
	const first = rs.filter((r) => r.first), later = rs.filter((r) => !r.first);
	return {
		n: rs.length,
		recall: mean(rs.map((r) => r.recall)),
		mrr: mean(rs.map((r) => r.rr)),
		hit: rs.filter((r) => r.rank).length,
		first: mean(first.map((r) => r.bytes)),
		later: mean(later.map((r) => r.bytes)),
		laterMax: later.length ? Math.max(...later.map((r) => r.bytes)) : NaN,
		errors: rs.filter((r) => r.error).length,
	};
}

const out = [];
for (const { name, data } of sites) {
	const rs = data.results;
	const engines = [...new Set(rs.map((r) => r.engine))];
	const langs = [...new Set(rs.map((r) => r.lang))];
	const ui = [...new Set(rs.filter((r) => r.engine === "satchel").map((r) => r.ui))];
	out.push(`### ${name}: ${new Set(rs.map((r) => r.lang + "\t" + r.q)).size} queries` +
		(ui.includes("old") ? " (satchel: the library search from before issue 12, no data-state)" : ""));
	out.push("");
	const E = (e) => (e === "satchel" ? "satchel" : "Pagefind");
	const both = engines.map(E).join(" / ");
	const head = ["language", "queries", `recall@5 (${both})`, "MRR@5", "first query KB", "later queries KB, mean", "later, max"];
	out.push(`| ${head.join(" | ")} |`);
	out.push(`|${head.map((_, i) => (i ? "---:" : "---")).join("|")}|`);
	const row = (label, filter) => {
		const st = engines.map((e) => stats(rs.filter((r) => r.engine === e && filter(r))));
		const cells = [label, String(st[0].n)];
		for (const k of ["recall", "mrr", "first", "later", "laterMax"])
			cells.push(st.map((x) => (k === "recall" || k === "mrr" ? f2(x[k]) : fkb(x[k]))).join(" / "));
		return `| ${cells.join(" | ")} |`;
	};
	for (const l of langs) out.push(row(l, (r) => r.lang === l));
	out.push(row("**all**", () => true));
	out.push("");
	for (const e of engines) {
		const s = stats(rs.filter((r) => r.engine === e));
		out.push(`- ${E(e)}: an expected page in the top 5 for ${s.hit} of ${s.n} queries` +
			(s.errors ? `; ${s.errors} queries failed (timeout or error, scored 0)` : ""));
	}
	const page = rs.filter((r) => r.engine === "satchel" && r.first);
	if (page.length)
		out.push(`- not counted above: the library page satchel's first query opens (its HTML, CSS, the ` +
			`theme's script, facets.json), ${kb(mean(page.map((r) => r.other)))} KB on average; ` +
			`Pagefind's page is not counted either`);
	out.push("");
	if (details) {
		out.push(`| language | query | tries | expected | ${engines.map((e) => `${E(e)} rank · recall · KB`).join(" | ")} |`);
		out.push(`|---|---|---|---:|${engines.map(() => "---").join("|")}|`);
		const seen = new Set();
		for (const r of rs) {
			const key = r.lang + "\t" + r.q;
			if (seen.has(key)) continue;
			seen.add(key);
			const cells = engines.map((e) => {
				const x = rs.find((y) => y.engine === e && y.lang + "\t" + y.q === key);
				if (!x) return "";
				if (x.error) return `error · 0 · ${kb(x.bytes)}`;
				return `${x.rank ?? "–"} · ${f2(x.recall)} · ${kb(x.bytes)}${x.first ? " (first)" : ""}`;
			});
			out.push(`| ${r.lang} | ${r.q.replace(/\|/g, "\\|")} | ${r.note} | ${r.expected.length} | ${cells.join(" | ")} |`);
		}
		out.push("");
	}
}
process.stdout.write(out.join("\n"));
