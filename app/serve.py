"""``python -m app.serve run app/streamlit_app.py …``: Streamlit's own command, in a process
that has imported maillage's modules first.

``maillage app`` starts the server this way so that the first page a user opens does
not wait for pandas, NetworkX, numba and maillage's components to be imported (1.5 s
of the Réseau page's first script run, sampled with py-spy on a busy 2-core machine): Streamlit runs the pages in this process, where they are
imported once, before the server answers; the shipped reference's scopes and outlines of
régions and départements and the index of territory names are read then too, as are the
embedded engine's client (``falkordb``, ``redis``: 0.2–0.3 s of a first view) and the
query library.

Everything read then lives as long as the server: it is frozen out of the garbage
collector's sight (``gc.freeze``). Without that, every full collection walks it (the
outlines alone are hundreds of thousands of lists), as the one Streamlit runs after each
script run (``runner.postScriptGC``) and those that follow a graph built with the
collector paused (:func:`graph.read_copy.gc_paused`) do: 0.15 s each on an idle 2-core
machine, three times that on a busy one (py-spy, first view of Territoires). Streamlit's
collection after each script run stays on: turning it off made the collector run during
the next script instead (first views of Orientation and Territoires 0.5–1 s slower, in
alternating runs of ``bench/app_views.py``).
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    import app.components.data  # noqa: F401  (the pages' shared state and caches)
    import app.components.geo  # noqa: F401
    import app.components.maps  # noqa: F401
    import app.components.network  # noqa: F401
    import app.components.report  # noqa: F401
    import app.components.ui  # noqa: F401
    import graph.analysis  # noqa: F401
    import graph.ego  # noqa: F401
    import graph.embedded  # noqa: F401  (the default store's client: falkordb, redis)
    import graph.territorial  # noqa: F401
    import pyvis.network  # noqa: F401  (the cooperation picture)
    from loaders.territories import load_outlines, read_territories, territory_index

    # the shipped reference (static files, not the base): the scopes and outlines of the maps,
    # the index of names a commune is looked for by (Orientation)
    read_territories(("region", "departement"))
    territory_index().find("Nantes")  # and the codes a search resolves names to
    for level in ("region", "departement"):
        load_outlines(level)
    from queries import library

    library()  # the .cypher files, parsed once per process
    import streamlit.emojis  # noqa: F401  (imported by the first page's first element otherwise)
    from streamlit import delta_generator
    from streamlit.web import cli

    # the warning for a script run without `streamlit run` does not apply here (this is
    # `streamlit run`); deciding so walks every loaded module (inspect.stack) on the first
    # element of the first view, 0.1–0.2 s
    delta_generator._use_warning_has_been_displayed = True
    gc.collect()
    gc.freeze()  # what was read above lives as long as the server (see the docstring)
    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
