#!/bin/sh
# Images are published through libvips, never copied: a photo carrying EXIF (with GPS and an
# Orientation of 6), XMP and IPTC (tests/fixtures/photo-gps.jpg) comes out with none of them,
# turned upright, at the widths its srcset claims, in JPEG and WebP, with the same bytes on every
# build, and the same bytes when taken from the last build's output; an SVG (which can carry script) is published as PNG and WebP only; an image satchel
# cannot re-encode stops the build at its path. Needs exiftool (libimage-exiftool-perl).
#
# The fixture was made once: a 1200x800 gradient with blurred noise saved by libvips (Q 70,
# stripped), then `exiftool -EXIF:Orientation#=6 -GPS:GPSLatitude=42.6977 ... -XMP-dc:Creator=...
# -XMP-exif:GPSLatitude=... -IPTC:By-line=... -IPTC:City=Sofia`.
. "$(dirname "$0")/lib.sh"

if ! command -v exiftool >/dev/null 2>&1; then
	fail "exiftool is installed (scripts/install-deps.sh installs libimage-exiftool-perl)"
	finish
	exit 1
fi
PHOTO=$ROOT/tests/fixtures/photo-gps.jpg
check "the fixture carries GPS" sh -c "exiftool -s3 -GPS:GPSLatitude '$PHOTO' | grep -q ."
check "the fixture carries XMP and IPTC" sh -c "exiftool -s3 -XMP-dc:Creator -IPTC:City '$PHOTO' | grep -q Sofia"

S=$T/site
minisite "$S"
B=$S/content/guidance/assessment
cp "$PHOTO" "$B/photo.jpg"
cat >>"$B/index.md" <<'MD'

![The meeting room](photo.jpg)
MD
# An SVG with a script and an embedded photo: neither may reach public/.
cat >"$B/plan.svg" <<'SVG'
<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150"><script>alert(1)</script><rect width="300" height="150" fill="#36c"/></svg>
SVG
mkdir -p "$S/static/img"
cp "$PHOTO" "$S/static/img/banner.jpg"
(cd "$S" && git init -q) && commit "$S" "Site with a photo"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "the site builds" test $? -eq 0
[ -s "$T/err" ] && cat "$T/err"
P=$S/public
U=$P/en/guidance/assessment

# Every image in public/: no EXIF, GPS, XMP, IPTC, Photoshop or ICC block, as exiftool reads
# them, and none of their markers in the raw bytes.
find "$P" -type f \( -name '*.jpg' -o -name '*.png' -o -name '*.webp' -o -name '*.gif' -o -name '*.svg' \) |
	sort >"$T/images"
n=$(wc -l <"$T/images")
check "the photo, its smaller widths and WebP versions are published ($n files)" test "$n" -ge 12
tagged=""
raw=""
while read -r f; do
	if exiftool -a -G1 -s -EXIF:all -GPS:all -XMP:all -IPTC:all -Photoshop:all -ICC_Profile:all \
		-Orientation "$f" | grep -q .; then
		tagged="$tagged $f"
	fi
	for marker in GPS Exif http://ns.adobe.com/xap 'Photoshop 3.0'; do
		if grep -qaF "$marker" "$f"; then raw="$raw $f($marker)"; fi
	done
done <"$T/images"
check "no image in public/ has EXIF, GPS, XMP, IPTC or ICC tags:$tagged" test -z "$tagged"
check "no image in public/ holds GPS, Exif, XMP or Photoshop markers:$raw" test -z "$raw"

# Orientation applied: the stored 1200x800 is shown 800x1200, and the page says so.
check "the photo is turned upright (800x1200)" \
	sh -c "test \"\$(exiftool -s3 -ImageWidth -ImageHeight '$U/photo.jpg' | tr '\n' x)\" = 800x1200x"
contains "the page gives the upright size" "$U/index.html" 'width="800" height="1200"'

# srcset: every candidate exists, as wide as its descriptor says, JPEG in <img>, WebP in <source>.
contains "the <img> has a srcset of JPEGs" "$U/index.html" \
	'srcset="/en/guidance/assessment/photo-480.jpg 480w, /en/guidance/assessment/photo.jpg 800w" sizes="'
contains "a WebP <source> comes first" "$U/index.html" \
	'<picture><source type="image/webp" srcset="/en/guidance/assessment/photo-480.webp 480w, /en/guidance/assessment/photo.webp 800w"'
contains "the image still loads lazily" "$U/index.html" '<img loading="lazy" decoding="async" width="800" height="1200"'
python3 - "$P" "$U/index.html" <<'PY' && ok "each srcset file exists at its claimed width" || fail "each srcset file exists at its claimed width"
import re, subprocess, sys
root, page = sys.argv[1], sys.argv[2]
html = open(page, encoding="utf-8").read()
sets = re.findall(r'srcset="([^"]*)"', html)
bad, seen = [], 0
for s in sets:
    for cand in s.split(", "):
        url, w = cand.rsplit(" ", 1)
        seen += 1
        out = subprocess.run(["exiftool", "-s3", "-ImageWidth", root + url], capture_output=True, text=True).stdout.strip()
        if out != w[:-1]:
            bad.append((url, w, out))
