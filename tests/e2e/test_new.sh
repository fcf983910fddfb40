#!/bin/sh
# satchel new: a new site builds with no warning and passes check, with its first commit and a
# .gitignore for what builds write; a new page of a type passes check (with its placeholders, once
# it is no longer a draft); a translation carries the shared fields and translated_from = HEAD;
# nothing is written over, nothing outside content/.
. "$(dirname "$0")/lib.sh"

H=$T/hub
"$SATCHEL" new site "$H" --lang en,bg,ar --title 'Justice "hub"' >"$T/out" 2>"$T/err"
check "new site: exit 0" test $? -eq 0
check "new site: nothing on stderr" test ! -s "$T/err"
contains "new site: says where and the first commit" "$T/out" "a new site in $H: 3 languages"
contains "site.yaml: the title, quoted" "$H/site.yaml" 'title: "Justice \"hub\""'
contains "site.yaml: the default language" "$H/site.yaml" "default_language: en"
contains "site.yaml: Bulgarian's own name from ICU" "$H/site.yaml" 'name: "Български"'
contains "site.yaml: Arabic's own name" "$H/site.yaml" 'name: "العربية"'
check "site.yaml: Arabic is right to left" sh -c "grep -A3 'code: ar' '$H/site.yaml' | grep -q 'direction: rtl'"
check "site.yaml: English is not" sh -c "! grep -A3 'code: en' '$H/site.yaml' | grep -q 'direction'"
contains "site.yaml: the sections" "$H/site.yaml" "  - guidance"
exists "a home page" "$H/content/_index.md"
for s in guidance tools news events partners; do
	exists "a page for the section $s" "$H/content/$s/_index.md"
done
exists "an about page" "$H/content/about/index.md"
contains ".gitignore: public/" "$H/.gitignore" "/public/"
contains ".gitignore: the build's folders beside it" "$H/.gitignore" "/.public.*"
check "git: one commit" test "$(git -C "$H" rev-list --count HEAD)" = 1
check "git: the author from git's configuration" test "$(git -C "$H" log -1 --format='%an <%ae>')" = "Ana Editor <ana@example.org>"
check "git: the branch init.defaultBranch names" test "$(git -C "$H" symbolic-ref --short HEAD)" = main
check "git: every file committed" test -z "$(git -C "$H" status --porcelain)"

"$SATCHEL" build -s "$H" 2>"$T/err" >/dev/null
check "the new site builds" test $? -eq 0
check "... with no warning" sh -c "! grep -q 'warning' '$T/err'"
exists "... in every language" "$H/public/ar/index.html"
contains "... Arabic pages right to left" "$H/public/ar/index.html" 'dir="rtl"'
check "the build leaves git clean (.gitignore covers it)" test -z "$(git -C "$H" status --porcelain)"
"$SATCHEL" check -s "$H" >"$T/check" 2>&1
check "satchel check passes on the new site" test $? -eq 0
contains "... with nothing to say" "$T/check" "0 errors, 0 warnings"

# No git configuration: a neutral author, never a failure.
(HOME=$T/nohome GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null "$SATCHEL" new site "$T/plain" >/dev/null 2>&1)
check "no git identity: the first commit is satchel's" test "$(git -C "$T/plain" log -1 --format='%an' 2>/dev/null)" = satchel
contains "one language by default" "$T/plain/site.yaml" "default_language: en"

# Refusals: a folder that is not empty, a language ICU does not know, one given twice.
mkdir -p "$T/full" && echo x >"$T/full/notes.txt"
"$SATCHEL" new site "$T/full" 2>"$T/err"
check "a non-empty folder is refused" test $? -eq 1
contains "... saying why" "$T/err" "is not an empty folder"
check "... and left as it was" test "$(ls -A "$T/full")" = notes.txt
"$SATCHEL" new site "$T/x1" --lang en,qq 2>"$T/err"
check "an unknown language is a usage error" test $? -eq 2
contains "... naming it" "$T/err" "unknown language 'qq'"
absent "... and writes nothing" "$T/x1"
"$SATCHEL" new site "$T/x2" --lang en,bg,en 2>/dev/null
check "a language given twice is refused" test $? -eq 2

# A page of a type: its required fields with placeholders the type accepts.
cd "$H" || exit 1
"$SATCHEL" new event events/webinar >"$T/out" 2>&1
check "new event: exit 0" test $? -eq 0
F=content/events/webinar/index.md
exists "new event: written as a bundle" "$F"
contains "new event: a title from its name" "$F" 'title: "Webinar"'
contains "new event: a draft" "$F" "draft: true"
contains "new event: its required field" "$F" "start: "
contains "new event: the other fields as comments" "$F" "# place: text"
"$SATCHEL" check >"$T/check" 2>&1
check "the new page passes check" test $? -eq 0
sed -i '/^draft:/d' "$F"
"$SATCHEL" check >"$T/check" 2>&1
check "... and once it is no longer a draft (its placeholders pass the type)" test $? -eq 0
contains "... with nothing to say" "$T/check" "0 errors, 0 warnings"
"$SATCHEL" build -q 2>"$T/err"
exists "... and is published" "$H/public/en/events/webinar/index.html"

