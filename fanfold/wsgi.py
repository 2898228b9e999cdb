import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")
application = get_wsgi_application()


def _warm_filter_index() -> None:
    """Build this worker's filter index now rather than on the first listing request
    (about 20 s at a million works); requests that come earlier wait for it."""
    from django.conf import settings
    from django.db import connections

    if not settings.FILTER_INDEX or os.environ.get("FANFOLD_FILTER_WARMUP", "1") == "0":
        return
    try:
        from fanfold.filters.selectors import shared_index

        shared_index()
    except Exception:  # a database not migrated yet, say: the first request will retry
        logging.getLogger(__name__).warning("Filter index warm-up failed", exc_info=True)
    finally:
        connections.close_all()  # this thread's connections only


threading.Thread(target=_warm_filter_index, name="filter-index-warmup", daemon=True).start()
