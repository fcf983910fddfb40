#!/bin/sh
# What files are published, and with what metadata. Files beside pages are an allow-list
# (documents, images, audio, video, captions, data): an HTML, XHTML, JavaScript, WebAssembly,
# compressed SVG, unknown or extension-less file fails the build at its path, public/ intact,
# and `satchel check` lists it. Every image libvips reads is re-encoded (jfif, jpe) or refused
# (heic, tif, avif, bmp). A file published as it is (video, audio, PDF, docx), from content/ or
# static/, carrying a GPS position, a serial number or a comment is refused at its path. Then
# exiftool finds no GPS, serial number, comment or location in any published file — an oracle
# first shown to find them in the raw files. Needs exiftool (libimage-exiftool-perl).
. "$(dirname "$0")/lib.sh"

if ! command -v exiftool >/dev/null 2>&1; then
	fail "exiftool is installed (scripts/install-deps.sh installs libimage-exiftool-perl)"
	finish
	exit 1
fi
PHOTO=$ROOT/tests/fixtures/photo-gps.jpg
FILM=$ROOT/content/by-children/what-we-want-judges-to-know/film.mp4

# The oracle: every tag whose name says GPS, serial, comment or location, in any group
# (EXIF GPS, XMP, QuickTime UserData and Keys, ItemList, ID3...), but exiftool's own
# Composite ones and the file's own name.
leaks() { exiftool -q -q -a -G1 -s '-*GPS*' '-*Serial*' '-*Comment*' '-*Location*' "$@" | grep -v '^\[Composite\]'; }

# Tagged files of many kinds, made here.
R=$T/raw
mkdir -p "$R"
cp "$PHOTO" "$R/photo.jfif"
cp "$FILM" "$R/gps-xyz.mp4"
exiftool -q -overwrite_original -UserData:GPSCoordinates="42.6977, 23.3219" "$R/gps-xyz.mp4"
cp "$FILM" "$R/gps-keys.mov"
exiftool -q -overwrite_original -Keys:GPSCoordinates="42.6977, 23.3219" "$R/gps-keys.mov"
cp "$FILM" "$R/comment.m4a"
exiftool -q -overwrite_original -ItemList:Comment="recorded at Ivan's school" "$R/comment.m4a"
cp "$FILM" "$R/serial.mp4"
exiftool -q -overwrite_original -XMP-aux:SerialNumber=SN123456 "$R/serial.mp4"
python3 - "$R" "$PHOTO" <<'PY'
import struct, sys, zipfile
out, photo = sys.argv[1], open(sys.argv[2], "rb").read()
def pdf(path, image=None):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]
    res = b"/Resources << /XObject << /Im1 4 0 R >> >> " if image else b""
    objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + res +
                b"/Contents %d 0 R >>" % (5 if image else 4))
    if image:  # a JPEG in a PDF keeps its bytes (DCTDecode), EXIF included
        objs.append(b"<< /Type /XObject /Subtype /Image /Width 1200 /Height 800 /ColorSpace "
                    b"/DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
                    % len(image) + image + b"\nendstream")
    c = b"q 200 0 0 133 0 0 cm /Im1 Do Q" if image else b""
    objs.append(b"<< /Length %d >>\nstream\n" % len(c) + c + b"\nendstream")
    data, offs = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs):
        offs.append(len(data))
        data += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offs)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    open(path, "wb").write(data)
pdf(out + "/clean.pdf")
pdf(out + "/gps-xmp.pdf")
pdf(out + "/photo-inside.pdf", photo)
def syncsafe(n): return bytes([(n >> 21) & 127, (n >> 14) & 127, (n >> 7) & 127, n & 127])
text = b"\x00eng\x00recorded at Ivan's school"
frame = b"COMM" + struct.pack(">I", len(text)) + b"\x00\x00" + text
mpeg = b"\xff\xfb\x90\x64" + b"\x00" * 413
open(out + "/comment.mp3", "wb").write(b"ID3\x03\x00\x00" + syncsafe(len(frame)) + frame + mpeg * 4)
open(out + "/clean.mp3", "wb").write(mpeg * 4)
with zipfile.ZipFile(out + "/photo-inside.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/document.xml", "<w:document/>")
    z.write(sys.argv[2], "word/media/image1.jpeg")
