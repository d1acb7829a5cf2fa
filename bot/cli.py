"""Command line for staff and tests: JSON on stdout; exit 2 with a French message for bad input.

    python -m bot match FILE|-            schemes for a situation (JSON)
    python -m bot commune TEXT            find a commune of Occitanie
    python -m bot contacts TEXT [--besoin B]
    python -m bot db build|status         build the catalogue database
    python -m bot catalogue check|list|show   review the catalogue (plain text for social workers)
    python -m bot catalogue sample [--nombre 20] [--graine N]   random facts with their page and sentence
    python -m bot langage [--unite U]       plain-language problems of the texts a person reads
    python -m bot data refresh [--geo-url U] [--annuaire-url U] [--dry-run]   update from official APIs
    python -m bot replay FILE [--serveur URL]   play a scripted dialogue against the running assistant
    python -m bot purge --older-than DAYS [--base URL]   delete conversations idle for more than DAYS
    python -m bot stats [--csv YYYY-MM]                   add ended conversations to the anonymous statistics
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any, NoReturn, Sequence

from bot.catalogue import CatalogueError
from bot.contacts import contacts_for
from bot.geography import load_index
from bot.situation import SituationError, situation_from_dict
from bot.store import DatabaseUnavailable, build_database, data_fingerprint, stored_fingerprint
from bot.vocabulary import BESOINS

EXIT_BAD_INPUT = 2
EXIT_UNAVAILABLE = 3


class FrenchArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"Erreur : commande incorrecte ({message}).\n")


def _print(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    sys.stderr.write(f"Erreur : {message}\n")
    return code


def _read_json(source: str) -> Any:
    try:
        if source == "-":
            raw = sys.stdin.read()
        else:
            with open(source, encoding="utf-8") as handle:
                raw = handle.read()
    except OSError:
        raise SituationError(f"Impossible de lire le fichier « {source} ».") from None
    except UnicodeDecodeError:
        raise SituationError("Le fichier doit être du texte en UTF-8.") from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise SituationError(f"JSON invalide (ligne {error.lineno}, colonne {error.colno}).") from None


def cmd_match(args: argparse.Namespace) -> int:
    from bot.service import estimates_for, schemes_for

    situation = situation_from_dict(_read_json(args.file))
    estimates = estimates_for(situation)
    matches = schemes_for(situation, estimates)
    _print({**({"note": estimates.NOTE} if estimates.unavailable else {}), "schemes": [
        {
            "id": m.scheme.id,
            "title": m.scheme.title,
            "status": "sure" if m.sure else "possible",
            "reasons": m.reasons,
            "missing": m.missing,
            "to_confirm": m.to_confirm,
            "amount": m.scheme.amount_text,
            "amount_value": m.scheme.amount_value,
            "estimate": m.estimate.as_dict() if m.estimate else None,
            "how_to_apply": m.scheme.how_to_apply,
            "documents": list(m.scheme.documents),
            "source": m.scheme.source,
            "checked": m.scheme.checked,
            "to_confirm_with": m.scheme.to_confirm_with,
        }
        for m in matches
    ]})
    return 0


def cmd_commune(args: argparse.Namespace) -> int:
    resolution = load_index().resolve(args.text)
    communes = [{"insee": c.insee, "nom": c.nom, "departement": c.departement,
                 "codes_postaux": list(c.codes_postaux)} for c in resolution.communes]
    if resolution.status == "outside":
        communes = [{"insee": i, "nom": n, "departement": d} for i, n, d in resolution.outside_names]
    _print({"status": resolution.status, "communes": communes})
    return 0


def cmd_contacts(args: argparse.Namespace) -> int:
    if args.besoin and args.besoin not in BESOINS:
        return _fail(f"besoin inconnu « {args.besoin} ». Valeurs : {', '.join(sorted(BESOINS))}.")
    resolution = load_index().resolve(args.text)
    if resolution.status != "ok":
        messages = {
            "ambiguous": "plusieurs communes correspondent : "
            + ", ".join(f"{c.nom} ({c.insee})" for c in resolution.communes[:6]) + ". Donnez le code INSEE.",
            "outside": "cette commune n'est pas en Occitanie.",
            "unknown": f"commune inconnue « {args.text} ».",
        }
        return _fail(messages[resolution.status])
    commune = resolution.communes[0]
    _print({
        "commune": {"insee": commune.insee, "nom": commune.nom, "departement": commune.departement},
        "contacts": [view.as_dict() for view in contacts_for(commune, args.besoin)],
    })
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    if args.action == "build":
        try:
            count = build_database()
        except CatalogueError as error:
            return _fail(f"la base n'est pas construite, le catalogue a des erreurs :\n{error}")
        sys.stderr.write(f"Base du catalogue construite : {count} aides.\n")
        return 0
    try:
        current = stored_fingerprint() == data_fingerprint()
    except DatabaseUnavailable as error:
        return _fail(str(error), EXIT_UNAVAILABLE)
    _print({"up_to_date": current})
    return 0 if current else 1


def cmd_catalogue(args: argparse.Namespace) -> int:
    import csv
    from collections import defaultdict

    from bot.catalogue_check import check_catalogue, describe_territory, in_departement, show
    from bot.paths import COMMUNES_FILE

    report = check_catalogue()
    if args.action == "check":
        print(f"{len(report.schemes)} aides lues, {len(report.errors)} erreur(s).")
        for error in report.errors:
            print(f"ERREUR {error}")
        if report.stale:
            print(f"{len(report.stale)} source(s) à revérifier (vérifiées il y a plus de 12 mois, ou de date "
                  "d'origine inconnue) :")
            for line in report.stale:
                print(f"  - {line}")
        else:
            print("Aucune source à revérifier.")
        if report.pending:
            print(f"{len(report.pending)} fiche(s) à confirmer (page officielle pas encore lue) :")
            for line in report.pending:
                print(f"  - {line}")
        return 1 if report.errors else 0
    if report.errors:
        return _fail("le catalogue contient des erreurs : lancez « python -m bot catalogue check ».")
    schemes = sorted(report.schemes, key=lambda r: (-r.priority, r.title))
    if args.action == "sample":
        from bot.catalogue_check import format_sample, sample_proofs

        seed = args.graine if args.graine is not None else random.SystemRandom().randrange(10**6)
        print(format_sample(sample_proofs(report.schemes, args.nombre, seed), seed, len(report.pending)))
        return 0
    if args.action == "show":
        if not args.id:
            return _fail("indiquez l'identifiant de l'aide, par exemple : catalogue show rsa")
        record = next((r for r in schemes if r.id == args.id), None)
        if record is None:
            return _fail(f"aucune aide « {args.id} ». La liste : python -m bot catalogue list")
        print(show(record))
        return 0
    if args.besoin and args.besoin not in BESOINS:
        return _fail(f"besoin inconnu « {args.besoin} ». Valeurs : {', '.join(sorted(BESOINS))}.")
    if args.departement:
        communes_by_dep: dict[str, set[str]] = defaultdict(set)
        epci_by_dep: dict[str, set[str]] = defaultdict(set)
        with open(COMMUNES_FILE, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                communes_by_dep[row["departement"]].add(row["insee"])
                epci_by_dep[row["departement"]].add(row["epci_siren"])
        if args.departement not in communes_by_dep:
            return _fail(f"département inconnu « {args.departement} » : 09, 11, 12, 30, 31, 32, 34, 46, 48, 65, "
                         "66, 81 ou 82.")
        schemes = [r for r in schemes if in_departement(r, args.departement, communes_by_dep, epci_by_dep)]
    if args.besoin:
        schemes = [r for r in schemes if args.besoin in r.needs]
    for record in schemes:
        print(f"{record.id:38} {record.title}")
        print(f"{'':38} {', '.join(record.needs)} – {describe_territory(record)} – "
              + (f"vérifié le {record.checked}" if record.checked else "à confirmer"))
    print(f"{len(schemes)} aide(s).")
    return 0


def cmd_langage(args: argparse.Namespace) -> int:
    """Plain-language problems of every text a person reads (sentences over 20 words, acronyms unexplained)."""
    from bot.user_texts import plain_language_problems

    problems = [p for p in plain_language_problems() if not args.unite or args.unite in p.unit]
    for problem in problems:
        print(f"{problem.unit} — {problem.kind} — {problem.detail}")
    print(f"{len(problems)} problème(s).")
    return 1 if problems else 0


def cmd_replay(args: argparse.Namespace) -> int:
    import requests

    from bot.replay import DEFAULT_SERVER, ReplayFileError, load_dialogue, replay, report

    try:
        turns, server = load_dialogue(Path(args.file))
    except ReplayFileError as error:
        return _fail(str(error))
    server = args.serveur or server or DEFAULT_SERVER
    try:
        results = replay(turns, server)
    except requests.RequestException:
        return _fail(f"l'assistant ne répond pas à {server}. Lancez-le d'abord (make run).", EXIT_UNAVAILABLE)
    print(report(results))
    return 0 if all(not r.problems for r in results) else 1


def cmd_data(args: argparse.Namespace) -> int:
    from bot.refresh import ANNUAIRE_URL, GEO_URL, refresh

    report = refresh(geo_url=args.geo_url or GEO_URL, annuaire_url=args.annuaire_url or ANNUAIRE_URL,
                     dry_run=args.dry_run)
    print(report.text())
    if report.changed_files:
        print("Reconstruisez la base : python -m bot db build (ou make db).")
    return 1 if report.errors else 0


def cmd_crise(args: argparse.Namespace) -> int:
    from bot import crisis

    finding = crisis.explain(args.text)
    openings = crisis.answer_openings()
    if finding is None:
        print("Aucune règle de data/crise.yml ne reconnaît ce message "
              "(le filet appris du modèle peut encore le reconnaître : essayez-le dans `make shell`).")
        return 0
    print(f"Situation : {finding.situation}\nRègle : {finding.rule}")
    print(f"Début de la réponse : {openings[finding.situation]}")
    return 0


def cmd_urgence(args: argparse.Namespace) -> int:
    from bot.formatting import paris_now
    from bot.immediate_help import help_message
    from bot.urgent_rules import detect_urgent_need

    commune = None
    if args.commune:
        resolution = load_index().resolve(args.commune)
        if resolution.status != "ok" or len(resolution.communes) != 1:
            return _fail(f"commune introuvable ou ambiguë « {args.commune} » : donnez le code INSEE.")
        commune = resolution.communes[0]
    found = detect_urgent_need(args.text)
    if found is None:
        print("Aucune règle de data/besoins_urgents.yml ne reconnaît ce message : il reçoit les questions "
              "habituelles, puis les aides.")
        return 0
    print(f"Situation : {found.situation} (besoin : {found.need})\nRègle : {found.rule}\n")
    print(help_message(found.situation, commune, paris_now()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(prog="python -m bot", description="Assistant aides sociales Occitanie")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=FrenchArgumentParser)
    match = sub.add_parser("match", help="aides pour une situation (JSON)")
    match.add_argument("file", help="fichier JSON, ou - pour l'entrée standard")
    match.set_defaults(handler=cmd_match)
    commune = sub.add_parser("commune", help="trouver une commune d'Occitanie")
    commune.add_argument("text")
    commune.set_defaults(handler=cmd_commune)
    contacts = sub.add_parser("contacts", help="contacts utiles pour une commune")
    contacts.add_argument("text")
    contacts.add_argument("--besoin")
    contacts.set_defaults(handler=cmd_contacts)
    db = sub.add_parser("db", help="base du catalogue")
    db.add_argument("action", choices=("build", "status"))
    db.set_defaults(handler=cmd_db)
    langage = sub.add_parser("langage", help="phrases de plus de 20 mots et sigles non expliqués")
    langage.add_argument("--unite", help="seulement les textes dont le nom contient ce mot (aide rsa, domain.yml)")
    langage.set_defaults(handler=cmd_langage)
    catalogue = sub.add_parser("catalogue", help="relire le catalogue des aides")
    catalogue.add_argument("action", choices=("check", "list", "show", "sample"))
    catalogue.add_argument("--nombre", type=int, default=20, help="nombre de faits tirés au sort (sample)")
    catalogue.add_argument("--graine", type=int, help="graine du tirage, pour refaire le même (sample)")
    catalogue.add_argument("id", nargs="?")
    catalogue.add_argument("--besoin")
    catalogue.add_argument("--departement")
    catalogue.set_defaults(handler=cmd_catalogue)
    replay_parser = sub.add_parser("replay", help="rejouer un dialogue écrit contre l'assistant lancé")
    replay_parser.add_argument("file", help="fichier YAML du dialogue (voir docs/exemples/)")
    replay_parser.add_argument("--serveur", help=f"adresse du serveur Rasa (par défaut {'http://localhost:5005'})")
    replay_parser.set_defaults(handler=cmd_replay)
    data = sub.add_parser("data", help="rafraîchir les données depuis les API officielles")
    data.add_argument("action", choices=("refresh",))
    data.add_argument("--geo-url", help="adresse de l'API géo (par défaut l'API officielle)")
    data.add_argument("--annuaire-url", help="adresse de l'API de l'Annuaire de l'administration")
    data.add_argument("--dry-run", action="store_true", help="montrer les changements sans écrire")
    data.set_defaults(handler=cmd_data)
    crise = sub.add_parser("crise", help="quelle règle de crise reconnaît ce message (data/crise.yml)")
    crise.add_argument("text")
    crise.set_defaults(handler=cmd_crise)
    urgence = sub.add_parser("urgence", help="quel besoin urgent ce message dit, et l'aide du jour donnée "
                                             "(data/besoins_urgents.yml, data/aide_immediate.yml)")
    urgence.add_argument("text")
    urgence.add_argument("--commune", help="la commune de la personne (nom ou code INSEE)")
    urgence.set_defaults(handler=cmd_urgence)
    stats = sub.add_parser("stats", help="compter les conversations terminées (statistiques anonymes)")
    stats.add_argument("--csv", metavar="AAAA-MM", help="écrire le fichier du mois (données ouvertes) au lieu de "
                                                          "compter")
    stats.set_defaults(handler=cmd_stats)
    purge_parser = sub.add_parser("purge", help="effacer les conversations plus anciennes que la durée de conservation")
    purge_parser.add_argument("--older-than", dest="older_than", required=True, type=_days,
                              help="nombre de jours sans message au-delà duquel une conversation est effacée")
    purge_parser.add_argument("--base", help="adresse de la base des conversations (par défaut TRACKER_DB_URL, "
                                             "sinon sqlite:///var/tracker.db)")
    purge_parser.set_defaults(handler=cmd_purge)
    return parser


def _days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError("indiquez un nombre de jours, par exemple 30") from None
    if not 0 <= days <= 36_500:
        raise argparse.ArgumentTypeError("indiquez un nombre de jours entre 0 et 36500, par exemple 30")
    return days


def cmd_stats(args: argparse.Namespace) -> int:
    import datetime as dt

    from sqlalchemy.exc import SQLAlchemyError

    from bot.statistics import PARIS
    from bot.stats_export import monthly_rows, to_csv
    from bot.stats_store import update

    try:
        if args.csv:
            sys.stdout.write(to_csv(monthly_rows(args.csv)))
            return 0
        result = update()
    except ValueError as error:
        return _fail(str(error), EXIT_BAD_INPUT)
    except SQLAlchemyError as error:
        return _fail(f"la base des conversations ou des statistiques est inaccessible ({type(error).__name__}).",
                     EXIT_UNAVAILABLE)
    until = dt.datetime.fromtimestamp(result.window_end, PARIS).strftime("%d/%m/%Y %H:%M") if result.window_end else "—"
    sys.stderr.write(f"Statistiques : {result.conversations} conversation(s) terminée(s) ajoutée(s), "
                     f"jusqu'au {until}.\n")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.purge import purge

    try:
        conversations, events = purge(args.older_than, args.base)
    except (SQLAlchemyError, ValueError) as error:
        return _fail(f"la base des conversations est inaccessible ({type(error).__name__}).", EXIT_UNAVAILABLE)
    sys.stderr.write(f"Conversations effacées : {conversations} ({events} événements), "
                     f"sans message depuis plus de {args.older_than:g} jours.\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except SituationError as error:
        return _fail(str(error))
    except DatabaseUnavailable as error:
        return _fail(str(error), EXIT_UNAVAILABLE)
