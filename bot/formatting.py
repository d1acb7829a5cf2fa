"""French wording of the answers: schemes, reasons, contacts.

Plain text only (no HTML, no Markdown) so that every channel shows it as is.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.catalogue import SchemeRecord
from bot.contacts import ContactView
from bot.eligibility import Match
from bot.estimates import Estimate
from bot.parameters import format_number
from bot.questions import field_label

WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


PERIODS = {"mois": "par mois", "an": "par an"}


def amount_phrase(estimate: Estimate) -> str:
    """« environ 498 € par mois », « entre 213 et 374 € par mois », « jusqu'à 120 € par an »."""
    low, high = round(estimate.min), round(estimate.max)
    period = PERIODS[estimate.period]
    if low == high:
        return f"environ {format_number(high)} € {period}"
    if low <= 0:
        return f"jusqu'à {format_number(high)} € {period}"
    return f"entre {format_number(low)} et {format_number(high)} € {period}"


def estimate_sentence(match: Match) -> str | None:
    """« environ 498 € par mois — estimation, la CAF calcule le montant exact »."""
    if match.estimate is None or match.scheme.computed is None:
        return None
    return f"{amount_phrase(match.estimate)} — estimation, {match.scheme.computed.exact_by} calcule le montant exact"


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""


def format_line(match: Match, position: int) -> str:
    """One line per aid: its name, the amount for the person, one reason (« 2. RSA : environ 498 € … »)."""
    parts = [f"{position}. {match.scheme.title}"]
    if match.estimate is not None:
        parts[0] += f" : {amount_phrase(match.estimate)}"
    line = parts[0] + "."
    if match.reasons:
        line += " " + _sentence(match.reasons[0])
    if not match.sure:
        line += " À vérifier."
    return line


def format_scheme(match: Match, position: int, office: ContactView | None = None) -> str:
    """The details of one aid: what it is, why for the person, amount, how to claim (and the person's own
    office for it, when the scheme names a kind of office), papers, source and whether it was verified."""
    scheme = match.scheme
    lines = [f"{position}. {scheme.title}"]
    lines.append(scheme.summary)
    if match.reasons:
        lines.append("Pourquoi pour vous : " + " ; ".join(match.reasons) + ".")
    if match.missing:
        lines.append("Dépend aussi de : " + ", ".join(field_label(q) for q in match.missing) + ".")
    if match.to_confirm:
        lines.append("À vérifier avec l'organisme : " + " ; ".join(match.to_confirm) + ".")
    estimate = estimate_sentence(match)
    if estimate:
        lines.append(f"Montant pour vous : {estimate}.")
    elif scheme.amount_text:
        lines.append("Montant : " + scheme.amount_text)
    how = scheme.how_to_apply
    steps = f"Comment faire : {how.get('texte', '')} ({how['organisme']})".replace(" ()", "")
    lines.append(steps.strip())
    if office is not None:
        lines.append("Où : " + compact_contact(office).removeprefix("• "))
    if how.get("telephone"):
        lines.append(f"Téléphone : {how['telephone']}")
    if how.get("en_ligne"):
        lines.append(f"En ligne : {how['en_ligne']}")
    if scheme.documents:
        lines.append("À préparer : " + " ; ".join(scheme.documents) + ".")
    lines.append(f"À dire au téléphone ou au guichet : « Bonjour, je voudrais demander : {scheme.title}. »")
    lines.append(source_line(scheme))
    return "\n".join(lines)


def source_line(scheme: SchemeRecord) -> str:
    """« Source : … (vérifié le 29/11/2026) », or whom to confirm with when the page was not verified."""
    if scheme.checked:
        return f"Source : {scheme.source} (vérifié le {_date(scheme.checked)})"
    return f"À confirmer {aupres_de(scheme.to_confirm_with or 'l’organisme')} : ces informations n'ont pas " \
           f"encore été vérifiées. Source : {scheme.source}"


