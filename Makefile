# redline's everyday commands. CI runs `.ci/run`, which runs the same steps.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: build test lint bench pgo fmt

## build: one static binary, ./redline
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o redline ./cmd/redline

## test: the README's test command
test:
	$(GO) test -race -count=1 -pgo=off ./...

## lint: gofmt, vet, staticcheck and golangci-lint, as CI runs them
lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	staticcheck ./...
	golangci-lint run ./...

## bench: the Go benchmarks (extraction over the shared corpus, diff, store writes)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## pgo: rebuild cmd/redline/default.pgo, the CPU profile `go build` optimises
## the binary with, from a busy newsroom bench (needs $(NEWSROOM))
NEWSROOM ?= ../shared/bench/newsroom
pgo:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(GO) build -o "$$tmp/redline" ./cmd/redline; \
	(cd $(NEWSROOM) && $(GO) build -o "$$tmp/newsroom" .); \
	cfg=$$(pwd)/examples/newsroom-bench.yaml; \
	(cd $(NEWSROOM) && "$$tmp/newsroom" bench -replicas 5 -rounds 6 -edit-rate 0.1 -fault-rate 0.02 \
		-workdir "$$tmp/bench" -label pgo \
		-setup "$$tmp/redline --db {{dir}}/r.db --config $$cfg add --from {{urls}} >/dev/null" \
		-cmd "$$tmp/redline --cpuprofile {{dir}}/cpu{{round}}.pprof --db {{dir}}/r.db --config $$cfg check --all --format jsonl" \
		>/dev/null); \
	$(GO) tool pprof -proto "$$tmp"/bench/cpu*.pprof > cmd/redline/default.pgo
	@ls -l cmd/redline/default.pgo

fmt:
	gofmt -w .
