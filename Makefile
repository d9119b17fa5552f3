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

.PHONY: help run test test-nodes build lint clean deps up down status bench bench-nodes image grafana-image synth deploy plan destroy grafana cluster-up cluster-down

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

test-nodes: $(DEPS) ## the three-node tests (test/nodes) on make up NODES=3 (started and stopped if down)
	@bash scripts/test-nodes.sh

build: $(DEPS) ## compile TypeScript to dist/ with the dashboard's files (the `stockstreamer` bin)
	node scripts/build.ts

lint: $(DEPS) ## type-check everything (strict)
	tsc -p tsconfig.json --noEmit

clean: ## remove build output, reports and the embedded database
	rm -rf dist .reports .stockstreamer

# NODES=3: three Kafka brokers and three Cassandra nodes on 127.0.0.11-13, beside the default stack (dev/README.md)
NODES ?= 1

up: ## start Kafka, Cassandra and the schema registry on 127.0.0.1 (fetches them first if needed; NODES=3 for three of each)
	@[ -d node_modules/kafkajs ] && [ -d node_modules/cassandra-driver ] || $(MAKE) --no-print-directory deps
	@NODES=$(NODES) bash dev/fetch.sh
	@NODES=$(NODES) bash dev/up.sh

down: ## stop the local stack (state stays in .stack/; NODES=3: the three-node one, in .stack-3nodes/)
	@NODES=$(NODES) bash dev/down.sh

status: ## show which local-stack server is up, its address and its log (NODES=3: each node)
	@NODES=$(NODES) bash dev/status.sh || true

# ---------------------------------------------------------------- Minikube (terraform/, README "Run it on Minikube")
NAMESPACE ?= stockstreamer
KUBE_CONTEXT ?= minikube
# the kubeconfig file terraform reads: the first of $KUBECONFIG, else ~/.kube/config
KUBECONFIG_FILE ?= $(or $(firstword $(subst :, ,$(KUBECONFIG))),$(HOME)/.kube/config)
IMAGE ?= stockstreamer:$(shell git rev-parse --short HEAD 2>/dev/null || echo dev)
# Where the images are built. minikube: inside Minikube, where its node finds them.
# buildah: on this machine (dev/image/build.sh, no Docker needed); a cluster whose nodes
# run containers must then get the image from a registry they reach. The dev/cluster test
# cluster (context stockstreamer-kwok) runs no containers at all: its image is built to
# prove the Dockerfile, never loaded, and the Grafana image is not built for it.
IMAGE_BUILDER ?= $(if $(filter minikube,$(KUBE_CONTEXT)),minikube,buildah)
GRAFANA_IMAGE_BUILD ?= $(if $(filter stockstreamer-kwok,$(KUBE_CONTEXT)),no,yes)
# terraform or OpenTofu, whichever is installed (TF=tofu to choose)
TF ?= $(shell command -v tofu 2>/dev/null || command -v terraform 2>/dev/null || echo terraform)
CDKTF_OUTDIR ?= $(CURDIR)/terraform/cdktf.out
TF_DIR = $(CDKTF_OUTDIR)/stacks/minikube
# one state per context and namespace: a deploy to one cluster never touches another's state
TF_STATE ?= $(CURDIR)/terraform/state/$(KUBE_CONTEXT)/$(NAMESPACE).tfstate
# the file that goes into the credentials Secret
CREDENTIALS ?= $(CURDIR)/secrets/credentials.ini
# extra variables, e.g. TF_VARS="-var processor_max_replicas=6 -var feed_source=synthetic"
TF_VARS ?=
TF_ARGS = -input=false -var namespace=$(NAMESPACE) -var kube_context=$(KUBE_CONTEXT) -var kube_config_path=$(KUBECONFIG_FILE) \
	-var image=$(IMAGE) -var credentials_file=$(CREDENTIALS) $(TF_VARS)
# the Grafana image with the Cassandra plugin inside, named in terraform/lib/images.ts
GRAFANA_META = $(shell PATH="$(PATH)" node --input-type=module -e "import {IMAGES, GRAFANA_IMAGE, GRAFANA_CASSANDRA_PLUGIN as p} from './terraform/lib/images.ts'; console.log(IMAGES.grafana, GRAFANA_IMAGE, p.id, p.version)" 2>/dev/null)

image: ## build the image (into Minikube, or with buildah: IMAGE_BUILDER), tagged with the git revision
ifeq ($(IMAGE_BUILDER),minikube)
	minikube image build -t $(IMAGE) .
else ifeq ($(IMAGE_BUILDER),buildah)
	bash dev/image/build.sh $(IMAGE)
else
	@echo "IMAGE_BUILDER=$(IMAGE_BUILDER): expected minikube or buildah"; exit 2
endif