def de_place(name: str) -> str:
    """« de Toulouse », « d'Albi », « du Vigan » (Le Vigan), « des Angles » (Les Angles)."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    return ("d'" if name[:1].upper() in "AEIOUYÉÈÊÂÎÔ" else "de ") + name


def aupres_de(whom: str) -> str:
    """« auprès de la CAF », « auprès du CCAS », « auprès des services sociaux »."""
    for article, contracted in (("les ", "des "), ("le ", "du ")):
        if whom.startswith(article):
            return f"auprès {contracted}{whom[len(article):]}"
    return f"auprès {'d’' if whom[:1].lower() in 'aeéèêiouy' else 'de '}{whom}"


def _date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def format_contact(contact: ContactView, now: dt.datetime | None = None) -> str:
    parts = [contact.name]
    if contact.distance_km is not None:
        parts.append(f"à {format_number(contact.distance_km)} km")
    line = " – ".join(parts)
    details = []
    if contact.address:
        details.append(contact.address)
    if contact.phone:
        details.append(f"Tél. {contact.phone}")
    if contact.hours:
        opening = next_opening(contact.hours, now or paris_now())
        if opening:
            details.append(opening[0].upper() + opening[1:])
    if contact.appointment:
        details.append(f"Rendez-vous : {contact.appointment}")
    if contact.email and contact.type == "mairie":
        details.append(contact.email)
    if contact.web and contact.type != "france_services":
        details.append(contact.web)
    if contact.note:
        details.append(contact.note)
    return "• " + line + ("\n  " + "\n  ".join(details) if details else "")


def _clock(text: str) -> str:
    """« 08:30 » → « 8 h 30 », « 14:00 » → « 14 h »."""
    hours, _, minutes = text.strip().partition(":")
    return f"{int(hours)} h" + (f" {minutes}" if minutes and minutes != "00" else "")


def _hours_phrase(slots: str) -> str:
    """« 08:30 - 12:00 / 13:30 - 16:00 » → « de 8 h 30 à 12 h et de 13 h 30 à 16 h »."""
    parts = []
    for slot in slots.split("/"):
        start, _, end = slot.partition("-")
        if start.strip() and end.strip():
            parts.append(f"de {_clock(start)} à {_clock(end)}")
    return " et ".join(parts)


def paris_now() -> dt.datetime:
    """The time where the offices are (their opening hours are in French local time)."""
    return dt.datetime.now(ZoneInfo("Europe/Paris"))


def next_opening(hours: dict[str, str], now: dt.datetime) -> str | None:
    """When an office is next open: « ouvert aujourd'hui de 9 h à 12 h », « ouvert lundi de 9 h à 12 h »."""
    for days_ahead in range(7):
        day = now.date() + dt.timedelta(days=days_ahead)
        slots = hours.get(WEEKDAYS_FR[day.weekday()])
        if not slots:
            continue
        if days_ahead == 0:
            closing = slots.split("/")[-1].partition("-")[2].strip()
            if closing and now.strftime("%H:%M") >= closing.zfill(5):
                continue  # already closed today
        when = {0: "aujourd'hui", 1: "demain"}.get(days_ahead, WEEKDAYS_FR[day.weekday()])
        return f"ouvert {when} {_hours_phrase(slots)}"
    return None


_FEMININE = frozenset({"mairie", "maison", "maisons", "agence", "caisse", "mission", "direction", "permanence"})
_MASCULINE = frozenset({"centre", "centres", "conseil", "service", "services", "point", "relais", "bureau"})


def with_article(name: str) -> str:
    """« la Mairie d'Albi », « l'Agence départementale… », « le Centre… »; a proper name as it is."""
    first = name.split(" ", 1)[0].lower()
    if first in _FEMININE or first in _MASCULINE:
        if first[0] in "aeiouyéh":
            return "l'" + name
        if first.endswith("s"):
            return "les " + name
        return ("la " if first in _FEMININE else "le ") + name
    return name


