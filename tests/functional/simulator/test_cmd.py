"""``octavia-maint-simulator`` as an operator runs it, in a subprocess."""

import signal
import subprocess
import sys

import openstack
import pytest
import yaml

from octavia_maint.simulator import cmd
from tests.fixtures import simulator as sim_fixture

COMMAND = [sys.executable, '-c',
           'import sys; from octavia_maint.simulator import cmd; '
           'sys.exit(cmd.main())']


def test_serves_until_sigterm_and_writes_clouds_yaml(tmp_path):
    clouds_yaml = tmp_path / 'clouds.yaml'
    process = subprocess.Popen(
        COMMAND + ['--port', '0', '--load-balancers', '3', '--hosts', '2',
                   '--write-clouds-yaml', str(clouds_yaml)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first_line = process.stdout.readline()
        sim_fixture.wait_until(clouds_yaml.exists, timeout=30)
        config = yaml.safe_load(clouds_yaml.read_text())[
            'clouds']['octavia-maint-sim']
        conn = openstack.connect(**config)

        lbs = list(conn.load_balancer.load_balancers())

        assert first_line.startswith('Cloud simulator listening on '
                                     'http://127.0.0.1:')
        assert len(lbs) == 3
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_prints_a_clouds_yaml_snippet():
    process = subprocess.Popen(COMMAND + ['--load-balancers', '1'],
                               stdout=subprocess.PIPE, text=True)
    try:
        output = ''
        while 'interface: public' not in output:  # the snippet's last line
            line = process.stdout.readline()
            assert line, 'the simulator exited early: %r' % output
            output += line
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0

    snippet = yaml.safe_load(output.split('# clouds.yaml\n', 1)[1])
    config = snippet['clouds']['octavia-maint-sim']
    assert config['auth']['username'] == 'admin'
    assert config['auth']['auth_url'].endswith('/identity')


def test_options_override_a_fleet_file(tmp_path):
    fleet_file = tmp_path / 'fleet.yaml'
    fleet_file.write_text('load_balancers: 7\nhosts: 3\n')
    args = cmd.build_parser().parse_args(
        ['--fleet', str(fleet_file), '--hosts', '5'])

    spec = cmd.fleet_spec(args)

    assert (spec.load_balancers, spec.hosts) == (7, 5)


def test_bad_fleet_file_is_refused(tmp_path):
    fleet_file = tmp_path / 'fleet.yaml'
    fleet_file.write_text('colour: red\n')

    assert cmd.main(['--fleet', str(fleet_file)]) == 2


@pytest.mark.parametrize('snapshot, message', [
    ({'projects': []}, 'snapshot needs service_project_id'),
    ({'service_project_id': 's', 'colour': 'red'},
     'unknown snapshot sections: colour'),
    ({'service_project_id': 's', 'load_balancers': [{'id': 'x'}]},
     'a snapshot load_balancers record lacks project_id, created_at'),
    ({'service_project_id': 's', 'amphorae': [
        {'id': 'a', 'loadbalancer_id': 'nope', 'created_at': '2026-01-01'}]},
     'snapshot amphorae of no listed load balancer: a'),
])
def test_bad_snapshot_is_refused(tmp_path, capsys, snapshot, message):
    fleet_file = tmp_path / 'fleet.yaml'
    fleet_file.write_text(yaml.safe_dump({'snapshot': snapshot}))

    assert cmd.main(['--fleet', str(fleet_file)]) == 2
    assert message in capsys.readouterr().err


def test_octavia_database_file_is_the_given_one(tmp_path):
    path = tmp_path / 'octavia.sqlite'
    process = subprocess.Popen(
        COMMAND + ['--load-balancers', '2', '--octavia-db',
                   'sqlite:///%s' % path],
        stdout=subprocess.PIPE, text=True)
    try:
        output = ''
        while 'Octavia database' not in output:
            line = process.stdout.readline()
            assert line, 'the simulator exited early: %r' % output
            output += line
        assert 'sqlite:///%s' % path in output
        assert path.exists()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0


def test_octavia_database_must_be_a_sqlite_file(capsys):
    assert cmd.main(['--octavia-db', 'mysql+pymysql://root@127.0.0.1/x']) == 2
    assert 'SQLite file' in capsys.readouterr().err
