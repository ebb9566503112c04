"""A database URL naming no driver gets the one octavia-maint installs."""

import pytest
import sqlalchemy as sa

from octavia_maint.common import database_url


@pytest.mark.parametrize('given, used', [
    ('postgresql://u:p@db/om', 'postgresql+psycopg://u:p@db/om'),
    ('mysql://u:p@db/om', 'mysql+pymysql://u:p@db/om'),
    ('mysql+pymysql://u@db/om', 'mysql+pymysql://u@db/om'),
    ('postgresql+psycopg2://u@db/om', 'postgresql+psycopg2://u@db/om'),
    ('sqlite:////var/lib/om.sqlite', 'sqlite:////var/lib/om.sqlite'),
])
def test_installed_driver(given, used):
    assert database_url.with_installed_driver(given) == used


def test_not_a_url():
    with pytest.raises(sa.exc.ArgumentError):
        database_url.with_installed_driver('bogus')
