import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")
application = get_wsgi_application()


def _warm_filter_index() -> None:
    """Map the host's filter index snapshot now rather than on the first listing request
    (or, with none ready, start its build; listings come from the database meanwhile)."""
    from django.conf import settings
    from django.db import connections

    if not settings.FILTER_INDEX or os.environ.get("FANFOLD_FILTER_WARMUP", "1") == "0":
        return
    try:
        from fanfold.filters.selectors import current_index

        current_index()
    except Exception:  # a database not migrated yet, say: the first request will retry
        logging.getLogger(__name__).warning("Filter index warm-up failed", exc_info=True)
    finally:
        connections.close_all()  # this thread's connections only


threading.Thread(target=_warm_filter_index, name="filter-index-warmup", daemon=True).start()
