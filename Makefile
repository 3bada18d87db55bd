# xietong (协同) — the two commands a new machine needs:
#   make run    build the console and the binary, serve on the embedded defaults (SQLite, HTTPS)
#   make test   run every test: Go (SQLite, and PostgreSQL when XIETONG_TEST_POSTGRES is set; Redis
#               when XIETONG_TEST_REDIS is set), bounded fuzzing, the JS SDK's tests, the console's
#               unit tests, and the browser test in real Chromium

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN     := bin/xietong
DATA    ?= ./xietong-data
LISTEN  ?= 127.0.0.1:8443

# Fuzzing is bounded by a count of inputs per target (about ten seconds each here), not by a
# duration: when a -fuzztime duration ends, Go 1.26's coordinator (internal/fuzz, stop) can take
# the deadline for a worker's failure and fail the target with "context deadline exceeded" and no
# crasher (go.dev/issue/75804). FUZZSCALE multiplies every count, e.g. make test-fuzz FUZZSCALE=10.
FUZZSCALE ?= 1
fuzz = go test -run '^$$' -fuzz '^$(1)$$' -fuzztime $$(( $(2) * $(FUZZSCALE) ))x $(3)

.PHONY: run build web test test-go test-fuzz test-sdk-js test-web test-e2e vet clean

run: build
	$(BIN) serve --data-dir $(DATA) --listen $(LISTEN)

build: web
	go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(BIN) ./cmd/xietong

web: web/node_modules
	cd web && npm run build

web/node_modules: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

sdk/js/node_modules: sdk/js/package-lock.json
	cd sdk/js && npm ci --no-audit --no-fund
	@touch $@

# e2e installs a copy of sdk/js: refresh it when the SDK changes.
e2e/node_modules: e2e/package-lock.json sdk/js/package.json $(wildcard sdk/js/src/*.js)
	cd e2e && npm ci --no-audit --no-fund
	@touch $@

test: vet test-go test-fuzz test-sdk-js test-web test-e2e

vet:
	go vet ./...
	@test -z "$$(gofmt -l cmd internal web/*.go)" || (echo "gofmt needed:"; gofmt -l cmd internal web/*.go; exit 1)

# The Go suite drives the JS SDK's example against the gateway, so it needs sdk/js's modules.
test-go: sdk/js/node_modules
	go test -count=1 ./...

# Each fuzz target for a bounded count of inputs; a finding fails the run.
test-fuzz:
	$(call fuzz,FuzzRequest,60000,./internal/gateway)
	$(call fuzz,FuzzServerRequest,6000,./internal/gateway)
	$(call fuzz,FuzzCanonicalQuery,200000,./sdk/go)
	$(call fuzz,FuzzOpen,100000,./sdk/go)
	$(call fuzz,FuzzOpenEnvelope,80000,./sdk/go)
	$(call fuzz,FuzzParse,300000,./internal/dataapi/sqltpl)
	$(call fuzz,FuzzBind,150000,./internal/dataapi/sqltpl)

test-sdk-js: sdk/js/node_modules
	cd sdk/js && npm test

test-web: web/node_modules
	cd web && npm test

test-e2e: build e2e/node_modules
	cd e2e && XIETONG_BIN=$(CURDIR)/$(BIN) npm test

clean:
	rm -rf bin web/dist/assets web/dist/index.html
