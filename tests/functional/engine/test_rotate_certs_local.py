"""rotate-certs in local mode against the simulator, every mode.

The simulator keeps its amphora rows in a real SQLite table, which the
job edits through ``[octavia_db] connection`` exactly as it would edit
Octavia's; the simulator's housekeeping renews what was expired. Its
counters and that table are the judges.
"""

import threading

import pytest
import sqlalchemy as sa

from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint import conf
from tests.fixtures import certificates
from tests.fixtures import simulator as sim_fixture
from tests.functional.engine import conftest

LBS = 6


@pytest.fixture
def sim(monkeypatch):
    # 60x: a housekeeping interval (60 s) is a real second.
    sim = conftest.make_simulator(
        monkeypatch, load_balancers=LBS, active_standby_ratio=0.5,
        ovn_ratio=1 / LBS, hosts=4, failover_seconds=6, time_scale=60)
    yield sim
    sim.cleanUp()


def groups(sim, tmp_path):
    result = conftest.local_groups(tmp_path, max_concurrent_failovers=3)
    result['octavia_db'] = {'connection': sim.octavia_db_url}
    result['octavia'] = {'cert_rotation_timeout': 60}
    return result


@pytest.fixture
def service(sim, config, tmp_path):
    service = conftest.service_for(config, groups(sim, tmp_path))
    yield service
    service.close()


def cert_rows(sim):
    engine = sa.create_engine(sim.octavia_db_url)
    try:
        with engine.connect() as c:
            return {r.id: (r.cert_expiration, r.cert_busy) for r in c.execute(
                sa.text('SELECT id, cert_expiration, cert_busy FROM amphora'))}
    finally:
        engine.dispose()


def run(service, job_id):
    service.local_runner().run(job_id)
    return service.show(job_id)


def test_housekeeping_renews_every_certificate_without_failover(sim,
                                                                service):
    before = cert_rows(sim)
    job_id = service.post(constants.ROTATE_CERTS, {})
    view = run(service, job_id)

    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == LBS - 1
    assert view['counts'][constants.OUTCOME_SKIPPED] == 1   # the ovn LB
    after = cert_rows(sim)
    assert set(after) == set(before)
    assert all(after[a][0] > before[a][0] and not after[a][1]
               for a in before)
    stats = sim.stats()
    assert stats['failovers_by_lb'] == {}
    assert sorted(stats['cert_rotations_by_amphora']) == sorted(before)
    assert set(stats['cert_rotations_by_amphora'].values()) == {1}


def test_via_failover_fails_each_lb_over_once(sim, service):
    job_id = service.post(constants.ROTATE_CERTS, {'via_failover': True})
    view = run(service, job_id)

    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert sorted(sim.stats()['failovers_by_lb'].values()) == [1] * (LBS - 1)


def test_dry_run_changes_nothing(sim, service):
    before = cert_rows(sim)
    plan = service.plan(constants.ROTATE_CERTS, {})
    assert plan['to_run'] == LBS - 1
    assert all(constants.CERT_ORIGINALS in t['inputs']
               for t in plan['targets'] if t['action'] == constants.PLAN_RUN)
    assert cert_rows(sim) == before
    # Housekeeping renews everything in its next run: one interval.
    assert plan['estimated_seconds'] == conf.CONF.octavia.cert_interval
    assert 'housekeeping' in plan['notes']


def test_cancel_restores_the_dates_not_renewed_yet(sim, service):
    # Housekeeping too slow to renew anything before the cancel.
    sim.control('POST', 'reset', dict(sim.spec.to_dict(include_secrets=True),
                                      cert_interval=1e6))
    before = cert_rows(sim)
    job_id = service.post(constants.ROTATE_CERTS, {})
    runner = threading.Thread(target=service.local_runner().run,
                              args=(job_id,), daemon=True)
    runner.start()
    expired = sim_fixture.wait_until(
        lambda: (lambda rows: all(r[0].startswith('2000-') for r in
                                  rows.values()) and rows)(cert_rows(sim)),
        timeout=30)
    # Each target says what it waits for, since and until when.
    waits = sim_fixture.wait_until(lambda: [
        t['reason'] for t in service.show(job_id)['targets']
        if t['outcome'] == constants.OUTCOME_RUNNING and t['reason']],
        timeout=30)
    assert all(w.startswith("waiting for Octavia's housekeeping to renew")
               and ', since ' in w and ', until ' in w for w in waits)
    service.cancel(job_id)
    runner.join(30)

    assert len(expired) == len(before)
    assert service.view(job_id)['state'] == constants.JOB_CANCELLED
    assert cert_rows(sim) == before


def test_client_ca_waits_at_the_gate_then_fails_everything_over(
        sim, service, tmp_path):
    ca = certificates.CA(tmp_path)
    client = ca.issue(tmp_path)
    job_id = service.post(constants.ROTATE_CERTS, {
        'mode': 'client-ca', 'ca_cert': str(ca.cert_path),
        'client_cert': str(client)})
    runner = threading.Thread(target=service.local_runner().run,
                              args=(job_id,), daemon=True)
    runner.start()
    view = sim_fixture.wait_until(
        lambda: (lambda v: v['waiting_for'] and v)(service.view(job_id)),
        timeout=30)

    assert view['state'] == constants.JOB_WAITING
    assert '[controller_worker] client_ca = %s' % ca.cert_path in (
        view['waiting_for'])
    assert str(client) in view['waiting_for']
    assert sim.stats()['failovers_by_lb'] == {}
    service.continue_job(job_id)
    runner.join(60)
    view = service.show(job_id)
    assert view['state'] == constants.JOB_SUCCEEDED, view['reason']
    assert sorted(sim.stats()['failovers_by_lb'].values()) == [1] * (LBS - 1)
    assert sim.stats()['peak_concurrent_failovers'] <= 3
    # Paths only: no key material in the job's database.
    assert b'PRIVATE KEY' not in (tmp_path / 'jobs.sqlite').read_bytes()


def test_ca_has_a_closing_gate(sim, service, tmp_path):
    ca = certificates.CA(tmp_path)
    job_id = service.post(constants.ROTATE_CERTS, {
        'mode': 'ca', 'ca_cert': str(ca.cert_path),
        'ca_key': str(ca.key_path)})
    runner = threading.Thread(target=service.local_runner().run,
                              args=(job_id,), daemon=True)
    runner.start()
    gates = []
    for _ in range(2):
        view = sim_fixture.wait_until(
            lambda: (lambda v: v['waiting_for'] and v['waiting_for'] not in
                     gates and v)(service.view(job_id)), timeout=60)
        gates.append(view['waiting_for'])
        service.continue_job(job_id)
    runner.join(60)

    assert 'server_ca a bundle of the new and the old' in gates[0]
    assert 'server_ca to the new CA %s alone' % ca.cert_path in gates[1]
    assert service.view(job_id)['state'] == constants.JOB_SUCCEEDED
    assert sorted(sim.stats()['failovers_by_lb'].values()) == [1] * (LBS - 1)


def test_unreachable_octavia_database_is_refused(sim, config, tmp_path):
    bad = groups(sim, tmp_path)
    bad['octavia_db'] = {'connection': 'sqlite:////nonexistent/dir/x.db'}
    service = conftest.service_for(config, bad)
    try:
        with pytest.raises(exceptions.ConfigError,
                           match='cannot use Octavia\'s database'):
            service.post(constants.ROTATE_CERTS, {})
        assert service.list() == []
    finally:
        service.close()