if bad:
    print(bad, file=sys.stderr)
sys.exit(0 if seen >= 4 and not bad else 1)
PY

# Static images go the same way.
exists "a static image's smaller WebP" "$P/img/banner-480.webp"

# SVG: rasterised, never published itself.
exists "the SVG is published as PNG" "$U/plan.png"
exists "... and as WebP at twice its width" "$U/plan-600.webp"
absent "the SVG itself is not published" "$U/plan.svg"
check "no SVG anywhere in public/" sh -c "! grep -q '\\.svg\$' '$T/images'"
# What the feed and the page's JSON-LD declare of a file is what was published: plan.png is a
# PNG (not image/svg+xml), named plan.png, of the PNG's size; every declared type is the type
# file(1) finds in the bytes published.
n=$(stat -c %s "$U/plan.png")
contains "the feed's attachment is the PNG, declared a PNG" "$P/en/feed.json" \
	"\"url\": \"https://hub.example.org/en/guidance/assessment/plan.png\", \"mime_type\": \"image/png\", \"title\": \"plan.png\", \"size_in_bytes\": $n"
lacks "nothing declared image/svg+xml" "$P/en/feed.json" "svg"
python3 - "$P" <<'PY' && ok "every attachment and JSON-LD encoding declares the type of its bytes" || fail "every attachment and JSON-LD encoding declares the type of its bytes"
import glob, json, re, subprocess, sys
root = sys.argv[1]
seen, bad = 0, []
def check(url, claimed):
    global seen
    path = root + re.sub(r"^https://hub.example.org", "", url)
    real = subprocess.run(["file", "-b", "--mime-type", path], capture_output=True, text=True).stdout.strip()
    seen += 1
    if real != claimed and not (real == "text/plain" and claimed.startswith("text/")):
        bad.append((url, claimed, real))
for feed in glob.glob(root + "/*/feed.json"):
    for item in json.load(open(feed))["items"]:
        for a in item.get("attachments", []):
            check(a["url"], a["mime_type"])
for page in glob.glob(root + "/*/guidance/*/index.html"):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', open(page).read()):
        for m in json.loads(block).get("encoding", []):
            check(m["contentUrl"], m["encodingFormat"])
if bad: print(bad, file=sys.stderr)
sys.exit(0 if seen >= 6 and not bad else 1)
PY

# Reproducible: a second build gives the same bytes.
"$SATCHEL" build -s "$S" -q -o "$T/second" 2>/dev/null
same=yes
while read -r f; do
	cmp -s "$f" "$T/second/${f#"$P"/}" || same="no: $f"
done <"$T/images"
check "two builds give the same image bytes ($same)" test "$same" = yes

# A rebuild takes unchanged images from the last output (a record in satchel's cache folder,
# ~/.cache/satchel/builds/HASH/images, holds each file's SHA-256; not in public/, where its
# hashes of the originals would be served, nor beside it in the site): the same bytes; and a
# published file edited since is made again, not trusted.
check "the record of published images, in the cache folder" sh -c "ls $HOME/.cache/satchel/builds/*/images"
absent "... not beside the output" "$S/.public.satchel-images"
absent "... and not in it" "$P/.satchel-images"
if grep -rqF "$(sha256sum "$PHOTO" | cut -c1-64)" "$P"; then
	fail "no hash of an original is published"
else
	ok "no hash of an original is published"
fi
cp "$PHOTO" "$U/photo.jpg"
"$SATCHEL" build -s "$S" -q 2>/dev/null
check "a rebuild from the last output gives the same bytes" cmp "$U/photo-480.webp" "$T/second/en/guidance/assessment/photo-480.webp"
check "a published photo replaced by hand is made again" cmp "$U/photo.jpg" "$T/second/en/guidance/assessment/photo.jpg"
check "... so its GPS tags do not come back" sh -c "! grep -qa GPS '$U/photo.jpg'"

# Broken images stop the build at their path, and public/ stays as it was.
cp "$U/index.html" "$T/before.html"
printf 'not a JPEG\n' >"$B/photo.jpg"
"$SATCHEL" build -s "$S" -q 2>"$T/err2"
check "an image that cannot be decoded fails the build" test $? -ne 0
contains "... with its path" "$T/err2" "content/guidance/assessment/photo.jpg: error: cannot read the image"
check "previous public/ intact" cmp "$U/index.html" "$T/before.html"
check "... and its photo too" cmp "$U/photo.jpg" "$T/second/en/guidance/assessment/photo.jpg"
cp "$PHOTO" "$B/photo.jpg"
cp "$PHOTO" "$B/plan.png"
"$SATCHEL" build -s "$S" -q 2>"$T/err3"
check "a version that would overwrite another file fails the build" test $? -ne 0
contains "... naming both" "$T/err3" "content/guidance/assessment/plan.svg: error: its version plan.png would overwrite content/guidance/assessment/plan.png's"

finish
