#!/bin/sh
# Installs the Debian packages satchel needs to build, test and benchmark.
# Idempotent and non-interactive: packages already present are skipped, and
# apt-get is only called when something is missing.
#
# With --build, only what building satchel and sites needs (CI jobs, the Containerfile): no
# test tools, no browser, no Node.js.
set -eu

BUILD_PKGS="build-essential pkg-config git ca-certificates
libcmark-gfm-dev libcmark-gfm-extensions-dev
liblua5.4-dev libgit2-dev libyaml-dev libicu-dev libstemmer-dev
libmicrohttpd-dev libvips-dev libxxhash-dev libzip-dev"
# nginx runs docs/examples/nginx.conf in tests/e2e/test_nginx*.sh (the package starts a server
# on port 80 where services start on install; the tests run their own on a loopback port).
TEST_PKGS="python3 clang libclang-rt-dev valgrind hugo time chromium libimage-exiftool-perl
python3-html5lib nginx curl"

case "${1:-}" in
--build) PKGS=$BUILD_PKGS ;;
"") PKGS="$BUILD_PKGS $TEST_PKGS" ;;
*)
	echo "usage: $0 [--build]" >&2
	exit 2
	;;
esac

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

# Node.js and npm run the browser tests (tests/browser). Any recent version does, so one already
# on the PATH (from Debian or elsewhere) is kept.
if [ "${1:-}" != --build ] && { ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; }; then
	missing="$missing nodejs npm"
fi

# Decap CMS, the editor a site with `cms:` in site.yaml gets at /admin/, pinned in
# themes/default/admin/package-lock.json; the build copies its files from node_modules there.
# Without Node.js (--build on a bare machine) it is left out with a note: such sites still build,
# without /admin/, and say so.
admin_deps() {
	admin=$(cd "$(dirname "$0")/.." && pwd)/themes/default/admin
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		echo "install-deps: no node/npm, so Decap CMS (the /admin/ editor of sites with cms:) is not installed" >&2
		return 0
	fi
	# Already installed from this lock file: nothing to do.
	if [ -f "$admin/node_modules/.package-lock.json" ] &&
		[ -z "$(find "$admin/package-lock.json" -newer "$admin/node_modules/.package-lock.json")" ]; then
		return 0
	fi
	(cd "$admin" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
}

if [ -z "$missing" ]; then
	admin_deps
	exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO="sudo"
fi
echo "install-deps: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
admin_deps
