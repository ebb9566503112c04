"""The health manager's heartbeat-key rule and certificate housekeeping."""

import datetime

import sqlalchemy as sa

from tests.fixtures import simulator as sim_fixture


def _amphorae(conn):
    return {a.id: a for a in conn.load_balancer.amphorae()}


def _last_updates(sim):
    engine = sa.create_engine(sim.octavia_db_url)
    try:
        with engine.connect() as conn:
            return dict(conn.execute(sa.text(
                'SELECT amphora_id, last_update FROM amphora_health')).all())
    finally:
        engine.dispose()


def _heard_since(sim, before):
    after = _last_updates(sim)
    return {a for a, when in after.items()
            if a in before and when > before[a]}


def test_amphora_health_rows_advance_with_every_heartbeat(sim, conn):
    amphorae = _amphorae(conn)
    sim_fixture.wait_until(lambda: set(_last_updates(sim)) == set(amphorae))
    before = _last_updates(sim)

    sim.set_time(advance=11)  # one heartbeat interval

    assert _heard_since(sim, before) == set(amphorae)


def test_key_change_without_configure_fails_the_fleet_over(sim, conn):
    before = _amphorae(conn)
    # The operator deploys a new key, SIGHUPs the workers and restarts
    # the health managers, but pushes no agent configuration.
    heartbeat = sim.set_heartbeat(heartbeat_key='new', heartbeat_timeout=30,
                                  sighup_workers=True,
                                  restart_health_managers=True)
    assert heartbeat['stale_amphorae'] == len(before)
    assert heartbeat['keys_equal'] is True
    rows = sim_fixture.wait_until(lambda: _last_updates(sim))
    sim.set_time(advance=20)
    assert _heard_since(sim, rows) == set()  # heartbeats are dropped

    sim.set_time(advance=11)

    stats = sim_fixture.wait_until(
        lambda: (lambda s: s['automatic_failovers'] == len(before)
                 and s['concurrent_failovers'] == 0 and s)(sim.stats()))
    assert set(stats['amphora_failovers_by_id']) == set(before)
    after = _amphorae(conn)
    assert not set(before) & set(after) and len(after) == len(before)
    # Replacements carry the workers' (new) key: the storm is over.
    assert sim.control('GET', 'heartbeat')['stale_amphorae'] == 0


def test_restart_without_sighup_makes_replacements_stale_again(sim, conn):
    before = _amphorae(conn)
    sim.set_heartbeat(heartbeat_key='new', heartbeat_timeout=30,
                      restart_health_managers=True)

    sim.set_time(advance=31)

    sim_fixture.wait_until(
        lambda: sim.stats()['automatic_failovers'] == len(before))
    heartbeat = sim.control('GET', 'heartbeat')
    assert heartbeat['keys_equal'] is False
    assert heartbeat['stale_amphorae'] == len(before)


def test_configure_gives_amphorae_the_workers_key_in_time(sim, conn):
    amphorae = _amphorae(conn)
    sim.set_heartbeat(heartbeat_key='k2', heartbeat_timeout=600,
                      sighup_workers=True, restart_health_managers=True)
    rows = sim_fixture.wait_until(lambda: _last_updates(sim))

    for amphora_id in amphorae:
        conn.load_balancer.configure_amphora(amphora_id)
    heartbeat = sim_fixture.wait_until(
        lambda: (lambda h: h['stale_amphorae'] == 0 and h)(
            sim.control('GET', 'heartbeat')))
    sim.set_time(advance=11)
    assert _heard_since(sim, rows) == set(amphorae)
    sim.set_time(advance=601)

    assert heartbeat['deployed_key_running'] is True
    stats = sim.stats()
    assert stats['automatic_failovers'] == 0
    assert stats['amphora_configs_by_id'] == {a: 1 for a in amphorae}
    assert set(_amphorae(conn)) == set(amphorae)