PY
exiftool -q -overwrite_original -XMP-exif:GPSLatitude=42.6977 "$R/gps-xmp.pdf"
# Where else the same things hide: a PDF's compressed XMP stream and its Info dictionary, an RTF's
# \doccomm, a WAV's RIFF INFO comment, an ID3 version 2.2 comment. And a clean PDF whose XMP
# and page are compressed, which must still publish.
python3 - "$R" <<'PY2'
import struct, sys, zlib
out = sys.argv[1]
def xmp(inner):
    return (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
            b'rdf:about="" ' + inner + b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
def pdf(path, meta, info=b"<< /Title (A guide) >>"):
    z, c = zlib.compress(meta), zlib.compress(b"BT /F1 12 Tf 20 100 Td (A guide) Tj ET")
    objs = [b"<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 6 0 R >>",
            b"<< /Type /Metadata /Subtype /XML /Filter /FlateDecode /Length %d >>\nstream\n" % len(z)
            + z + b"\nendstream", info,
            b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(c) + c + b"\nendstream"]
    data, offs = bytearray(b"%PDF-1.5\n"), []
    for i, o in enumerate(objs):
        offs.append(len(data))
        data += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    data += b"".join(b"%010d 00000 n \n" % o for o in offs)
    data += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    open(path, "wb").write(data)
title = b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">A guide</rdf:li></rdf:Alt></dc:title>'
pdf(out + "/clean-z.pdf", xmp(title))
pdf(out + "/gps-z.pdf", xmp(b'xmlns:exif="http://ns.adobe.com/exif/1.0/"><exif:GPSLatitude>42,41.862N</exif:GPSLatitude>'))
pdf(out + "/info-comment.pdf", xmp(title), b"<< /Title (A guide) /Comments (interview at Ivan's school) >>")
open(out + "/comment.rtf", "wb").write(rb"{\rtf1\ansi{\info{\doccomm interview at Ivan's school}}Hello}")
pcm, fmt = b"\x00\x00" * 100, struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
icmt = b"recorded at Ivan's school\x00"
info = b"INFO" + b"ICMT" + struct.pack("<I", len(icmt)) + icmt
body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"LIST" + struct.pack("<I", len(info))
        + info + b"data" + struct.pack("<I", len(pcm)) + pcm)
