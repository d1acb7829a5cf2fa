"""The exposure settings of `rasa run`, from the environment, printed one argument per line.

    RASA_ENABLE_API=1        open Rasa's HTTP API (off by default); needs RASA_AUTH_TOKEN
                             or RASA_JWT_SECRET, or the server does not start
    WIDGET_ORIGINS           the web pages allowed to call the assistant (CORS), separated by
                             spaces; by default the demo page of `make run`; « * » is refused

Used by scripts/servers.sh: `mapfile -t ARGS < <(python scripts/rasa_args.py)`.
"""

from __future__ import annotations

import os
import sys

DEFAULT_ORIGINS = "http://localhost:{port} http://127.0.0.1:{port}"


class ExposureError(ValueError):
    """A setting that would expose the assistant; the message says what to do, in French."""


def rasa_args(environ: dict[str, str]) -> list[str]:
    args: list[str] = []
    if environ.get("RASA_ENABLE_API") == "1":
        token, jwt = environ.get("RASA_AUTH_TOKEN", ""), environ.get("RASA_JWT_SECRET", "")
        if not token and not jwt:
            raise ExposureError("RASA_ENABLE_API=1 demande RASA_AUTH_TOKEN ou RASA_JWT_SECRET : "
                                "l'API de Rasa ne s'ouvre jamais sans authentification.")
        if token and len(token) < 24:
            raise ExposureError("RASA_AUTH_TOKEN est trop court : 24 caractères au moins.")
        args.append("--enable-api")
        args += ["--auth-token", token] if token else ["--jwt-secret", jwt, "--jwt-method", "HS256"]
    origins = (environ.get("WIDGET_ORIGINS")
               or DEFAULT_ORIGINS.format(port=environ.get("WEB_PORT") or "8080")).split()
    if "*" in origins:
        raise ExposureError("WIDGET_ORIGINS ne peut pas valoir « * » : indiquez les adresses des pages du widget.")
    return [*args, "--cors", *origins]


def main() -> int:
    try:
        print("\n".join(rasa_args(dict(os.environ))))
    except ExposureError as error:
        print(f"Le serveur Rasa ne démarre pas : {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
