"""Start the action server: ``python -m actions --port 5055`` (rasa_sdk's own arguments).

The server refuses to start when the catalogue database is missing, corrupt or empty: better no
server, and a clear message to the person deploying it, than wrong answers.
"""

from __future__ import annotations

import sys
from typing import Sequence

EXIT_NO_CATALOGUE = 3


def main(argv: Sequence[str] | None = None) -> int:
    from rasa_sdk.__main__ import main_from_args
    from rasa_sdk.endpoint import create_argument_parser
    from sqlalchemy.exc import SQLAlchemyError

    from bot.service import warm_up
    from bot.store import DatabaseUnavailable, check_ready

    args = create_argument_parser().parse_args(argv)
    try:
        check_ready()
        warm_up()  # the first person does not wait for the catalogue and the communes to load
    except (DatabaseUnavailable, SQLAlchemyError) as error:
        print(f"Le serveur d'actions ne démarre pas : {error}", file=sys.stderr)
        return EXIT_NO_CATALOGUE
    args.actions = args.actions or "actions"
    main_from_args(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
