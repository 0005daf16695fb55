# Patchwarden — the commands people run. `make help` lists them.
SHELL := /bin/bash
MVN ?= mvn
MVN_FLAGS ?= -B -ntp
OPERATOR_JAR := operator/target/patchwarden-operator.jar
GENERATED_CRDS := api/target/classes/META-INF/fabric8

.PHONY: help build test test-fast demo bench bench-smoke kube-binaries promtool browser crds chart-files manifests run image image-node-patch report bench-gateway bench-windows bench-policy bench-rollout bench-report fmt clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

build: ## Compile, check formatting, generate CRDs and package the jars (no tests)
	$(MVN) $(MVN_FLAGS) package -DskipTests

test: kube-binaries promtool browser ## The whole suite: unit, mock-server and real-API-server tiers
	$(MVN) $(MVN_FLAGS) verify

test-fast: promtool ## Unit and mock-server tiers only (no API server binaries needed)
	$(MVN) $(MVN_FLAGS) test

TEST_CP := operator/target/test-classes/classpath.txt
TEST_SOURCES := pom.xml $(wildcard */pom.xml) $(shell find api/src agent/src operator/src -type f 2>/dev/null)

# Compiled classes and their classpath, rebuilt only when a source or pom changed: later demos
# start in seconds. The reactor (-am) resolves api/ and agent/ to their target/classes, so no
# install into ~/.m2 is needed. The classpath file lives in test-classes: mvn clean removes both.
$(TEST_CP): $(TEST_SOURCES)
	$(MVN) $(MVN_FLAGS) -q -pl operator -am test-compile dependency:build-classpath \
	  -Dmdep.includeScope=test -Dmdep.outputFile=$(CURDIR)/$(TEST_CP)

demo: kube-binaries $(TEST_CP) ## See it work: embedded API server, 300 agents, 8 nodes, live progress (DEMO_ARGS="--help" for options)
	java -Xmx1g -XX:+UseSerialGC -XX:-UsePerfData \
	  -Dlogback.configurationFile=demo-logback.xml -Ddemo.log=target/demo/operator.log \
	  -cp "$$(cat $(TEST_CP)):operator/target/classes:operator/target/test-classes" \
	  io.patchwarden.operator.demo.Demo $(DEMO_ARGS)

BENCH_OUT := target/bench

bench: kube-binaries $(TEST_CP) ## Every benchmark scenario at the issue's sizes (~45 min): target/bench/results.json and the table in docs/benchmarks.md
	rm -rf $(BENCH_OUT) && mkdir -p $(BENCH_OUT)
	java -Xms4g -Xmx4g -XX:+UseParallelGC -XX:-UsePerfData -Dbench.out=$(BENCH_OUT)/results.jsonl \
	  -Dlogback.configurationFile=demo-logback.xml -Ddemo.log=$(BENCH_OUT)/operator.log \
	  -cp "$$(cat $(TEST_CP)):operator/target/classes:operator/target/test-classes" \
	  io.patchwarden.operator.bench.BenchSuite | tee $(BENCH_OUT)/output.txt
	java -cp "$$(cat $(TEST_CP)):operator/target/classes:operator/target/test-classes" \
	  io.patchwarden.operator.bench.BenchTable $(BENCH_OUT)/results.jsonl docs/benchmarks.md

bench-smoke: kube-binaries $(TEST_CP) ## The benchmark suite with tiny sizes (what CI runs as BenchSmokeIT; figures not meaningful)
	java -Xmx1g -XX:-UsePerfData -Dlogback.configurationFile=demo-logback.xml -Ddemo.log=target/bench-smoke.log \
	  -cp "$$(cat $(TEST_CP)):operator/target/classes:operator/target/test-classes" \
	  io.patchwarden.operator.bench.BenchSuite --smoke

kube-binaries: ## Put kube-apiserver, etcd, kubectl 1.20.2 in ~/.kubeapitest (first run builds, ~4 min)
	hack/kube-binaries.sh

promtool: ## Put promtool (from Debian's prometheus package) in /usr/local/bin for the alert-rule tests
	hack/promtool.sh

browser: ## Install Debian's chromium for the report's headless-browser test (ReportIT)
	hack/browser.sh

