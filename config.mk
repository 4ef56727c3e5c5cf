# Build configuration. Override on the command line: make CC=clang
CC	?= cc
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man

OPT	?= -O2 -g
WARN	= -Wall -Wextra -Wpedantic -Werror
CSTD	= -std=c11 -D_GNU_SOURCE
# libbson/libmongoc headers come in as system headers so their own
# pedantic warnings do not fail our build.
MONGO_CFLAGS = $(shell pkg-config --cflags libmongoc-1.0 2>/dev/null | sed 's/-I/-isystem /g')
MONGO_LIBS   = $(shell pkg-config --libs libmongoc-1.0 2>/dev/null)

# Run-time libraries. --as-needed keeps tools that use none of a library
# (sum8m, pqmeta) free of it.
LDLIBS	= -Wl,--as-needed -lbearssl -lzstd $(MONGO_LIBS) -lpthread -lm

# SAN=1: the sanitizer build used by the second pass of make check.
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
