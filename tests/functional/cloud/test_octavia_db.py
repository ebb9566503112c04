"""The Octavia database accessor on SQLite, MariaDB and PostgreSQL.

Each test makes a throwaway database with Octavia's amphora columns (the
ones we touch), as a real Octavia would have them.
"""

import datetime

import pytest
import sqlalchemy as sa

from octavia_maint.cloud import octavia_db
from octavia_maint.common import exceptions
from tests.fixtures import databases

ORIGINAL = datetime.datetime(2026, 6, 1, 12, 0, 0)


@pytest.fixture(params=databases.KINDS)
def db(request, tmp_path):
    with databases.database(request.param, tmp_path) as url:
        engine = sa.create_engine(url)
        metadata = sa.MetaData()
        table = sa.Table(
            'amphora', metadata,
            sa.Column('id', sa.String(36), primary_key=True),
            sa.Column('status', sa.String(36)),
            sa.Column('cert_expiration', sa.DateTime(timezone=True)),
            sa.Column('cert_busy', sa.Boolean(), nullable=False))
        metadata.create_all(engine)
        with engine.begin() as c:
            c.execute(table.insert(), [
                {'id': 'a%d' % n, 'status': 'ALLOCATED',
                 'cert_expiration': ORIGINAL + datetime.timedelta(hours=n),
                 'cert_busy': False} for n in range(4)])
        accessor = octavia_db.OctaviaDatabase(url)
        yield accessor, engine, table
        accessor.close()
        engine.dispose()


def naive_utc(value):
    """PostgreSQL answers timestamptz (Octavia's column type) with a zone."""
    if value.tzinfo is None:
        return value
    return value.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def dates(engine, table):
    with engine.connect() as c:
        return {r.id: naive_utc(r.cert_expiration)
                for r in c.execute(sa.select(table))}


def test_expire_only_the_given_rows_once_and_restore(db):
    accessor, engine, table = db
    accessor.check()
    originals = accessor.cert_expirations(['a0', 'a1', 'a2', 'missing'])
    assert sorted(originals) == ['a0', 'a1', 'a2']

    assert accessor.expire_certificates(originals) == 3
    assert accessor.expire_certificates(originals) == 0   # a re-run
    expired = dates(engine, table)
    assert [expired[i] == octavia_db.EXPIRED for i in sorted(expired)] == [
        True, True, True, False]

    # Octavia renews a1; housekeeping is busy with a2.
    with engine.begin() as c:
        c.execute(table.update().where(table.c.id == 'a1').values(
            cert_expiration=datetime.datetime(2027, 1, 1)))
        c.execute(table.update().where(table.c.id == 'a2').values(
            cert_busy=True))
    assert accessor.restore_certificates(originals) == 1
    after = dates(engine, table)
    assert after['a0'] == ORIGINAL
    assert after['a1'] == datetime.datetime(2027, 1, 1)
    assert after['a2'] == octavia_db.EXPIRED
    assert after['a3'] == ORIGINAL + datetime.timedelta(hours=3)


def test_unreachable_database_is_a_one_line_config_error():
    accessor = octavia_db.OctaviaDatabase(
        'mysql+pymysql://octavia:secret@127.0.0.1:1/octavia')
    with pytest.raises(exceptions.ConfigError) as e:
        accessor.check()
    assert 'secret' not in str(e.value)
    assert '\n' not in str(e.value)


def test_database_without_the_amphora_table_is_refused(tmp_path):
    accessor = octavia_db.OctaviaDatabase(
        'sqlite:///%s' % (tmp_path / 'empty.sqlite'))
    with pytest.raises(exceptions.ConfigError, match='no amphora table'):
        accessor.check()
