# Khomun (ข้อมูล) — build, run, test. The one interface: make, make run, make test, make bench,
# make fuzz, make format, make install PREFIX=… . Variants: make SANITIZE=address (ASan+UBSan),
# make SANITIZE=thread (TSan, clang), make CI=1 (-Werror).

CC       ?= cc
PREFIX   ?= /usr/local
SANITIZE ?=
CI       ?=
DATA     ?= khomun-data
LISTEN   ?= 127.0.0.1:8080

ifeq ($(SANITIZE),address)
BUILD    ?= build/asan
else ifeq ($(SANITIZE),thread)
BUILD    ?= build/tsan
CC       := clang
else
BUILD    ?= build
endif

PKGS       := libmicrohttpd jansson sqlite3 libsodium libcrypto libpq zlib libhs libthai
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CSTD   := -std=c11 -D_GNU_SOURCE
WARN   := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wpointer-arith -Wcast-qual -Wcast-align -Wformat=2 -Wformat-security -Wundef \
          -Wvla -Wwrite-strings -Wdouble-promotion -Wimplicit-fallthrough \
          -Wno-missing-field-initializers \
          -Werror=implicit-function-declaration -Werror=incompatible-pointer-types \
          -Werror=return-type
HARDEN := -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fstack-clash-protection -fPIE
LDHARD := -pie -Wl,-z,relro,-z,now

ifeq ($(SANITIZE),address)
OPT     := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
           -DKHM_ARENA_DEBUG
LDOPT   := -fsanitize=address,undefined
else ifeq ($(SANITIZE),thread)
OPT     := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
LDOPT   := -fsanitize=thread
else
OPT     := -O2 -g $(HARDEN)
LDOPT   := $(LDHARD)
# the scanner's loops (bench/scan): -O3 unrolls and vectorises them, 3-4% fewer instructions
SCAN_OPT := -O3
endif
ifneq ($(CI),)
WARN    += -Werror
endif

CFLAGS  := $(CSTD) $(WARN) $(OPT) -Iinclude $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  := $(PKG_LIBS) -lpthread

