"""The configuration file, as the real ``octavia-maint`` command reads it.

Every command checks the whole file against the registered options before
it does anything: a misspelt option or group is one warning naming the
closest known name; a value oslo.config cannot accept is one error line
and exit 2 (issue 10, configuration item 1).
"""

import pytest

from tests.functional.cli import test_cli_end_to_end as end_to_end
from tests.functional.engine import harness


def run_with(tmp_path, text, args=('job', 'list')):
    """Run the CLI on a file of ``text`` plus a database in ``tmp_path``."""
    path = tmp_path / 'octavia-maint.conf'
    path.write_text('[persistence]\nconnection = sqlite:///%s\n%s'
                    % (tmp_path / 'jobs.sqlite', text))
    env = dict(harness.os.environ, HOME=str(tmp_path))
    return end_to_end.run(['--config-file', str(path)] + list(args),
                          env=env)


@pytest.mark.parametrize('text, unknown, closest', [
    ('[throttle]\nmax_concurent_failovers = 3\n',
     '[throttle] max_concurent_failovers', '[throttle] '
     'max_concurrent_failovers'),
    ('[throtle]\nmax_concurrent_failovers = 3\n', '[throtle]', '[throttle]'),
    ('[DEFAULT]\ndebugg = true\n', '[DEFAULT] debugg', '[DEFAULT] debug'),
])
def test_unknown_option_or_group_is_one_warning_naming_the_closest(
        tmp_path, text, unknown, closest):
    result = run_with(tmp_path, text)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert 'WARNING' in lines[0]
    assert unknown in lines[0] and 'did you mean %s?' % closest in lines[0]


@pytest.mark.parametrize('text, message', [
    ('[jobboard]\nsession_timeout = ten\n',
     "[jobboard] session_timeout = ten: could not convert string to float"),
    ('[throttle]\nmax_concurrent_failovers = 0\n',
     '[throttle] max_concurrent_failovers = 0: should be greater than or '
     'equal to 1'),
    ('[jobboard]\nbackend = carrier-pigeon\n',
     '[jobboard] backend = carrier-pigeon: valid values are'),
    ('[DEFAULT]\nlog_rotate_interval = hourly\n',
     '[DEFAULT] log_rotate_interval = hourly: invalid literal for int()'),
])
@pytest.mark.parametrize('args', [('job', 'list'), ('procedure', 'list')])
def test_bad_value_is_one_line_and_exit_2_for_every_command(
        tmp_path, text, message, args):
    result = run_with(tmp_path, text, args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith('octavia-maint: error: Configuration error: ')
    assert message in lines[0], lines[0]
    assert str(tmp_path / 'octavia-maint.conf') in lines[0]
    assert 'Traceback' not in result.stderr
    assert result.stdout == ''


def test_a_bad_value_of_a_command_line_option_is_one_line_and_exit_2(
        tmp_path):
    result = run_with(tmp_path, '[DEFAULT]\ndebug = maybe\n')
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        'argument --debug: Invalid Boolean value: maybe']


def test_a_syntax_error_is_one_line_and_exit_2(tmp_path):
    result = run_with(tmp_path, '[throttle]\nnot an assignment\n')
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and 'Failed to parse' in lines[0], result.stderr


def test_a_persistence_url_of_no_sql_backend_is_one_line_and_exit_2(
        tmp_path):
    result = run_with(tmp_path, '', ('--config-file', harness.write_config(
        tmp_path / 'bogus.conf', persistence={'connection': 'bogus://x'}),
        'job', 'list'))
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        'octavia-maint: error: Configuration error: [persistence] '
        'connection is a bogus:// URL; jobs are kept in mysql, postgresql, '
        'sqlite']


@pytest.mark.parametrize('text, args', [
    ('', ('job', 'show', '8f3a8b52-0000-4000-8000-000000000000')),
    ('[jobboard]\nbackend = zookeeper\nhosts = 127.0.0.1:1\n'
     'connect_timeout = 1\n', ('job', 'list')),
])
def test_a_failed_run_leaves_no_state_database_behind(tmp_path, text, args):
    path = tmp_path / 'octavia-maint.conf'
    path.write_text(text)
    env = {k: v for k, v in harness.os.environ.items()
           if k != 'XDG_STATE_HOME'}
    env['HOME'] = str(tmp_path)
    result = end_to_end.run(['--config-file', str(path)] + list(args),
                            env=env)
    assert result.returncode == 2, result.stderr
    state = tmp_path / '.local' / 'state' / 'octavia-maint'
    assert not list(state.glob('*.sqlite*'))