def office_phrases(office: ContactView, now: dt.datetime) -> list[str]:
    """Whom to call or where to go, then when the office next opens: « Appelez … au … », « Ouvert … »."""
    name = with_article(office.name)
    if office.phone:
        lines = [f"Appelez {name} au {office.phone}."]
    elif office.address:
        lines = [f"Allez {'à ' + name if name == office.name else _a(name)}, {office.address}."]
    else:
        lines = [f"Adressez-vous {'à ' + name if name == office.name else _a(name)}."]
    opening = next_opening(office.hours, now) if office.hours else None
    if opening:
        lines.append(opening[0].upper() + opening[1:] + ".")
    return lines


def _a(name_with_article: str) -> str:
    """« à la Mairie », « à l'Agence », « au Centre », « aux Maisons »."""
    if name_with_article.startswith("le "):
        return "au " + name_with_article[3:]
    if name_with_article.startswith("les "):
        return "aux " + name_with_article[4:]
    return "à " + name_with_article


def first_step(match: Match, office: ContactView | None, now: dt.datetime) -> list[str]:
    """« À faire d'abord » in at most 3 lines: the first aid, whom to call or where to go, when it opens."""
    lines = [f"À faire d'abord : demandez « {match.scheme.title} »."]
    how = match.scheme.how_to_apply
    if office is not None:
        lines += office_phrases(office, now)
    elif how.get("telephone"):
        lines.append(f"Appelez {how['organisme']} au {how['telephone']}.")
    else:
        lines.append(f"Adressez-vous à : {how['organisme']}.")
    return lines[:3]


def format_contacts(contacts: list[ContactView], commune_name: str) -> str:
    local = [c for c in contacts if not c.national]
    national = [c for c in contacts if c.national]
    blocks = [f"Pour vous aider près {de_place(commune_name)} :"]
    blocks += [format_contact(c) for c in local]
    if national:
        blocks.append("Numéros nationaux :")
        blocks += [format_contact(c) for c in national]
    return "\n".join(blocks)


SUMMARY_SCHEMES = 10


def compact_contact(contact: ContactView) -> str:
    """One line: name, address and phone (the summary, the outage message)."""
    details = " – ".join(p for p in (contact.address, f"Tél. {contact.phone}" if contact.phone else None) if p)
    return f"• {contact.name}" + (f" : {details}" if details else "")


def format_summary(matches: list[Match], contacts: list[ContactView], commune_name: str | None) -> str:
    """The « récapitulatif »: aids, documents to prepare, where to go. Plain text, fit to print."""
    lines = ["RÉCAPITULATIF" + (f" – {commune_name}" if commune_name else ""), "", "Les aides à demander :"]
    for position, match in enumerate(matches[:SUMMARY_SCHEMES], 1):
        how = match.scheme.how_to_apply
        where = " – ".join(p for p in (how["organisme"], how.get("telephone"), how.get("en_ligne")) if p)
        lines.append(f"{position}. {match.scheme.title}")
        estimate = estimate_sentence(match)
        if estimate:
            lines.append(f"   Montant : {estimate}")
        lines.append(f"   Comment : {where}")
    if len(matches) > SUMMARY_SCHEMES:
        lines.append(f"(et {len(matches) - SUMMARY_SCHEMES} autre(s) aide(s) à voir avec un conseiller)")
    documents = list(dict.fromkeys(d for m in matches[:SUMMARY_SCHEMES] for d in m.scheme.documents))
    if documents:
        lines += ["", "Les documents à préparer :"] + [f"• {document}" for document in documents]
    if contacts:
        lines += ["", "Où vous faire aider :"]
        lines += [compact_contact(contact) for contact in contacts]
    lines += ["", "Ces informations sont indicatives : l'organisme décide. En cas de doute, demandez-lui, ou "
                  "faites-vous aider par une France services."]
    return "\n".join(lines)
