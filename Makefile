# stockstreamer — every target installs what it needs first.
# Node 24 is the runtime: when the machine's node is older, a private copy is
# installed from the npm registry into .tools/node and put first on PATH.
SHELL := /bin/bash
.DEFAULT_GOAL := help

NODE_WANT := 24
TOOLS_NODE := $(CURDIR)/.tools/node/node_modules/.bin
SYSTEM_NODE_MAJOR := $(shell node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
ifeq ($(shell [ "$(SYSTEM_NODE_MAJOR)" -ge $(NODE_WANT) ] && echo ok),ok)
NODE_DEP :=
else
NODE_DEP := $(TOOLS_NODE)/node
export PATH := $(TOOLS_NODE):$(PATH)
endif
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

DEPS := node_modules/.installed

.PHONY: help run test build lint clean deps up down status bench

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(TOOLS_NODE)/node:
	@echo "node $(SYSTEM_NODE_MAJOR) found; installing Node $(NODE_WANT) into .tools/node"
	@mkdir -p .tools/node
	npm install --prefix .tools/node --no-audit --no-fund --loglevel=error node@$(NODE_WANT)

$(DEPS): package.json package-lock.json $(NODE_DEP)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(DEPS) ## install Node 24 (if needed) and the npm dependencies

run: $(DEPS) ## run the whole pipeline in one process (embedded mode, no servers)
	node services/cli/main.ts run $(ARGS)

test: $(DEPS) ## run every test (starts the local stack when a test needs it)
	@bash scripts/test.sh

build: $(DEPS) ## compile TypeScript to dist/ (the `stockstreamer` bin)
	tsc -p tsconfig.build.json
	@chmod +x dist/services/cli/main.js

lint: $(DEPS) ## type-check everything (strict)
	tsc -p tsconfig.json --noEmit

clean: ## remove build output, reports and the embedded database
	rm -rf dist .reports .stockstreamer

up: ## start Kafka, Cassandra and the schema registry on 127.0.0.1 (fetches them first if needed)
	@[ -d node_modules/kafkajs ] && [ -d node_modules/cassandra-driver ] || $(MAKE) --no-print-directory deps
	@bash dev/fetch.sh
	@bash dev/up.sh

down: ## stop the local stack (state stays in .stack/)
	@bash dev/down.sh

status: ## show which local-stack server is up, its port and its log
	@bash dev/status.sh || true
