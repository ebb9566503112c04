"""The bundled cloud simulator as a separate program, for ``demo`` and
``job post --rehearse``.

The simulator runs as its own program (``octavia-maint-simulator``, here
through the interpreter running this command), exactly as an operator
would start it: the product never imports the simulator (DESIGN.md
section 2). This process reaches it through ``[cloud]`` options set from
the ``clouds.yaml`` it writes, leaving the environment (``OS_CLOUD``,
``OS_CLIENT_CONFIG_FILE``) alone.
"""

import contextlib
import json
import os
import subprocess
import sys
import urllib.request

from keystoneauth1 import loading as ks_loading
import yaml

from octavia_maint.common import exceptions
from octavia_maint import conf

# The simulator's program (setup.cfg: octavia-maint-simulator), run by
# this interpreter so it works without the virtualenv on PATH.
SIMULATOR = [sys.executable, '-m', 'octavia_maint.simulator.cmd']
# What it prints once it serves, before the clouds.yaml it writes.
LISTENING = 'Cloud simulator listening on '
WROTE = 'Wrote '
# Seconds the simulator has to stop after SIGTERM.
STOP_TIMEOUT = 10
# The simulator is on loopback: never send control calls through a proxy.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fleet_options(fleet):
    """Command-line options of the simulator for fleet settings."""
    args = []
    for field, value in fleet.items():
        args += ['--' + field.replace('_', '-'), str(value)]
    return args


@contextlib.contextmanager
def serve(tmp, options):
    """Run the simulator program with ``options`` until the block ends.

    :returns: ``(url, cloud)``: where it serves, and the ``clouds.yaml``
        entry it wrote into ``tmp``. Its log goes to
        ``tmp/simulator.log``, whose last line says why it did not start.
    :raises ConfigError: it did not start.
    """
    clouds = os.path.join(tmp, 'clouds.yaml')
    log_path = os.path.join(tmp, 'simulator.log')
    args = SIMULATOR + ['--write-clouds-yaml', clouds] + list(options)
    with open(log_path, 'wb') as log:
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log,
                                   text=True)
    try:
        url = _wait_until_serving(process, log_path)
        with open(clouds, encoding='utf-8') as f:
            entries = yaml.safe_load(f)['clouds']
        yield url, next(iter(entries.values()))
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def _wait_until_serving(process, log_path):
    """Read the simulator's output until it wrote its clouds.yaml.

    :returns: its URL.
    :raises ConfigError: it exited first.
    """
    url = None
    for line in process.stdout:
        if line.startswith(LISTENING):
            url = line[len(LISTENING):].strip()
        elif line.startswith(WROTE):
            return url
    with open(log_path, encoding='utf-8', errors='replace') as f:
        lines = f.read().strip().splitlines()
    raise exceptions.ConfigError(
        reason='the cloud simulator did not start: %s' % (
            lines[-1] if lines else 'exit code %s' % process.wait()))


def local_mode_overrides(cloud, tmp):
    """Configuration that points this process at the ``clouds.yaml``
    entry ``cloud``, in local mode, state in ``tmp``: ``{group: {option:
    value}}`` for :func:`overridden`.

    Through ``[cloud]`` keystoneauth1 options, so the environment is left
    as the operator set it; keystoneauth1 registers a plugin's options
    when it first loads it, so they are registered here first.
    """
    auth_type = cloud['auth_type']
    conf.CONF.register_opts(
        ks_loading.get_auth_plugin_conf_options(auth_type), group='cloud')
    return {
        'jobboard': {'backend': 'local'},
        'persistence': {'connection': 'sqlite:///%s'
                        % os.path.join(tmp, 'jobs.sqlite')},
        'cloud': dict(cloud['auth'], auth_type=auth_type, cloud=None,
                      region_name=cloud['region_name'],
                      interface=cloud['interface']),
    }


@contextlib.contextmanager
def overridden(groups):
    """``conf.CONF`` with ``{group: {option: value}}`` set until the block
    ends, then as it was."""
    done = []
    try:
        for group, options in groups.items():
            for name, value in options.items():
                conf.CONF.set_override(name, value, group)
                done.append((name, group))
        yield
    finally:
        for name, group in done:
            conf.CONF.clear_override(name, group)


def control(url, path):
    """``GET /_sim/<path>`` of the simulator at ``url``, decoded."""
    with _DIRECT.open('%s/_sim/%s' % (url, path), timeout=30) as response:
        return json.load(response)