grafana-image: $(DEPS) ## build Grafana with the Cassandra plugin inside (the zip: terraform/grafana-image/plugins/)
	bash terraform/grafana-image/build.sh $(IMAGE_BUILDER) $(GRAFANA_META)

synth: $(DEPS) ## synthesize the CDK for Terraform stack into terraform/cdktf.out/
	STOCKSTREAMER_IMAGE=$(IMAGE) STOCKSTREAMER_TF_STATE=$(TF_STATE) CDKTF_OUTDIR=$(CDKTF_OUTDIR) node terraform/main.ts

deploy: $(DEPS) ## images, synth, terraform init + apply (NAMESPACE, KUBE_CONTEXT, TF_VARS)
	@[ -f "$(CREDENTIALS)" ] || { echo "$(CREDENTIALS) is missing: cp secrets/credentials.ini.example secrets/credentials.ini (empty sections run the synthetic feeds)"; exit 2; }
	@command -v $(TF) >/dev/null || { echo "neither tofu nor terraform found: https://opentofu.org/docs/intro/install/"; exit 2; }
ifeq ($(IMAGE_BUILDER),minikube)
	@command -v minikube >/dev/null || { echo "minikube not found: https://minikube.sigs.k8s.io/docs/start/"; exit 2; }
	@minikube status >/dev/null || { echo "minikube is not running: minikube start --cpus 4 --memory 8g --cni calico"; exit 2; }
endif
	$(MAKE) --no-print-directory image
ifeq ($(GRAFANA_IMAGE_BUILD),yes)
	$(MAKE) --no-print-directory grafana-image
else
	@echo "GRAFANA_IMAGE_BUILD=no: the Grafana image is not built ($(KUBE_CONTEXT) runs no containers)"
endif
ifneq ($(IMAGE_BUILDER),minikube)
	@echo "note: $(IMAGE) is in this machine's image store only; nodes that run containers must pull it from a registry they reach"
endif
	$(MAKE) --no-print-directory synth
	cd $(TF_DIR) && $(TF) init -input=false -upgrade=false && $(TF) apply -auto-approve $(TF_ARGS)
	@echo "watch the pods: kubectl --context $(KUBE_CONTEXT) -n $(NAMESPACE) get pods -w    then: make grafana"

plan: $(DEPS) ## show what make deploy would change, without changing it (PLAN_ARGS, e.g. -detailed-exitcode)
	$(MAKE) --no-print-directory synth
	cd $(TF_DIR) && $(TF) init -input=false -upgrade=false >/dev/null && $(TF) plan $(TF_ARGS) $(PLAN_ARGS)

destroy: $(DEPS) ## delete everything make deploy created (volumes included)
	$(MAKE) --no-print-directory synth
	cd $(TF_DIR) && $(TF) init -input=false -upgrade=false && $(TF) destroy -auto-approve $(TF_ARGS)

grafana: ## port-forward Grafana to http://localhost:3000 and show how to log in
	@echo "Grafana: http://localhost:3000  user: admin"
	@echo "password: kubectl --context $(KUBE_CONTEXT) -n $(NAMESPACE) get secret grafana-admin -o jsonpath='{.data.admin-password}' | base64 -d; echo"
	@echo "built-in dashboard: kubectl --context $(KUBE_CONTEXT) -n $(NAMESPACE) port-forward svc/dashboard 8080:8080"
	kubectl --context $(KUBE_CONTEXT) -n $(NAMESPACE) port-forward svc/grafana 3000:3000

# ---------------------------------------------------------------- test cluster (dev/cluster, README "Run it on Minikube")
cluster-up: ## start a real API server with three fake (kwok) nodes: context stockstreamer-kwok in .cluster/kubeconfig
	@bash dev/cluster/up.sh

cluster-down: ## stop the test cluster (its etcd data stays; dev/cluster/down.sh --purge removes it)
	@bash dev/cluster/down.sh

# ---------------------------------------------------------------- benchmarks (bench/, README "Benchmarks")
# BENCH_SCALE=0.05 shrinks the backlogs for a smoke run; BENCH_REPS (default 3) runs per figure.
bench-nodes: $(DEPS) ## one node against three, side by side (starts both stacks if needed); writes bench/results/nodes.json
	node bench/nodes.ts

bench: $(DEPS) ## run the benchmarks against the local stack (starts it if needed); writes bench/results/latest.json
	@down=$$(bash dev/status.sh | awk '$$2 == "down" {print $$1}'); \
	if [ -n "$$down" ]; then echo "starting $$down (stopped again afterwards)"; bash dev/fetch.sh $$down && bash dev/up.sh $$down || exit 1; fi; \
	node bench/run.ts; rc=$$?; \
	for s in $$down; do bash dev/stop-one.sh $$s; done; exit $$rc