"$SATCHEL" new child-made works/drawing --title "A drawing" >/dev/null 2>&1
F2=content/works/drawing/index.md
contains "a type no section holds is named in the page" "$F2" "type: child-made"
contains "a choice gets its first value" "$F2" "medium: video"
contains "an age range" "$F2" 'age_range: "12-15"'
contains "--title" "$F2" 'title: "A drawing"'
"$SATCHEL" check >/dev/null 2>&1
check "... and passes check" test $? -eq 0
rm -r content/works

"$SATCHEL" new guidance interviewing-children >/dev/null 2>&1
exists "a bare name goes into the type's section" "content/guidance/interviewing-children/index.md"
"$SATCHEL" new news content/news/launch.md >/dev/null 2>&1
exists "a leading content/ and a .md name: a page file" "content/news/launch.md"
"$SATCHEL" new tool -s "$H" tools/checklist >/dev/null 2>&1
exists "-s names the site" "$H/content/tools/checklist/index.md"

# The translation: shared fields copied, translated_from = HEAD, beside its source.
sed -i 's/^title: "Webinar"/title: "Webinar: interviews"\nsummary: "Two hours online"\nonline: https:\/\/example.org\/w\nplace: Sofia/' "$F"
commit "$H" "webinar"
HEAD=$(git rev-parse HEAD)
"$SATCHEL" new event events/webinar --lang bg >"$T/out" 2>&1
check "new --lang: exit 0" test $? -eq 0
B=content/events/webinar/index.bg.md
exists "the translation is beside its source" "$B"
contains "translated_from is HEAD" "$B" "translated_from: $HEAD"
contains "a shared field is copied" "$B" "online: https://example.org/w"
contains "the required shared field is copied" "$B" "start: "
contains "the title comes to be translated" "$B" 'title: "Webinar: interviews"'
contains "the body comes to be translated" "$B" "Write the page here"
lacks "the comments of the source's other fields stay behind" "$B" "# registration:"
"$SATCHEL" check >"$T/check" 2>&1
check "the translation passes check" test $? -eq 0
sed -i '/^draft:/d' "$B"
"$SATCHEL" check >"$T/check" 2>&1
check "... and once it is no longer a draft" test $? -eq 0
lacks "... translated_from is a commit the history knows" "$T/check" "translated_from"
echo "A late change." >>"$F"
"$SATCHEL" new event events/webinar --lang ar >/dev/null 2>"$T/err"
check "a source with uncommitted changes: still written" test $? -eq 0
contains "... with a warning that HEAD does not hold them" "$T/err" "$F: warning: has changes that are not committed"
git checkout -q -- "$F" && rm content/events/webinar/index.ar.md
"$SATCHEL" new news news/launch.md --lang ar >/dev/null 2>&1
exists "a page file's translation is NAME.LANG.md" "content/news/launch.ar.md"

# Refusals of a page.
cp "$F" "$T/before.md"
"$SATCHEL" new event events/webinar 2>"$T/err"
check "an existing page is not written over" test $? -eq 1
contains "... saying so" "$T/err" "already exists"
check "... and stays as it was" cmp -s "$F" "$T/before.md"
"$SATCHEL" new event events/webinar --lang bg 2>/dev/null
check "an existing translation is not written over" test $? -eq 1
"$SATCHEL" new evnt events/x 2>"$T/err"
check "an unknown type is a usage error" test $? -eq 2
contains "... suggesting the closest" "$T/err" "unknown content type 'evnt'; did you mean 'event'?"
for p in ../outside events/../../x /tmp/x content/../x; do
	"$SATCHEL" new event "$p" 2>"$T/err"
	check "a path that leaves content/ is refused: $p" test $? -eq 2
done
absent "... nothing written outside" "$T/outside"
ln -s "$T" content/link
"$SATCHEL" new event link/x 2>"$T/err"
check "nothing is written through a symbolic link" test $? -eq 1
absent "... nothing written where it points" "$T/x"
rm content/link
"$SATCHEL" new event events/webinar --lang de 2>"$T/err"
check "a language the site does not have is refused" test $? -eq 2
"$SATCHEL" new event events/webinar --lang en 2>"$T/err"
check "the default language is no translation" test $? -eq 2
"$SATCHEL" new event events/nothing --lang bg 2>"$T/err"
check "a translation needs its source" test $? -eq 1
absent "... and is not written" content/events/nothing
cd "$T" || exit 1
"$SATCHEL" new event events/x 2>"$T/err"
check "outside a site: refused" test $? -eq 1
contains "... saying why" "$T/err" "no site here"

finish
