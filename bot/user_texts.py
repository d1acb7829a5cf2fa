"""Every text a person reads, grouped in units (one aid, one answer of domain.yml, one office), for the
plain-language check (bot.plain_language)."""

from __future__ import annotations

import ast
import re
from typing import Any

import yaml

from bot.catalogue import SchemeRecord, check_scheme_files
from bot.contact_files import CONTACT_FILES, check_contact_file
from bot.immediate_help import help_texts
from bot.paths import ROOT
from bot.plain_language import Problem, check_unit

DOMAIN_FILE = ROOT / "domain.yml"


def _condition_texts(spec: dict[str, Any]) -> list[str]:
    texts = [str(spec[key]) for key in ("raison", "texte") if spec.get(key)]
    for group in ("une_parmi", "all"):
        for member in spec.get(group) or ():
            texts += _condition_texts(member)
    if isinstance(spec.get("impossible_si"), dict):
        texts += _condition_texts(spec["impossible_si"])
    return texts


def scheme_texts(record: SchemeRecord) -> list[str]:
    """What the person reads about one aid: its line, its details, why (not), whom to confirm with."""
    how = record.how_to_apply
    texts = [record.title, record.summary, record.amount_text or "", how.get("texte", ""),
             how.get("organisme", ""), *record.documents, record.to_confirm_with or ""]
    for spec in record.conditions:
        texts += _condition_texts(spec)
    return [t for t in texts if t]


def domain_units() -> dict[str, list[str]]:
    domain = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    units = {}
    for name, variants in (domain.get("responses") or {}).items():
        texts = []
        for variant in variants:
            texts.append(str(variant.get("text") or ""))
            texts += [str(b.get("title") or "") for b in variant.get("buttons") or ()]
        units[f"domain.yml {name}"] = [t for t in texts if t]
    return units


# The modules that write answers in Python (the rest of the wording is in domain.yml and the data files).
PYTHON_TEXT_MODULES = ("actions/*.py", "components/*.py", "bot/formatting.py", "bot/unavailable.py",
                       "bot/aid_answers.py", "bot/service.py", "bot/estimates.py", "bot/immediate_help.py")
_FRENCH = re.compile(r"\b(vous|votre|vos|une?|les?|la|des|pour|avec)\b.*\s")


def python_units() -> dict[str, list[str]]:
    """The French sentences written in Python: string literals (f-strings with their placeholders as « X »),
    docstrings and logs left out."""
    units: dict[str, list[str]] = {}
    for pattern in PYTHON_TEXT_MODULES:
        for path in sorted(ROOT.glob(pattern)):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                          if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                          and node.body and isinstance(node.body[0], ast.Expr)}
            texts = []
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr):
                    text = "".join(str(v.value) if isinstance(v, ast.Constant) else "X" for v in node.values)
                elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                    text = node.value
                else:
                    continue
                if _FRENCH.search(text) and re.search(r"[éèàçêù]|\bvous\b", text):
                    texts.append(text)
            if texts:
                units[f"python {path.relative_to(ROOT)}"] = texts
    return units


def user_text_units() -> dict[str, list[str]]:
    records, _ = check_scheme_files()
    units = {f"aide {r.id}": scheme_texts(r) for r in records}
    units.update(domain_units())
    units.update(python_units())
    units.update({f"aide du jour {key}": texts for key, texts in help_texts().items()})
    for path in CONTACT_FILES:
        for contact in check_contact_file(path)[0]:
            texts = [str(contact.data.get(k) or "") for k in ("nom", "note")]
            units[f"contact {path.name} {contact.key}"] = [t for t in texts if t]
    return units


def plain_language_problems() -> list[Problem]:
    return [problem for unit, texts in user_text_units().items() for problem in check_unit(unit, texts)]
