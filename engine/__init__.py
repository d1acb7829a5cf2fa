"""OpenFisca-France as a web service (runs in .venv-openfisca, never imported by the assistant)."""
