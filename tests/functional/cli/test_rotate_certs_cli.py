"""rotate-certs through the real ``octavia-maint`` command.

Bad certificate files, an expired CA, a key of another certificate and an
unreachable Octavia database are each one line on stderr, exit code 2,
and no job; a CA close to its end is a warning, not an error.
"""

import json

import pytest

from tests.fixtures import certificates
from tests.fixtures import simulator as sim_fixture
from tests.functional.cli import test_cli_end_to_end as e2e
from tests.functional.engine import harness


@pytest.fixture(scope='module')
def sim():
    with sim_fixture.SimulatorFixture(load_balancers=3) as sim:
        yield sim


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp('certs')
    ca = certificates.CA(d)
    other = certificates.CA(d, name='other-ca')
    return {
        'ca': str(ca.cert_path), 'key': str(ca.key_path),
        'client': str(ca.issue(d)),
        'foreign_client': str(other.issue(d, name='foreign')),
        'other_key': str(other.key_path),
        'expired': str(certificates.CA(d, name='expired', starts_in_days=-10,
                                       days=5).cert_path),
        'soon': certificates.CA(d, name='soon', days=10),
        'not_pem': str(ca.key_path),
        'encrypted': certificates.CA(d, name='encrypted', passphrase=b'pw'),
    }


def cli(sim, tmp_path, args, octavia_db=True, env=None):
    groups = {'persistence': {'connection': 'sqlite:///%s'
                              % (tmp_path / 'jobs.sqlite')},
              'cloud': {'cloud': sim.cloud_name}}
    if octavia_db is True:
        groups['octavia_db'] = {'connection': sim.octavia_db_url}
    elif octavia_db:
        groups['octavia_db'] = {'connection': octavia_db}
    config = harness.write_config(tmp_path / 'octavia-maint.conf', **groups)
    env = dict(sim.cli_environment(), HOME=str(tmp_path), **(env or {}))
    return e2e.run(['--config-file', config] + args, env=env), config, env


def no_job(config, env):
    listing = e2e.run(['--config-file', config, 'job', 'list', '-f',
                       'json'], env=env)
    return json.loads(listing.stdout or '[]') == []


CA_MODE = ['job', 'post', 'rotate-certs', '--mode', 'ca']
CLIENT_MODE = ['job', 'post', 'rotate-certs', '--mode', 'client-ca']


@pytest.mark.parametrize('args, octavia_db, message', [
    (lambda f: CA_MODE + ['--ca-cert', f['not_pem'], '--ca-key', f['key']],
     True, 'is not a PEM certificate'),
    (lambda f: CA_MODE + ['--ca-cert', f['expired'], '--ca-key', f['key']],
     True, 'expired on'),
    (lambda f: CA_MODE + ['--ca-cert', f['ca'], '--ca-key', f['other_key']],
     True, 'does not belong to certificate'),
    (lambda f: CA_MODE + ['--ca-cert', f['ca']], True, 'needs --ca-key'),
    (lambda f: CA_MODE + ['--ca-cert', str(f['encrypted'].cert_path),
                          '--ca-key', str(f['encrypted'].key_path)],
     True, 'is encrypted'),
    (lambda f: CLIENT_MODE + ['--ca-cert', f['ca'], '--client-cert',
                              f['foreign_client']],
     True, 'was not issued by CA'),
    (lambda f: CLIENT_MODE + ['--ca-cert', '/nonexistent.pem',
                              '--client-cert', f['client']],
     True, 'cannot read CA certificate /nonexistent.pem'),
    (lambda f: ['job', 'post', 'rotate-certs', '--mode', 'everything'],
     True, '--mode must be one of'),
    (lambda f: ['job', 'post', 'rotate-certs', '--ca-cert', f['ca']],
     True, 'amphora-certs keeps the CA'),
    (lambda f: ['job', 'post', 'rotate-certs'],
     'mysql+pymysql://octavia:secret@127.0.0.1:1/octavia',
     'cannot use Octavia\'s database at mysql+pymysql://octavia:***@'),
    (lambda f: ['job', 'post', 'rotate-certs'], None,
     '[octavia_db] connection is not set'),
])
def test_bad_input_is_one_line_and_exit_2(sim, files, tmp_path, args,
                                          octavia_db, message):
    result, config, env = cli(sim, tmp_path, args(files), octavia_db)

    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith('octavia-maint: error: ')
    assert message in lines[0]
    assert 'secret' not in result.stderr
    assert no_job(config, env)


def test_dry_run_warns_of_a_ca_near_its_end(sim, files, tmp_path):
    soon = files['soon']
    result, config, env = cli(sim, tmp_path, CA_MODE + [
        '--ca-cert', str(soon.cert_path), '--ca-key', str(soon.key_path),
        '--dry-run', '-f', 'json'])

    assert result.returncode == 0, result.stderr
    assert 'expires in 9 days' in result.stderr
    assert json.loads(result.stdout)['to_run'] == 3
    assert no_job(config, env)


def test_amphora_certs_runs_locally_to_the_end(sim, tmp_path):
    sim.set_time(scale=60)
    result, config, env = cli(sim, tmp_path, [
        'job', 'post', 'rotate-certs', '-f', 'json'])

    assert result.returncode == 0, result.stderr
    view = json.loads(result.stdout)
    assert view['state'] == 'succeeded'
    assert sim.stats()['failovers_by_lb'] == {}
    assert len(sim.stats()['cert_rotations_by_amphora']) == 3
