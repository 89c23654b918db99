"""``python -m app.serve run app/streamlit_app.py …``: Streamlit's own command, in a process
that has imported maillage's modules first.

``maillage app`` starts the server this way so that the first page a user opens does
not wait for pandas, NetworkX, numba and maillage's components to be imported (1.5 s
of the Réseau page's first script run, sampled with py-spy on a busy 2-core machine): Streamlit runs the pages in this process, where they are
imported once, before the server answers; the shipped reference's scopes and outlines of
régions and départements and the index of territory names are read then too.
"""

from __future__ import annotations

import sys


def main() -> None:
    import app.components.data  # noqa: F401  (the pages' shared state and caches)
    import app.components.maps  # noqa: F401
    import app.components.network  # noqa: F401
    import graph.analysis  # noqa: F401
    import graph.ego  # noqa: F401
    import graph.territorial  # noqa: F401
    import pyvis.network  # noqa: F401  (the cooperation picture)
    from loaders.territories import load_outlines, read_territories, territory_index

    # the shipped reference (static files, not the base): the scopes and outlines of the maps,
    # the index of names a commune is looked for by (Orientation)
    read_territories(("region", "departement"))
    territory_index()
    for level in ("region", "departement"):
        load_outlines(level)
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
