"""What the assistant says when it cannot look up aids right now (the action server is down)."""

from __future__ import annotations

import logging

from bot.formatting import compact_contact

logger = logging.getLogger(__name__)

APOLOGY = ("Je ne peux pas chercher les aides pour le moment : un de nos services ne répond pas. "
           "Réessayez dans quelques minutes, vos réponses sont gardées.")
GENERIC_FRANCE_SERVICES = ("En attendant, une France services peut vous aider gratuitement. "
                           "Votre mairie vous donne l'adresse de la plus proche.")
MAX_OFFICES = 2


def _france_services_lines(commune_insee: str | None) -> list[str]:
    if not commune_insee:
        return [GENERIC_FRANCE_SERVICES]
    try:
        from bot.contacts import nearest_france_services
        from bot.service import find_commune

        offices = nearest_france_services(find_commune(commune_insee), count=MAX_OFFICES)
    except Exception as error:  # noqa: BLE001 - this message is itself the fallback: it must always come
        logger.warning("France services not found for the outage message: %s", type(error).__name__)
        return [GENERIC_FRANCE_SERVICES]
    if not offices:
        return [GENERIC_FRANCE_SERVICES]
    return ["En attendant, les France services les plus proches peuvent vous aider gratuitement :",
            *map(compact_contact, offices)]


def unavailable_message(commune_insee: str | None = None) -> str:
    """The apology and the person's nearest France services (or where to find them)."""
    return "\n".join([APOLOGY, *_france_services_lines(commune_insee)])