crds: ## Regenerate crds/ from the Java model in api/
	$(MVN) $(MVN_FLAGS) -q -pl api process-classes
	rm -f crds/*.yaml
	for f in $(GENERATED_CRDS)/*-v1.yml; do \
	  cp "$$f" "crds/$$(basename "$$f" -v1.yml).yaml"; \
	done
	$(MAKE) --no-print-directory chart-files
	@echo "crds/ regenerated (and copied into the chart; run make manifests to refresh deploy/):"; ls crds

CHART := helm/patchwarden

chart-files: ## Copy crds/ and the alert rules and dashboard into the Helm chart (it cannot read files outside its directory)
	rm -f $(CHART)/crds/*.yaml
	cp crds/*.yaml $(CHART)/crds/
	cp monitoring/prometheus/patchwarden-alerts.yaml monitoring/grafana/patchwarden-dashboard.json $(CHART)/files/

manifests: chart-files ## Render the Helm chart with default values into deploy/ (helm-java, no helm binary); commit the result
	$(MVN) $(MVN_FLAGS) -q install -DskipTests
	$(MVN) $(MVN_FLAGS) -q -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=$(CURDIR)/$(BENCH_CP)
	java -cp "$$(cat $(BENCH_CP)):operator/target/classes:operator/target/test-classes" \
	  io.patchwarden.operator.testing.HelmManifests $(CURDIR)

run: ## Run the operator against the cluster of the current kubeconfig (installs the CRDs)
	$(MVN) $(MVN_FLAGS) -q package -DskipTests -pl operator -am
	PATCHWARDEN_INSTALL_CRDS=true PATCHWARDEN_LEADER_ELECTION=$${PATCHWARDEN_LEADER_ELECTION:-false} \
	  java -jar $(OPERATOR_JAR)

image: ## Build the operator and node patch images with docker or podman (tag: the pom version; not part of make test)
	hack/image.sh all

image-node-patch: ## Build only the node patch image (images/node-patch) with docker or podman
	hack/image.sh node-patch

report: ## Fetch the compliance report: REPORT_URL, TOKEN, FORMAT (html), NAMESPACE, POLICY, STATE
	@fmt=$${FORMAT:-html}; \
	curl -fsS -o "report.$$fmt" $${TOKEN:+-H "Authorization: Bearer $$TOKEN"} \
	  "$${REPORT_URL:-http://localhost:8081}/report?format=$$fmt&namespace=$${NAMESPACE:-}&policy=$${POLICY:-}&state=$${STATE:-}" \
	  && echo "wrote report.$$fmt"

BENCH_CP = operator/target/bench-classpath.txt

$(BENCH_CP): pom.xml operator/pom.xml
	$(MVN) $(MVN_FLAGS) -q install -DskipTests
	$(MVN) $(MVN_FLAGS) -q -pl operator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=$(CURDIR)/$(BENCH_CP)

bench-gateway: kube-binaries $(BENCH_CP) ## Gateway benchmark: 10,000 simulated agents against a real API server (AGENTS, INTERVAL, MEASURE_SECONDS)
	java -Xmx2g -cp "$$(cat $(BENCH_CP)):operator/target/classes:operator/target/test-classes" \
	  io.patchwarden.operator.gateway.GatewayBenchmark $${AGENTS:-10000} $${INTERVAL:-10} $${MEASURE_SECONDS:-60}

bench-windows: $(BENCH_CP) ## Window engine benchmark: time to compute the next 10 occurrences
	java -cp "$$(cat $(BENCH_CP)):operator/target/classes:operator/target/test-classes" \
	  io.patchwarden.operator.window.TimelineBenchmark

bench-policy: $(BENCH_CP) ## Policy evaluation benchmark: one pass over 50,000 targets x 40 updates (TARGETS, UPDATES)
	java -Xms4g -Xmx4g -XX:-UsePerfData -cp "$$(cat $(BENCH_CP)):operator/target/classes:operator/target/test-classes" \
	  io.patchwarden.operator.policy.PolicyEvaluationBenchmark $${TARGETS:-50000} $${UPDATES:-40}

bench-report: kube-binaries $(BENCH_CP) ## Compliance report over ENDPOINTS endpoints (default 50,000): bytes, time, heap growth per format
	java -Xmx1g -XX:-UsePerfData -cp "$$(cat $(BENCH_CP)):operator/target/classes:operator/target/test-classes" \
	  io.patchwarden.operator.report.ReportBenchmark $${ENDPOINTS:-50000}

bench-rollout: kube-binaries $(BENCH_CP) ## Rollout convergence: assignments onto ENDPOINTS endpoints vs a raw-client baseline (ENDPOINTS)
	java -Xmx2g -XX:-UsePerfData -cp "$$(cat $(BENCH_CP)):operator/target/classes:operator/target/test-classes" \
	  io.patchwarden.operator.rollout.RolloutBenchmark $${ENDPOINTS:-1000}

fmt: ## Format the Java sources (google-java-format through Spotless)
	$(MVN) $(MVN_FLAGS) -q spotless:apply

clean: ## Remove build output
	$(MVN) $(MVN_FLAGS) -q clean
