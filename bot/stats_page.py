"""The staff page of the anonymous statistics (``/statistiques/``), as one HTML document.

Every chart (the State design system's ``@gouvfr/dsfr-chart`` web components) comes with its data as a
table; counts under the secrecy threshold read « < 10 » in the tables and are left out of the charts.
The filters (period, département) are a plain form: the page works without JavaScript, the charts need it.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from bot.geography import OCCITANIE_DEPARTEMENTS
from bot.statistics import settings
from bot.stats_export import departement_names, dimension_label, label, month_bounds
from bot.stats_store import Cell, read

TOP_AIDS = 15
TABLE_DIMENSIONS = ("besoin", "besoin_urgent", "crise", "age", "foyer", "logement", "activite", "canal")


@dataclass(frozen=True)
class Filters:
    first_month: str  # AAAA-MM
    last_month: str
    departement: str | None  # one of the 13 codes, or None for the whole region

    @classmethod
    def from_query(cls, query: dict[str, str], today: dt.date) -> Filters:
        """The page's filters from its query string; wrong values give a ValueError in French."""
        year, month = (today.year, today.month - 5) if today.month > 5 else (today.year - 1, today.month + 7)
        first = query.get("debut") or f"{year:04d}-{month:02d}"  # the last six months by default
        last = query.get("fin") or f"{today.year:04d}-{today.month:02d}"
        month_bounds(first), month_bounds(last)  # ValueError with a French message
        if first > last:
            raise ValueError("la période commence après sa fin : choisissez un mois de début plus ancien")
        departement = query.get("departement") or None
        if departement is not None and departement not in OCCITANIE_DEPARTEMENTS:
            raise ValueError(f"département « {departement} » inconnu : choisissez l'un des 13 d'Occitanie")
        return cls(first, last, departement)

    @property
    def dates(self) -> tuple[dt.date, dt.date]:
        return month_bounds(self.first_month)[0], month_bounds(self.last_month)[1]

    def query(self) -> str:
        values = {"debut": self.first_month, "fin": self.last_month}
        if self.departement:
            values["departement"] = self.departement
        return urlencode(values)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _attr(value: object) -> str:
    return html.escape(json.dumps(value, ensure_ascii=False), quote=True)


def _visible(cell: Cell) -> int | None:
    """The count a chart may draw: None under the secrecy threshold."""
    return cell.nombre if cell.nombre >= int(settings()["seuil_secret"]) else None