LIB_SRC := $(sort $(wildcard src/lib/*/*.c))
SRV_SRC := $(sort $(wildcard src/server/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
SRV_OBJ := $(SRV_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/assets.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
CLI_A   := $(BUILD)/libkhomun-cli.a
LIB_A   := $(BUILD)/libkhomun.a
SRV_A   := $(BUILD)/libkhomun-server.a
BIN     := $(BUILD)/khomun

UNIT_SRC := $(sort $(wildcard tests/unit/*/*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
# the fuzz targets, each linked with tests/fuzz/replay.c for the smoke run of make test
REPLAY_SRC := $(filter-out tests/fuzz/replay.c,$(sort $(wildcard tests/fuzz/*.c)))
REPLAY_BIN := $(REPLAY_SRC:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)
HEADERS  := $(sort $(wildcard include/khomun/*.h))
ASSETS   := $(sort $(wildcard web/*.html web/assets/*)) docs/openapi.json $(sort $(wildcard docs/cli/*.md))

.PHONY: all run test unit headertest bench fuzz format format-check install deps clean
.DEFAULT_GOAL := all

all: $(BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

# Unit tests include the .c under test to reach static helpers (h2o style), so they get the
# tested file's directory on the include path.
$(BUILD)/obj/gen/assets.o: $(BUILD)/gen/assets.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -Isrc/server -Wno-overlength-strings -c $< -o $@

$(BUILD)/embed: scripts/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O1 -Wall -Wextra -o $@ $<

$(BUILD)/gen/assets.c: $(BUILD)/embed $(ASSETS)
	@mkdir -p $(@D)
	$(BUILD)/embed $(ASSETS) > $@.tmp && mv $@.tmp $@

# The address gazetteer of the LOCATION detector, embedded from the committed TSV (nothing is
# downloaded): data/gazetteer/SOURCE.md.
$(BUILD)/gen/gazetteer.inc: data/gazetteer/th-subdistricts.tsv scripts/gazetteer.sh
	@mkdir -p $(@D)
	@bash scripts/gazetteer.sh inc $< > $@.tmp && mv $@.tmp $@
$(BUILD)/obj/src/lib/scan/%.o: CFLAGS += $(SCAN_OPT)
$(BUILD)/obj/src/lib/scan/gazetteer.o: $(BUILD)/gen/gazetteer.inc
$(BUILD)/obj/src/lib/scan/gazetteer.o: CFLAGS += -I$(BUILD)/gen

$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(SRV_A): $(SRV_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

# everything of the CLI but main(), so unit tests can walk the command table
$(CLI_A): $(filter-out %/main.o,$(CLI_OBJ))
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(SRV_A) $(LIB_A)
	@echo "  LD      $@"
	@$(CC) $(OPT) $(LDOPT) -o $@ $(CLI_OBJ) $(SRV_A) $(LIB_A) $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(CLI_A) $(SRV_A) $(LIB_A) tests/unit/unit.h tests/unit/unit_pg.h
	@mkdir -p $(@D)
	@echo "  TEST-CC $@"
	@$(CC) $(CFLAGS) -Wno-missing-prototypes -Itests/unit -Isrc/lib/$(firstword $(subst /, ,$*)) \
	    -Isrc/$(firstword $(subst /, ,$*)) -o $@ $< $(CLI_A) $(SRV_A) $(LIB_A) $(LDLIBS) -lcmocka $(LDOPT)

unit: $(UNIT_BIN) $(REPLAY_BIN)

$(BUILD)/tests/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c $(LIB_A)
	@mkdir -p $(@D)
	@echo "  REPLAY  $@"
	@$(CC) $(CFLAGS) -Wno-missing-prototypes -o $@ $< tests/fuzz/replay.c $(LIB_A) $(LDLIBS) $(LDOPT)

# Each public header compiles on its own (libgit2 headertest).
headertest:
	@mkdir -p $(BUILD)/headertest
	@for h in $(HEADERS); do \
	    printf '#include <khomun/%s>\nint khm_headertest_%s;\n' $$(basename $$h) \
	        $$(basename $$h .h) > $(BUILD)/headertest/t.c; \
	    $(CC) -std=c11 -Wall -Wextra -Wpedantic -Werror -Iinclude $(PKG_CFLAGS) \
	        -fsyntax-only $(BUILD)/headertest/t.c || { echo "headertest: $$h FAILED"; exit 1; }; \
	done; echo "headertest: $(words $(HEADERS)) headers compile alone"

deps:
	@bash scripts/deps.sh

# run and test install what is missing first, then build in a second make: the pkg-config
# flags above are read when make starts, so on a fresh machine they exist only after deps.sh
run:
	@bash scripts/deps.sh build
	@$(MAKE) --no-print-directory $(BIN)
	$(BIN) serve --demo --data $(DATA) --listen $(LISTEN)

test:
	@bash scripts/deps.sh
	@$(MAKE) --no-print-directory $(BIN) unit
	@BUILD=$(BUILD) bash scripts/test.sh

bench: $(BIN)
	@for b in bench/*/run.sh; do KHOMUN_BIN=$(BIN) bash $$b || exit 1; done

FUZZ_SECONDS ?= 30
FUZZ_SRC := $(filter-out tests/fuzz/replay.c,$(sort $(wildcard tests/fuzz/*.c)))
fuzz:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang \
	    EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -DKHM_ARENA_DEBUG" \
	    build/fuzz/libkhomun.a
	@mkdir -p build/fuzz/bin
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	    clang $(CSTD) -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude $(PKG_CFLAGS) \
	        -o build/fuzz/bin/$$n $$f build/fuzz/libkhomun.a $(LDLIBS) || exit 1; \
	    mkdir -p build/fuzz/corpus/$$n; \
	    echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	    build/fuzz/bin/$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=build/fuzz/crash-$$n- \
	        build/fuzz/corpus/$$n tests/fuzz/corpus/$$n > build/fuzz/$$n.log 2>&1; rc=$$?; \
	    tail -n 12 build/fuzz/$$n.log; \
	    if [ $$rc -ne 0 ]; then echo "fuzz: $$n FAILED (artifacts in build/fuzz/)"; exit 1; fi; \
	done

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format-check: clean"

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/include/khomun $(DESTDIR)$(PREFIX)/lib
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/khomun
	install -m 0644 $(HEADERS) $(DESTDIR)$(PREFIX)/include/khomun/
	install -m 0644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
