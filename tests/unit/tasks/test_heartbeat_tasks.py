"""heartbeat-key tasks: each execute is run twice, as after a crash.

The fake cloud's health manager hears an amphora once it was configured
(unless its agent refuses), as Octavia's ``amphora_health`` shows it.
"""

import types

import pytest

from octavia_maint.common import constants
from octavia_maint.tasks import heartbeat_tasks as hbt
from tests.unit.tasks import fakes

BEFORE = '2026-01-01T00:00:00'
AFTER = '2026-01-01T00:00:10'


class FakeHealthCloud(fakes.FakeCloud):
    def __init__(self):
        super().__init__()
        self.heard = {}
        self.configures = []
        self.refusing = set()
        self.amphora_failovers = []

    def get_amphora(self, amphora_id):
        return dict(self.amphorae.get(
            amphora_id, {'id': amphora_id, 'status': constants.DELETED}))

    def amphora_heartbeats(self, amphora_ids):
        return {a: self.heard.get(a) for a in amphora_ids}

    def configure_amphora(self, amphora_id):
        self.configures.append(amphora_id)
        if amphora_id not in self.refusing:
            self.heard[amphora_id] = AFTER

    def failover_amphora(self, amphora_id):
        lb_id = self.amphorae[amphora_id]['loadbalancer_id']
        self.amphora_failovers.append(amphora_id)
        self.lbs[lb_id]['provisioning_status'] = constants.PENDING_UPDATE


@pytest.fixture
def cloud(config):
    fake = FakeHealthCloud()
    fake.add_lb('lb-1')
    amphora_id = next(iter(fake.amphorae))
    fake.heard[amphora_id] = BEFORE
    with fakes.in_job(fake):
        yield fake


def only_amphora(cloud):
    return next(iter(cloud.amphorae))


def snapshot(amphora_id):
    return hbt.SnapshotAmphoraHeartbeat().execute(amphora_id)


def configure(amphora_id, snap):
    return hbt.ConfigureAmphora().execute(amphora_id, snap)


def fail_over_unheard(amphora_id, snap, configured, heard=False):
    return hbt.FailoverUnheardAmphora().execute(
        'campaign-1', amphora_id, snap, configured, heard)


def test_configure_once_even_when_executed_twice(cloud):
    amphora_id = only_amphora(cloud)
    snap = snapshot(amphora_id)
    assert snap == {'deleted': False, 'loadbalancer_id': 'lb-1',
                    'last_update': BEFORE,
                    'status_tree': cloud.get_load_balancer_status_tree(
                        'lb-1')}
    assert configure(amphora_id, snap)['action'] == constants.ACTION_CONFIGURED
    assert (configure(amphora_id, snap)['action'] ==
            constants.ACTION_ALREADY_HEARD)
    assert cloud.configures == [amphora_id]


def test_configure_skips_a_deleted_amphora(cloud):
    snap = snapshot('gone')
    assert snap['deleted']
    assert configure('gone', snap)['action'] == constants.OUTCOME_SKIPPED
    assert cloud.configures == []


def test_wait_tells_heard_from_unheard(cloud):
    amphora_id = only_amphora(cloud)
    snap = snapshot(amphora_id)
    cloud.refusing.add(amphora_id)
    configured = configure(amphora_id, snap)
    wait = hbt.WaitForAmphoraHeartbeat()
    assert wait.execute(amphora_id, snap, configured, 0.01) is False
    cloud.heard[amphora_id] = AFTER
    assert wait.execute(amphora_id, snap, configured, 0.01) is True


def test_unheard_amphora_fails_over_once_even_when_executed_twice(cloud):
    amphora_id = only_amphora(cloud)
    snap = snapshot(amphora_id)
    cloud.refusing.add(amphora_id)
    configured = configure(amphora_id, snap)
    first = fail_over_unheard(amphora_id, snap, configured)
    assert first['outcome'] == constants.OUTCOME_SUCCEEDED
    assert 'failed over' in first['reason']
    again = fail_over_unheard(amphora_id, snap, configured)
    assert again['outcome'] == constants.OUTCOME_SUCCEEDED
    assert cloud.amphora_failovers == [amphora_id]


def test_heard_after_all_is_not_failed_over(cloud):
    amphora_id = only_amphora(cloud)
    snap = snapshot(amphora_id)
    cloud.refusing.add(amphora_id)
    configured = configure(amphora_id, snap)
    cloud.heard[amphora_id] = AFTER
    result = fail_over_unheard(amphora_id, snap, configured)
    assert result == {'amphora_id': amphora_id,
                      'outcome': constants.OUTCOME_SUCCEEDED,
                      'reason': hbt.HEARD_AFTER_ALL}
    assert cloud.amphora_failovers == []


def test_window_grows_with_the_fleet_and_shrinks_with_the_throttle():
    params = {'heartbeat_timeout': 600, 'heartbeat_interval': 10}
    throttle = types.SimpleNamespace(max_concurrent_failovers=10,
                                     min_interval_seconds=0.0)
    # 20 children in flight, each 1 s + one heartbeat interval, plus the
    # last ones' remaining two intervals.
    assert hbt.configure_window(params, 1000, throttle) == {
        'rounds': 50, 'needed_seconds': 50 * 11 + 20,
        'allowed_seconds': 300}
    throttle.max_concurrent_failovers = 50
    assert hbt.configure_window(
        params, 1000, throttle)['needed_seconds'] == 10 * 11 + 20
