"""``gwstats ui``: the workspace as a local web page (Starlette + Jinja2), a view over ``Workspace``.

Layout after Datasette: ``server.py`` (uvicorn), ``app.py`` (the application object and routes),
``views/`` (one module per kind of page), ``templates/`` (Jinja, no logic), ``static/`` (CSS, a
little JS), ``csrf.py`` and ``auth.py`` (safety, each in a module of its own), ``uploads.py``
(upload file names and the staging folder).
"""