def test_an_agent_refusing_its_configuration_keeps_the_old_key(sim, conn):
    amphorae = list(_amphorae(conn))
    refusing = amphorae[0]
    sim.set_faults(config_refused_amphora_ids=[refusing])
    sim.set_heartbeat(heartbeat_key='k2', heartbeat_timeout=60,
                      sighup_workers=True, restart_health_managers=True)
    rows = sim_fixture.wait_until(lambda: _last_updates(sim))

    for amphora_id in amphorae:
        conn.load_balancer.configure_amphora(amphora_id)  # all 202
    sim.set_time(advance=11)
    assert _heard_since(sim, rows) == set(amphorae) - {refusing}
    sim.set_time(advance=50)

    stats = sim_fixture.wait_until(
        lambda: (lambda s: s['automatic_failovers'] == 1 and s)(sim.stats()))
    assert list(stats['amphora_failovers_by_id']) == [refusing]


def test_expiring_certificate_is_rotated_by_housekeeping(sim, conn):
    amphora = next(iter(conn.load_balancer.amphorae()))
    sim.set_transitions(cert_rotation={'seconds': 600})
    sim.set_cert_expiration(amphora.id, '2000-01-01T00:00:00')

    sim.set_time(advance=61)  # one housekeeping interval
    busy = conn.load_balancer.get_amphora(amphora.id)
    sim.set_time(advance=601)
    rotated = conn.load_balancer.get_amphora(amphora.id)

    assert busy.cert_busy is True
    assert busy.cert_expiration == '2000-01-01T00:00:00'
    assert rotated.cert_busy is False
    expires = datetime.datetime.fromisoformat(rotated.cert_expiration)
    now = datetime.datetime.fromisoformat(
        sim.control('GET', 'time')['now_iso'].rstrip('Z'))
    assert datetime.timedelta(days=29) < expires - now <= datetime.timedelta(
        days=30)
    others = [a for a in conn.load_balancer.amphorae(cert_busy=True)]
    assert others == []


def _table(sim):
    engine = sa.create_engine(sim.octavia_db_url)
    return engine, sa.Table('amphora', sa.MetaData(), autoload_with=engine)


def test_amphora_table_has_octavia_columns_and_follows_the_api(sim, conn):
    engine, table = _table(sim)
    try:
        with engine.connect() as c:
            rows = {r.id: r for r in c.execute(sa.select(table))}
    finally:
        engine.dispose()
    api = _amphorae(conn)

    assert set(rows) == set(api)
    for column in ('id', 'compute_id', 'status', 'load_balancer_id',
                   'lb_network_ip', 'vrrp_ip', 'role', 'cert_expiration',
                   'cert_busy', 'image_id', 'compute_flavor', 'created_at',
                   'updated_at'):
        assert column in table.c
    amphora = next(iter(api.values()))
    row = rows[amphora.id]
    assert row.load_balancer_id == amphora.loadbalancer_id
    assert row.cert_busy is False
    assert (row.cert_expiration.strftime('%Y-%m-%dT%H:%M:%S')
            == amphora.cert_expiration)


def test_update_behind_the_api_is_rotated_by_housekeeping(sim, conn):
    amphora = next(iter(conn.load_balancer.amphorae()))
    engine, table = _table(sim)
    try:
        with engine.begin() as c:
            c.execute(table.update().where(table.c.id == amphora.id).values(
                cert_expiration=datetime.datetime(2000, 1, 1)))
        seen = conn.load_balancer.get_amphora(amphora.id)
        sim.set_time(advance=61)  # one housekeeping interval
        sim.set_time(advance=6)  # the rotation
        rotated = conn.load_balancer.get_amphora(amphora.id)
        with engine.connect() as c:
            row = c.execute(sa.select(table).where(
                table.c.id == amphora.id)).one()
    finally:
        engine.dispose()

    assert seen.cert_expiration == '2000-01-01T00:00:00'
    assert rotated.cert_busy is False
    assert rotated.cert_expiration > amphora.cert_expiration
    assert row.cert_expiration.strftime(
        '%Y-%m-%dT%H:%M:%S') == rotated.cert_expiration
    assert sim.stats()['failovers_by_lb'] == {}


def test_reset_keeps_the_database_and_replaces_its_rows(sim, conn):
    url = sim.octavia_db_url
    sim.reset(load_balancers=2, active_standby_ratio=0)
    engine, table = _table(sim)
    try:
        with engine.connect() as c:
            ids = {r.id for r in c.execute(sa.select(table.c.id))}
    finally:
        engine.dispose()
    assert sim.octavia_db_url == url
    assert ids == set(_amphorae(conn)) and len(ids) == 2
