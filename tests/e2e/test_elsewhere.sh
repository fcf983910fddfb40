#!/bin/sh
# Markdown written for GitHub (issue 14), on tests/fixtures/elsewhere: heading ids as GitHub gives
# them in several scripts, with -1, -2 for repeats, and the links and contents that name them;
# the title taken from the opening `# heading` as plain text and shown once; alerts as callouts
# labelled in the page's language (the site's i18n/bg.yaml, else English); a titled image as a
# figure; YouTube and Vimeo links as placeholders that load nothing from there; raw HTML that is
# left out named with its file and line. (A label edited while `serve` keeps a page's Markdown:
# tests/unit/test_engine.c.)
. "$(dirname "$0")/lib.sh"

S=$T/site
cp -R "$ROOT/tests/fixtures/elsewhere" "$S"
(cd "$S" && git init -q) && commit "$S" "written elsewhere"
"$SATCHEL" build -s "$S" >"$T/build.out" 2>&1
check "the site builds" test $? -eq 0
E=$S/public/en/guide/index.html
G=$S/public/bg/guide/index.html

# GitHub's ids (github-slugger's fixtures, rendered by GitHub; the others by its rule).
for id in whats-new café-crème-brûlée профили-пользователей ελληνικά-οδηγός ما-الجديد 你好世界 \
	-launch c--d use-git-log---oneline see-the-docs echo echo-1 echo-1-1 echo-2; do
	contains "heading id #$id" "$E" "<h2 id=\"$id\">"
done
contains "the contents link the same ids" "$E" 'href="#echo-1-1"'
contains "... and the ones in other scripts" "$E" 'href="#ελληνικά-οδηγός"'
lacks "links to #whats-new and #echo-1 find their headings" "$T/build.out" "there is no heading"

# The title: the opening heading, without its markup or {#id}, shown once.
contains "the title from '# Using *git* with \`log\` {#git}'" "$E" "<h1>Using git with log</h1>"
contains "... in <title> too" "$E" "<title>Using git with log – "
n=$(grep -c '<h1' "$E")
check "... and one <h1> on the page" test "$n" -eq 1
lacks "... no {#git} left" "$E" "{#git}"

# Alerts: five kinds, any case; a plain quote and a marker with text after it stay quotes.
for k in note tip important warning caution; do
	contains "a $k alert is a callout" "$E" "<div class=\"callout callout-$k\" role=\"note\">"
done
contains "... with its label" "$E" '<p class="callout-title">Warning</p>'
contains "a plain quote stays" "$E" "<blockquote>
<p>A plain quote stays a quote.</p>"
contains "text on the marker's line: a quote" "$E" "<p>[!NOTE] with text on the marker"
contains "labels in the page's language" "$G" '<p class="callout-title">Внимание</p>'
contains "... the theme's Bulgarian where the site's own strings have none" "$G" '<p class="callout-title">Съвет</p>'

# A titled image: a figure, the image processed as any (size, lazy).
contains "a titled image is a figure" "$E" '<figcaption>The waiting room of the centre</figcaption></figure>'
grep -o '<figure><picture><source type="image/webp"[^>]*><img[^>]*>' "$E" >"$T/fig"
contains "... its image processed as any (WebP, lazy, its size)" "$T/fig" '<img loading="lazy" decoding="async" width="800" height="1200" srcset='

# Videos: placeholders with the link, a local poster, the notice in the page's language.
contains "a YouTube link is a placeholder" "$E" '<figure class="video-embed" data-provider="youtube" data-id="dQw4w9WgXcQ">'
contains "... that links the video" "$E" 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"'
contains "... saying what it will load" "$E" "This will load content from YouTube (youtube-nocookie.com)."
contains "a Vimeo one too, titled from its link" "$E" 'class="video-embed-title">A talk on Vimeo</span>'
contains "... with the site's own poster" "$E" '<span class="video-embed-poster"><picture><source type="image/webp"'
contains "the notice in Bulgarian" "$G" "Това ще зареди съдържание от YouTube (youtube-nocookie.com)."
lacks "no iframe is published" "$E" "<iframe"
lacks "nothing of youtube-nocookie.com's in the HTML but the words" "$E" "src=\"https://www.youtube"

# Raw HTML left out: file and line.
contains "a dropped <script> is named with its line" "$T/build.out" "content/guide/index.md:63: warning: raw HTML <script> dropped"
contains "... an inline <span> too" "$T/build.out" "content/guide/index.md:65: warning: raw HTML <span> dropped"

"$SATCHEL" check -s "$S" >"$T/check.out" 2>&1
check "satchel check refuses what was left out" test $? -ne 0
contains "... naming its line" "$T/check.out" "content/guide/index.md:63: error: raw HTML <script> dropped"

# With unsafe_html, what the sanitiser keeps is no loss; what it drops still is.
printf 'options:\n  unsafe_html: true\n' >>"$S/site.yaml"
commit "$S" "unsafe"
"$SATCHEL" build -s "$S" >"$T/unsafe.out" 2>&1
check "the site builds with unsafe_html" test $? -eq 0
contains "a <script> the sanitiser drops is named" "$T/unsafe.out" "content/guide/index.md:63: warning: raw HTML <script> dropped"
lacks "... a <span> it keeps is not" "$T/unsafe.out" "<span>"
contains "... and is kept" "$E" 'Some <span class="x">inline</span> HTML.'

finish
