# xietong (协同) — the two commands a new machine needs:
#   make run    build the console and the binary, serve on the embedded defaults (SQLite, HTTPS)
#   make test   run every test: Go (SQLite, and PostgreSQL when XIETONG_TEST_POSTGRES is set),
#               the console's unit tests, and the browser test in real Chromium

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN     := bin/xietong
DATA    ?= ./xietong-data
LISTEN  ?= 127.0.0.1:8443

.PHONY: run build web test test-go test-web test-e2e vet clean

run: build
	$(BIN) serve --data-dir $(DATA) --listen $(LISTEN)

build: web
	go build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(BIN) ./cmd/xietong

web: web/node_modules
	cd web && npm run build

web/node_modules: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

e2e/node_modules: e2e/package-lock.json
	cd e2e && npm ci --no-audit --no-fund
	@touch $@

test: vet test-go test-web test-e2e

vet:
	go vet ./...
	@test -z "$$(gofmt -l cmd internal web/*.go)" || (echo "gofmt needed:"; gofmt -l cmd internal web/*.go; exit 1)

test-go:
	go test -count=1 ./...

test-web: web/node_modules
	cd web && npm test

test-e2e: build e2e/node_modules
	cd e2e && XIETONG_BIN=$(CURDIR)/$(BIN) npm test

clean:
	rm -rf bin web/dist/assets web/dist/index.html