open(out + "/comment.wav", "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(pcm)) + pcm
open(out + "/clean.wav", "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
def ss(n): return bytes([(n >> 21) & 127, (n >> 14) & 127, (n >> 7) & 127, n & 127])
t = b"\x00eng\x00recorded at Ivan's school"
fr = b"COM" + struct.pack(">I", len(t))[1:] + t
open(out + "/comment22.mp3", "wb").write(b"ID3\x02\x00\x00" + ss(len(fr)) + fr + b"\xff\xfb\x90\x64" + b"\x00" * 413)
PY2

# The oracle can fail: it finds what each tagged file carries, and nothing in the clean ones.
found() { leaks "$@" | grep -q .; }
for f in photo.jfif gps-xyz.mp4 gps-keys.mov comment.m4a serial.mp4 gps-xmp.pdf comment.mp3 \
	gps-z.pdf info-comment.pdf comment.rtf comment.wav comment22.mp3; do
	check "the oracle finds what $f carries" found "$R/$f"
done
check "the oracle finds nothing in the clean PDF, MP3 and MP4" sh -c "! exiftool -q -q -a -G1 -s '-*GPS*' '-*Serial*' '-*Comment*' '-*Location*' '$R/clean.pdf' '$R/clean-z.pdf' '$R/clean.mp3' '$R/clean.wav' '$FILM' | grep -v '^\[Composite\]' | grep -q ."

# A site that publishes what it may: JPEGs under other names, clean documents and media, and
# the site's own script in static/.
S=$T/site
minisite "$S"
B=$S/content/guidance/assessment
cp "$R/photo.jfif" "$B/photo.jfif"
cp "$PHOTO" "$B/upright.JPE"
cp "$PHOTO" "$B/LOUD.JPG"
cp "$R/clean.pdf" "$B/guide.PDF"
cp "$R/clean-z.pdf" "$B/compressed.pdf"
cp "$R/clean.wav" "$B/talk.wav"
cp "$R/clean.mp3" "$B/talk.mp3"
cp "$FILM" "$B/film.mp4"
printf 'WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n' >"$B/film.en.vtt"
printf '{"a": 1}\n' >"$B/data.json"
printf '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><script>alert(1)</script><rect width="40" height="20"/></svg>\n' >"$B/PLAN.SVG"
cat >>"$B/index.md" <<'MD'

![A photo](photo.jfif) ![Another](upright.JPE) ![Loud](LOUD.JPG) ![Plan](PLAN.SVG)
[The guide](guide.PDF), [the talk](talk.mp3), [the film](film.mp4), [data](data.json).
MD
# Icons: a site's static/favicon.ico is published as it is (no libvips saver for it), through
# the metadata scan; one whose PNG carries a text comment is refused.
python3 - "$R" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
def png(text=None):
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    extra = chunk(b"tEXt", b"Comment\0made at Ivan's school") if text else b""
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + \
        chunk(b"IDAT", zlib.compress(b"\0\xff\0\0")) + chunk(b"IEND", b"")
def ico(p): return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 1, 1, 0, 0, 1, 32, len(p), 22) + p
open(sys.argv[1] + "/favicon.ico", "wb").write(ico(png()))
open(sys.argv[1] + "/comment.ico", "wb").write(ico(png(True)))
PY
mkdir -p "$S/static/js" "$S/static/img"
cp "$R/favicon.ico" "$S/static/favicon.ico"
printf 'console.log("the site owners script");\n' >"$S/static/js/site.js"
cp "$PHOTO" "$S/static/img/banner.jfif"
(cd "$S" && git init -q) && commit "$S" "A site with files"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "the site with allowed files builds" test $? -eq 0
[ -s "$T/err" ] && cat "$T/err"
P=$S/public
U=$P/en/guidance/assessment
exists "a .jfif photo is published under its own name" "$U/photo.jfif"
exists "a .JPE photo is published under its own name" "$U/upright.JPE"
exists "the site's own script in static/ is published" "$P/js/site.js"
check "the site's static/favicon.ico is published as it is" cmp -s "$R/favicon.ico" "$P/favicon.ico"
exists "a static .jfif is published" "$P/img/banner.jfif"
exists "a PDF is published" "$U/guide.PDF"
exists "a clean PDF with compressed streams is published" "$U/compressed.pdf"
exists "a clean WAV is published" "$U/talk.wav"
absent "an upper-case .SVG is not published as SVG" "$U/PLAN.SVG"
exists "an upper-case .SVG is published as PNG" "$U/PLAN.png"
check "the .jfif is a JPEG, re-encoded, turned upright (800x1200)" \
	sh -c "test \"\$(exiftool -s3 -FileType -ImageWidth -ImageHeight '$U/photo.jfif' | tr '\n' x)\" = JPEGx800x1200x"
contains "the page shows the .jfif with its size" "$U/index.html" 'width="800" height="1200"'
# exiftool on every published file, of every kind.
find "$P" -type f | sort >"$T/published"
n=$(wc -l <"$T/published")
check "files of many kinds are published ($n)" test "$n" -ge 40
leaks $(cat "$T/published") >"$T/leaks"
check "exiftool finds no GPS, serial number, comment or location in any published file: $(head -c 300 "$T/leaks")" test ! -s "$T/leaks"
grep -aq 'alert(1)' $(cat "$T/published") && fail "no published file holds the SVG's script" || ok "no published file holds the SVG's script"

# Files that must not be published: each fails the build at its path, and public/ is left as
# it was.
(cd "$P" && find . -type f | sort | xargs sha256sum) >"$T/before"
bad="page.html old.HTM doc.xhtml app.js mod.mjs logo.svgz run.wasm data.xml style.css notes.xyz README .htaccess
	photo.heic scan.TIF photo.avif photo.bmp photo.jxl
	gps-xyz.mp4 gps-keys.mov comment.m4a serial.mp4 gps-xmp.pdf photo-inside.pdf comment.mp3 photo-inside.docx
	gps-z.pdf info-comment.pdf comment.rtf comment.wav comment22.mp3 icon.ico"
mkdir -p "$S/content/bad"
printf -- '---\ntitle: Bad files\n---\nFiles.\n' >"$S/content/bad/index.md"
for f in $bad; do
	if [ -f "$R/$f" ]; then cp "$R/$f" "$S/content/bad/$f"; else cp "$PHOTO" "$S/content/bad/$f"; fi
done
printf '<script>alert(1)</script>\n' >"$S/content/bad/page.html"
cp "$R/gps-xmp.pdf" "$S/static/map.pdf"
cp "$PHOTO" "$S/static/img/scan.tiff"
cp "$R/comment.ico" "$S/static/comment.ico"
commit "$S" "Bad files"
"$SATCHEL" build -s "$S" -q 2>"$T/err"
check "a site with files it may not publish fails to build" test $? -eq 1
for f in $bad; do
	contains "the build names content/bad/$f" "$T/err" "content/bad/$f: error:"
done
contains "the build names a static PDF with a GPS position" "$T/err" "static/map.pdf: error: holds a GPS position (XMP)"
contains "the build names a static TIFF" "$T/err" "static/img/scan.tiff: error: a .tiff image is not published"
contains "the build names a static icon with a comment" "$T/err" "static/comment.ico: error: holds a comment (PNG text)"
contains "a video's message says what it holds" "$T/err" "content/bad/gps-xyz.mp4: error: holds a GPS position (QuickTime"
contains "the message says how to clean it" "$T/err" "exiftool -all="
contains "a photo inside a docx is found" "$T/err" "content/bad/photo-inside.docx: error: holds a GPS position (EXIF), in a file it contains"
contains "an HTML file's message says why" "$T/err" "content/bad/page.html: error: a .html file is not published"
contains "a HEIC photo's message says what to do" "$T/err" "content/bad/photo.heic: error: a .heic image is not published: save it as JPEG or PNG"
(cd "$P" && find . -type f | sort | xargs sha256sum) >"$T/after"
check "public/ is left as it was" cmp -s "$T/before" "$T/after"
"$SATCHEL" check -s "$S" >"$T/check" 2>&1
check "satchel check fails on them" test $? -eq 1
for f in page.html run.wasm README photo.heic gps-keys.mov photo-inside.pdf; do
	contains "satchel check lists content/bad/$f" "$T/check" "content/bad/$f"
done
finish
