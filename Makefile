# fallnetz – the two commands for people: `make run` and `make check`.
# Everything else is Meson (build/ for the release build, build-check/ for the
# sanitizer build that the tests use).

DB       ?= fallnetz.db
LISTEN   ?= 127.0.0.1:8080
PERSONS  ?= 2000

.PHONY: run check build deps-run fmt lint bench clean

deps-run:
	@./scripts/install-deps.sh run

build: deps-run
	@[ -f build/build.ninja ] || meson setup build --buildtype=release -Dtests=false -Dbench=true >/dev/null
	@ninja -C build

# Creates the demo database on first start, then serves until Ctrl-C.
run: build
	@[ -f "$(DB)" ] || ./build/fallnetz demo --db "$(DB)" --persons $(PERSONS) >/dev/null
	@[ ! -f "$(DB)-zugaenge.txt" ] || cat "$(DB)-zugaenge.txt"
	@./build/fallnetz serve --db "$(DB)" --listen "$(LISTEN)"

# Every test, under AddressSanitizer and UndefinedBehaviorSanitizer.
check:
	@./scripts/check.sh

fmt:
	@./scripts/lint.sh --fix

lint:
	@./scripts/lint.sh

bench: build
	@./scripts/install-deps.sh bench
	@./bench/run.sh

clean:
	rm -rf build build-check build-release-check
