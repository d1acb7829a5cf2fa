"""Domain core of the Occitanie social-aid assistant.

Nothing in this package imports Rasa: the catalogue, eligibility rules,
geography and contacts can be used from the command line, from tests, and
from the thin Rasa action adapters in ``actions/``.
"""
