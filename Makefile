# s3pipe: S3, Parquet and MongoDB filters. GNU make.
#
#   make                 build every tool in cmd/ into $(BUILD)/bin
#   make check           install test deps, lint, test, then test again
#                        under ASan+UBSan at reduced sizes
#   make check-heavy     GiB-scale cases
#   make demo            see README
#   make static          static binaries in build-static/bin (doc/static.md)
#   make install PREFIX=/usr/local
include config.mk

BUILD	?= build
ifeq ($(SAN),1)
OPT	= -O1 -g
EXTRA	= $(SANFLAGS)
endif
ALL_CFLAGS  = $(CSTD) $(WARN) $(OPT) $(EXTRA) -Ilib $(MONGO_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(EXTRA) $(LDFLAGS)

LIB_SRC	:= $(sort $(wildcard lib/*.c lib/*/*.c))
LIB_OBJ	:= $(LIB_SRC:%.c=$(BUILD)/%.o)
LIBA	:= $(BUILD)/libs3pipe.a
TOOLS	:= $(sort $(patsubst cmd/%.c,%,$(wildcard cmd/*.c)))
BINS	:= $(TOOLS:%=$(BUILD)/bin/%)
HELPERS	:= $(patsubst t/helper/%.c,$(BUILD)/t/%,$(wildcard t/helper/*.c))
FUZZ	:= $(patsubst t/fuzz/fuzz_%.c,%,$(wildcard t/fuzz/fuzz_*.c))
REPLAYS	:= $(FUZZ:%=$(BUILD)/fuzz/replay_%)
MANS	:= $(wildcard man/*.1)

all: $(BINS)
tests: $(BINS) $(HELPERS) $(REPLAYS)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BUILD)/bin/%: $(BUILD)/cmd/%.o $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

$(BUILD)/t/%: $(BUILD)/t/helper/%.o $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

# Replay mains run a fuzz target over its corpus without libFuzzer.
$(BUILD)/fuzz/replay_%: $(BUILD)/t/fuzz/fuzz_%.o $(BUILD)/t/fuzz/replay.o $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# Real libFuzzer binaries (clang only): make fuzz, then
# build-fuzz/fuzz/fuzz_NAME t/fuzz/corpus/NAME
fuzz:
	$(MAKE) BUILD=build-fuzz CC=clang OPT='-O1 -g' \
	    EXTRA='-fsanitize=fuzzer-no-link,address,undefined' \
	    $(FUZZ:%=build-fuzz/fuzz/fuzz_%)
build-fuzz/fuzz/fuzz_%: build-fuzz/t/fuzz/fuzz_%.o build-fuzz/libs3pipe.a
	@mkdir -p $(@D)
	$(CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

deps:
	sh t/deps.sh

lint:
	sh t/lint.sh

check: deps
	$(MAKE) lint
	$(MAKE) CC=clang BUILD=build-clang all
	$(MAKE) tests
	sh t/run-suite.sh build
	$(MAKE) SAN=1 BUILD=build-san tests
	TEST_SCALE=10 TEST_SANITIZE=1 sh t/run-suite.sh build-san

check-heavy: deps
	$(MAKE) tests
	TEST_HEAVY=1 sh t/run-suite.sh build

demo: deps
	$(MAKE) tests
	bash examples/demo.sh

# Static binaries into build-static/bin (musl; the MongoDB tools are
# skipped, see doc/static.md).
static:
	MAKE='$(MAKE)' sh build-aux/static.sh

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	cp $(BINS) $(DESTDIR)$(BINDIR)/
	cp $(MANS) $(DESTDIR)$(MANDIR)/man1/

clean:
	rm -rf build build-san build-clang build-fuzz

.PHONY: all tests fuzz deps lint check check-heavy demo static install clean
.SECONDARY:
-include $(LIB_OBJ:.o=.d) $(BUILD)/cmd/*.d $(BUILD)/t/helper/*.d $(BUILD)/t/fuzz/*.d
