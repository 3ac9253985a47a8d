# A thin index over hacking/: every target runs one script, and every script installs what it needs first
# (hacking/bootstrap.sh: venvs in .work/, pinned tools, amazon.aws). `make help` lists the targets.
SHELL := bash
.DEFAULT_GOAL := help
H := hacking
PY := .work/venv-3.11/bin/python

.PHONY: help bootstrap demo test lint unit endpoint-test build integration integration-aws sanity ansible-lint bench soak endpoint eda-e2e docs core217 newest galaxy-importer \
        clean distclean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

bootstrap: ## venvs for Python 3.11 (ansible-core 2.19) and 3.12 (2.21), amazon.aws, ansible-test get-pip stand-in
	bash $(H)/bootstrap.sh 3.11 3.12

demo: ## build+install the collection, run playbooks/demo.yml against the local endpoint
	bash $(H)/demo.sh

test: ## bootstrap, lint, unit, endpoint-test, then side by side: integration+ansible-lint+eda-e2e | sanity+docs+galaxy-importer | reliability+newest | core217 (CI)
	bash $(H)/test.sh

lint: ## ruff format --check, ruff check, mypy plugins/module_utils + eda source, antsibull-changelog lint
	bash $(H)/lint.sh

unit: ## pytest tests/unit in the synced tree .work/src/ansible_collections/amazon/bedrock
	bash $(H)/unit.sh

endpoint-test: ## pytest tests/endpoint (the local endpoint's own tests)
	bash $(H)/endpoint-test.sh

build: ## build the collection tarball into .work/dist and install it into .work/collections
	bash $(H)/build.sh

integration: ## build+install, then tests/integration/targets against the local endpoint (TARGETS="a b" for some)
	bash $(H)/integration.sh $(TARGETS)

integration-aws: ## the info modules' read-only checks against AWS (BEDROCK_AWS_REGION + your credentials; never in CI)
	bash $(H)/integration-aws.sh

sanity: ## ansible-test sanity: 2.17 and 2.19 on Python 3.11, 2.21 on Python 3.12 (SANITY_ARGS="--test pep8" for one test)
	bash $(H)/sanity.sh $(SANITY_ARGS)

ansible-lint: ## ansible-lint, production profile, offline, on roles/, playbooks/, integration targets
	bash $(H)/ansible-lint.sh

eda-e2e: ## ansible-rulebook runs the example rulebook (installed collection) against the local endpoint
	bash $(H)/eda-e2e.sh $(ARGS)

docs: ## HTML docs offline into .work/docs/html: antsibull-docs lint + build (modules, role, event source, guides), sphinx -W
	bash $(H)/docs.sh

core217: ## ansible-core 2.17 (oldest supported): demo + the roles' and model_copy_job_info's integration targets, installed tarball
	bash $(H)/core217.sh $(TARGETS)

galaxy-importer: ## galaxy-importer (Galaxy's upload checks: ansible-lint, changelog, files) on the built tarball, offline
	bash $(H)/galaxy-importer.sh

newest: ## amazon.aws 11.4.0 (newest allowed) on ansible-core 2.21: unit tests, offline install with deps, demo
	bash $(H)/newest.sh

bench: ## benchmarks: bench/run.py against the local endpoint
	bash $(H)/bootstrap.sh 3.11
	bash $(H)/build.sh >/dev/null
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.work/collections bash $(H)/with-endpoint.sh $(PY) bench/run.py $(ARGS)

soak: ## the fault soak: tests/reliability/soak.py --repetitions 100 against the local endpoint
	bash $(H)/bootstrap.sh 3.11
	bash $(H)/build.sh >/dev/null
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.work/collections bash $(H)/with-endpoint.sh $(PY) tests/reliability/soak.py \
	  --repetitions 100 $(ARGS)

endpoint: ## the local endpoint in the foreground on 127.0.0.1:8000 (BEDROCK_ENDPOINT_PORT=N for another)
	bash $(H)/bootstrap.sh 3.11
	bash $(H)/with-endpoint.sh --foreground

clean: ## remove build and test output (keeps the venvs and amazon.aws)
	rm -rf .work/src .work/dist .work/integration .work/logs .work/galaxy-importer .work/cache/mypy \
	  .work/collections/ansible_collections/amazon/bedrock tests/output .mypy_cache .ruff_cache .pytest_cache

distclean: clean ## remove everything generated, .work/ included
	rm -rf .work
