"""pytest fixtures for the simulator's tests.

One simulator per module (starting one is cheap, but not free); every
test gets it reset to the base fleet so tests never see each other's
changes. The module's SDK connection survives resets (tokens are kept).
"""

import pytest

from tests.fixtures import simulator as sim_fixture

# Small and quick: a failover takes 1 simulated second, 0.1 s real.
BASE_FLEET = {
    'load_balancers': 6,
    'active_standby_ratio': 0.5,
    'hosts': 4,
    'projects': 2,
    'tenant_vms': 4,
    'orphan_amphora_vms': 2,
    'failover_seconds': 1,
    'time_scale': 10,
}


@pytest.fixture(scope='module')
def simulator():
    with sim_fixture.SimulatorFixture(**BASE_FLEET) as fixture:
        yield fixture


@pytest.fixture
def sim(simulator):
    simulator.reset()
    return simulator


@pytest.fixture(scope='module')
def conn(simulator):
    return simulator.connection()
