# satchel: a static site generator for multilingual resource hubs.
# `make` builds build/satchel; `make demo` builds the demo hub; `make check` runs every test.

PREFIX ?= /usr/local
CC ?= cc
PKGS = libcmark-gfm lua5.4 libgit2 yaml-0.1 icu-uc icu-i18n icu-io vips gio-2.0 libmicrohttpd libxxhash libzip jansson
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Igenerator \
	-DSATCHEL_DATADIR='"$(PREFIX)/share/satchel"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libstemmer (Snowball) ships no pkg-config file.
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread -lm

SRC = $(wildcard generator/*.c generator/util/*.c)
LIBSRC = $(filter-out generator/main.c,$(SRC))
TESTSRC = $(wildcard tests/unit/test_*.c)

# Two builds: the release build and one with AddressSanitizer and UBSan that the tests use.
B = build
SAN = build/asan
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

OBJ = $(LIBSRC:%.c=$(B)/%.o)
SANOBJ = $(LIBSRC:%.c=$(SAN)/%.o)

.PHONY: all deps demo check unit e2e install clean bench bench-scale bench-serve engine-bench search-bench search-eval fmt clang-check fuzz
all: $(B)/satchel

deps:
	@sh scripts/install-deps.sh

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(SAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SANFLAGS) -MMD -MP -c $< -o $@

$(B)/libsatchel.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SAN)/libsatchel.a: $(SANOBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/satchel: $(B)/generator/main.o $(B)/libsatchel.a
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)

$(SAN)/satchel: $(SAN)/generator/main.o $(SAN)/libsatchel.a
	$(CC) $(ALL_CFLAGS) $(SANFLAGS) -o $@ $^ $(LIBS)

$(SAN)/tests/%: tests/unit/%.c $(SAN)/libsatchel.a tests/unit/test.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SANFLAGS) -Itests/unit -DSATCHEL_SOURCE_DIR='"$(CURDIR)"' -o $@ $< $(SAN)/libsatchel.a $(LIBS)

UNIT_BINS = $(TESTSRC:tests/unit/%.c=$(SAN)/tests/%)

# Fuzzing (tests/fuzz/README.md). `make check` replays each target's corpus and past findings
# through a gcc build of the target with replay.c; `make fuzz` builds the targets with clang's
# libFuzzer and runs each for FUZZ_TIME seconds.
FUZZSRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS = $(FUZZSRC:tests/fuzz/%.c=$(SAN)/tests/%)
FUZZ = $(B)/fuzz
FUZZ_TIME = 60
FUZZFLAGS = $(SANFLAGS) -fsanitize=fuzzer-no-link
FUZZOBJ = $(LIBSRC:%.c=$(FUZZ)/%.o)

$(SAN)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(SAN)/libsatchel.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SANFLAGS) -Itests/fuzz -DFUZZ_NAME='"fuzz_$*"' \
		-DFUZZ_DIR='"$(CURDIR)/tests/fuzz"' -o $@ $< tests/fuzz/replay.c $(SAN)/libsatchel.a $(LIBS)

$(FUZZ)/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(ALL_CFLAGS) $(FUZZFLAGS) -MMD -MP -c $< -o $@

$(FUZZ)/libsatchel.a: $(FUZZOBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ)/libsatchel.a
	clang $(ALL_CFLAGS) $(SANFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< $(FUZZ)/libsatchel.a $(LIBS)

fuzz: $(FUZZSRC:tests/fuzz/%.c=$(FUZZ)/%)
	@sh tests/fuzz/run.sh $(FUZZ_TIME) $^

demo: deps
	@$(MAKE) --no-print-directory $(B)/satchel
	@./$(B)/satchel build
	@echo
	@echo "The demo hub is in $(CURDIR)/public/"
	@echo "Open it with:  python3 -m http.server -d public 8080   and then http://localhost:8080/"

# The whole suite: every unit test and every end-to-end test, all under ASan and UBSan,
# plus a warning-clean compile with clang.
check: deps
	@$(MAKE) --no-print-directory $(B)/satchel $(SAN)/satchel $(UNIT_BINS) $(FUZZ_BINS)
	@$(MAKE) --no-print-directory clang-check
	@sh tests/run.sh $(SAN) $(UNIT_BINS) $(FUZZ_BINS)

clang-check:
	@if command -v clang >/dev/null; then \
		for f in $(SRC); do clang -fsyntax-only $(filter-out -g -O2,$(ALL_CFLAGS)) $$f || exit 1; done; \
		echo "clang: $(words $(SRC)) files compile without warnings"; \
	fi

bench: $(B)/satchel
	@sh scripts/bench.sh

# The scale series (500 to 30,000 resources, with Hugo): SCALE_DIR keeps the corpora.
SCALE_DIR ?= bench-out
bench-scale: $(B)/satchel
	@sh scripts/bench-scale.sh --dir $(SCALE_DIR)

bench-serve: $(B)/satchel
	@sh scripts/bench-serve.sh

# satchel's search beside Pagefind's on the demo hub and the bench corpus (a benchmark: not in
# `make check`).
search-eval: $(B)/satchel
	@sh scripts/search-eval.sh

# The engine's editor loop on the bench corpus (or SITE=…): first run, a body saved, a title.
BENCH_SITE ?= bench-out/corpus-r2000-s15
$(B)/engine-bench: scripts/engine_bench.c $(B)/libsatchel.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libsatchel.a $(LIBS)

engine-bench: $(B)/engine-bench
	@$(B)/engine-bench $(BENCH_SITE)

# The search index's cost on one core beside its floor (ICU breaks, Snowball once per word).
$(B)/search-bench: scripts/search_bench.c $(B)/libsatchel.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libsatchel.a $(LIBS)

search-bench: $(B)/search-bench
	@sh scripts/search-bench.sh $(SITE)

# The floor bench.sh compares a build with: cmark-gfm over the corpus, and writing the same bytes.
$(B)/floor: scripts/floor.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBS)

DECAP_REL = admin/node_modules/decap-cms/dist
DECAP = themes/default/$(DECAP_REL)

install: $(B)/satchel
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/satchel/themes
	install -m 755 $(B)/satchel $(DESTDIR)$(PREFIX)/bin/satchel
	tar -C themes --exclude=default/admin/node_modules -cf - default | \
		tar -C $(DESTDIR)$(PREFIX)/share/satchel/themes -xf -
	@# Of npm's tree for Decap CMS (380 MB), only the files the build copies into /admin/.
	if [ -f $(DECAP)/decap-cms.js ]; then \
		install -d $(DESTDIR)$(PREFIX)/share/satchel/themes/default/$(DECAP_REL) && \
		install -m 644 $(DECAP)/*decap-cms.js $(DECAP)/*.wasm $(DECAP)/decap-cms.js.LICENSE.txt \
			$(DESTDIR)$(PREFIX)/share/satchel/themes/default/$(DECAP_REL)/; \
	fi

clean:
	rm -rf build

fmt:
	clang-format -i $(SRC) generator/*.h generator/util/*.h

-include $(OBJ:.o=.d) $(SANOBJ:.o=.d) $(FUZZOBJ:.o=.d) $(B)/generator/main.d $(SAN)/generator/main.d
