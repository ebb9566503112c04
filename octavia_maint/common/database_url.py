"""Database URLs as operators write them, with the drivers we install.

SQLAlchemy gives a URL that names no driver the driver of its choice:
``postgresql://`` gets psycopg2 and ``mysql://`` mysqlclient, both built
from source against the server's headers with a compiler. octavia-maint
installs psycopg 3 and PyMySQL, which come as wheels, so a URL that names
no driver gets those; a URL that names one is left as written.
"""

import sqlalchemy as sa

INSTALLED_DRIVERS = {'postgresql': 'postgresql+psycopg',
                     'mysql': 'mysql+pymysql'}


def with_installed_driver(url):
    """``url`` (a string) with the installed driver where it names none.

    :raises sqlalchemy.exc.ArgumentError: ``url`` is not a database URL.
    """
    parsed = sa.engine.make_url(url)
    driver = INSTALLED_DRIVERS.get(parsed.drivername)
    if driver is None:
        return url
    return parsed.set(drivername=driver).render_as_string(
        hide_password=False)