def _table(caption: str, headers: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    if not rows:
        return f'<p class="fr-text--sm">{_e(caption)} : aucune donnée pour cette période.</p>'
    body = "".join(f"<tr><td>{_e(a)}</td><td class=\"nombre\">{_e(b)}</td></tr>" for a, b in rows)
    return (f'<div class="fr-table"><table><caption>{_e(caption)}</caption>'
            f'<thead><tr><th scope="col">{_e(headers[0])}</th><th scope="col">{_e(headers[1])}</th></tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def _bar_chart(title: str, cells: list[Cell]) -> str:
    drawn = [(label(c.dimension, c.valeur), _visible(c)) for c in cells if _visible(c) is not None]
    if not drawn:
        return ""
    return (f'<figure class="graphique" aria-hidden="true"><bar-chart horizontal="true" '
            f'x="{_attr([[name for name, _ in drawn]])}" y="{_attr([[value for _, value in drawn]])}" '
            f'name="{_attr([title])}"></bar-chart></figure>')


def render(filters: Filters, error: str | None = None, stats_db: str | None = None) -> str:
    """The whole page for these filters."""
    start, end = filters.dates
    chosen = [filters.departement] if filters.departement else None
    totals = {(c.dimension, c.valeur): c for _, _, c in read(start, end, chosen, stats_db=stats_db)}
    by_departement = [(d, c) for _, d, c in read(start, end, None, group_by_departement=True, stats_db=stats_db)]
    by_day = [(day, c) for day, _, c in read(start, end, chosen, group_by_day=True, stats_db=stats_db)]
    place = departement_names().get(filters.departement or "", "") if filters.departement else "toute l'Occitanie"

    def cells(dimension: str) -> list[Cell]:
        return sorted((c for (d, _), c in totals.items() if d == dimension), key=lambda c: (-c.nombre, c.valeur))

    started = totals.get(("conversations", "commencees"))
    finished = totals.get(("conversations", "terminees"))
    messages = totals.get(("messages", "total"))
    not_understood = totals.get(("messages", "non_compris"))
    crises = sum(c.nombre for c in cells("crise"))
    threshold = int(settings()["seuil_secret"])
    rate = "—"
    if messages and messages.nombre >= threshold:
        share = (not_understood.nombre if not_understood else 0) / messages.nombre
        rate = f"{share:.0%}".replace("%", " %")

    def shown(cell: Cell | None) -> str:
        return cell.shown if cell else "0"

    key_figures = [("Conversations commencées", shown(started)),
                   ("Conversations arrivées jusqu'aux aides", shown(finished)),
                   ("Numéros d'urgence donnés", Cell("crise", "total", crises).shown if crises else "0"),
                   ("Messages non compris", rate)]
    figures = "".join(f'<div class="fr-col-12 fr-col-md-3"><div class="chiffre"><p class="fr-h3">{_e(value)}</p>'
                      f"<p>{_e(name)}</p></div></div>" for name, value in key_figures)

    # map of the 13 départements: conversations started
    started_by_dep = {d: c for d, c in by_departement if c.dimension == "conversations" and c.valeur == "commencees"}
    # the map needs a number for each of the 13: under the threshold it gets the lightest colour (0)
    map_data = {code: _visible(started_by_dep[code]) or 0 if code in started_by_dep else 0
                for code in OCCITANIE_DEPARTEMENTS}
    map_rows = [(departement_names()[code], started_by_dep[code].shown if code in started_by_dep else "0")
                for code in OCCITANIE_DEPARTEMENTS]
    region_total = started.nombre if started and started.nombre >= threshold else 0
    map_chart = (f'<figure class="graphique" aria-hidden="true"><map-chart-reg region="OCC" '
                 f'data="{_attr(map_data)}" value="{region_total}" date="{_e(filters.first_month)} à '
                 f'{_e(filters.last_month)}" name="Conversations commencées">'
                 f"</map-chart-reg></figure><p class=\"fr-text--sm\">Sur la carte, un département à moins de "
                 f"{threshold} conversations a la couleur la plus claire.</p>") if any(map_data.values()) else ""

    # needs over time, by month
    months: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, cell in by_day:
        if day is not None and cell.dimension == "besoin":
            months[f"{day.year:04d}-{day.month:02d}"][cell.valeur] += cell.nombre
    month_names = sorted(months)
    needs = sorted({need for values in months.values() for need in values})
    need_rows = [(f"{label('besoin', need)} — {month}", Cell("besoin", need, months[month].get(need, 0)).shown)
                 for month in month_names for need in needs]
    series = [[(months[m].get(n, 0) if months[m].get(n, 0) >= threshold else None) for m in month_names]
              for n in needs]
    line_chart = (f'<figure class="graphique" aria-hidden="true"><line-chart x="{_attr([month_names] * len(needs))}" '
                  f'y="{_attr(series)}" name="{_attr([label("besoin", n) for n in needs])}"></line-chart></figure>'
                  ) if needs and any(v is not None for s in series for v in s) else ""

    aids = cells("aide")[:TOP_AIDS]
    stops = cells("arret")
    sections = [
        ("carte", f"Conversations par département ({_e(place)})", map_chart,
         _table("Conversations commencées par département", ("Département", "Conversations"), map_rows)),
        ("besoins", "Besoins exprimés, mois par mois", line_chart,
         _table("Besoins exprimés par mois", ("Besoin et mois", "Conversations"), need_rows)),
        ("aides", f"Les {TOP_AIDS} aides les plus proposées", _bar_chart("Conversations", aids),
         _table("Aides proposées", ("Aide", "Conversations"), [(label("aide", c.valeur), c.shown) for c in aids])),
        ("arrets", "Où les conversations s'arrêtent avant les aides", _bar_chart("Conversations", stops),
         _table("Dernière question posée", ("Question", "Conversations"),
                [(label("arret", c.valeur), c.shown) for c in stops])),
    ]
    sections += [(dimension, dimension_label(dimension), "",
                  _table(dimension_label(dimension), ("Catégorie", "Conversations"),
                         [(label(dimension, c.valeur), c.shown) for c in cells(dimension)]))
                 for dimension in TABLE_DIMENSIONS]
    body = "".join(f'<section class="fr-mb-6w" aria-labelledby="titre-{key}"><h2 id="titre-{key}">{title}</h2>'
                   f"{chart}{table}</section>" for key, title, chart, table in sections)

    options = "".join(f'<option value="{code}"{" selected" if code == filters.departement else ""}>'
                      f"{_e(departement_names()[code])} ({code})</option>" for code in OCCITANIE_DEPARTEMENTS)
    message = (f'<div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><p>{_e(error)}</p></div>'
               if error else "")
    return PAGE.format(
        figures=figures, body=body, options=options, first=_e(filters.first_month), last=_e(filters.last_month),
        all_selected="" if filters.departement else " selected", csv=_e(f"export.csv?{filters.query()}"),
        place=_e(place), period=_e(f"{filters.first_month} à {filters.last_month}"), message=message,
        threshold=threshold)


PAGE = """<!doctype html>
<html lang="fr" data-fr-scheme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Statistiques anonymes – Assistant des aides en Occitanie</title>
<link rel="stylesheet" href="static/dsfr/dsfr.min.css">
<link rel="stylesheet" href="static/dsfr-chart/DSFRChart.css">
<style>
  .chiffre {{ border-left: 4px solid var(--border-action-high-blue-france); padding-left: 1rem; }}
  .chiffre p {{ margin: 0; }}
  .graphique {{ margin: 0 0 1rem 0; max-width: 48rem; }}
  td.nombre {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style>
</head>
<body>
<a class="fr-link fr-sr-only fr-sr-only-focusable" href="#contenu">Aller au contenu</a>
<header class="fr-container fr-py-2w">
  <p class="fr-text--lg fr-mb-0"><strong>Assistant des aides en Occitanie</strong> — équipes du Pacte des
  solidarités</p>
</header>
<main id="contenu" class="fr-container fr-pb-6w" tabindex="-1">
<h1>Statistiques anonymes</h1>
<p>Chiffres de {place}, de {period}. Une conversation est comptée quand elle est terminée. Aucun message,
aucun identifiant, aucune commune n'est gardé. Tout nombre inférieur à {threshold} s'affiche « &lt; {threshold} »
et n'apparaît pas sur les graphiques.</p>
{message}
<form method="get" action="." class="fr-mb-4w">
  <fieldset class="fr-fieldset">
    <legend class="fr-fieldset__legend">Choisir la période et le territoire</legend>
    <div class="fr-fieldset__element fr-col-12 fr-col-md-3">
      <div class="fr-input-group"><label class="fr-label" for="debut">Premier mois
        <span class="fr-hint-text">Format : AAAA-MM</span></label>
      <input class="fr-input" type="month" id="debut" name="debut" value="{first}" required></div>
    </div>
    <div class="fr-fieldset__element fr-col-12 fr-col-md-3">
      <div class="fr-input-group"><label class="fr-label" for="fin">Dernier mois
        <span class="fr-hint-text">Format : AAAA-MM</span></label>
      <input class="fr-input" type="month" id="fin" name="fin" value="{last}" required></div>
    </div>
    <div class="fr-fieldset__element fr-col-12 fr-col-md-4">
      <div class="fr-select-group"><label class="fr-label" for="departement">Département</label>
      <select class="fr-select" id="departement" name="departement">
        <option value=""{all_selected}>Toute l'Occitanie</option>{options}
      </select></div>
    </div>
    <div class="fr-fieldset__element">
      <button class="fr-btn" type="submit">Afficher</button>
      <a class="fr-btn fr-btn--secondary fr-ml-2w" href="{csv}" download>Télécharger ces chiffres (CSV)</a>
    </div>
  </fieldset>
</form>
<div class="fr-grid-row fr-grid-row--gutters fr-mb-6w">{figures}</div>
{body}
</main>
<script type="module" src="static/dsfr-chart/DSFRChart.js"></script>
</body>
</html>
"""
