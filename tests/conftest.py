# The factories the app tests use, for the browser tests too.
from fanfold.conftest import _clear_caches, _fixed_tags, make_user, make_work  # noqa: F401
