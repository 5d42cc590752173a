# redline's everyday commands. CI runs `.ci/run`, which runs the same steps.
GO      ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: build test lint bench fmt

## build: one static binary, ./redline
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o redline ./cmd/redline

## test: the README's test command
test:
	$(GO) test -race -count=1 ./...

## lint: gofmt, vet, staticcheck and golangci-lint, as CI runs them
lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	staticcheck ./...
	golangci-lint run ./...

## bench: the Go benchmarks (extraction over the shared corpus, diff, store writes)
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fmt:
	gofmt -w .
