"""A failed job, then ``job show`` and ``job cancel``, through the real
command in local mode (issue 9, item 3).

The job stops and keeps the image it uploaded tagged; the command names
both ways on; ``job cancel`` runs the revert in the command itself.
"""

import json
import os

from octavia_maint.common import image_file as image_file_mod
from tests.fixtures import simulator as sim_fixture
from tests.functional.cli import test_cli_end_to_end as e2e
from tests.functional.engine import harness


def test_failed_job_names_resume_and_cancel_and_cancel_reverts(tmp_path):
    image = tmp_path / 'amphora.qcow2'
    image.write_bytes(image_file_mod.qcow2_header(2 * 1024 ** 3) +
                      os.urandom(4096))
    with sim_fixture.SimulatorFixture(load_balancers=4, ovn_ratio=0.0,
                                      failover_seconds=0.2) as sim:
        config_file = harness.write_config(
            tmp_path / 'octavia-maint.conf',
            persistence={'connection': 'sqlite:///%s'
                         % (tmp_path / 'jobs.sqlite')},
            cloud={'cloud': sim.cloud_name, 'status_poll_interval': 0.05},
            throttle={'failover_timeout': 1})
        env = dict(sim.cli_environment(), HOME=str(tmp_path))

        def cli(*args):
            return e2e.run(['--config-file', config_file] + list(args),
                           env=env)

        busy = sorted(lb.id for lb in
                      sim.connection().load_balancer.load_balancers())[:1]
        sim.set_faults(failover_conflict_lb_ids=busy)
        posted = cli('job', 'post', 'rotate-image', '--image-file',
                     str(image), '-f', 'json')
        assert posted.returncode == 1, posted.stderr
        job = json.loads(posted.stdout)
        assert job['state'] == 'failed'
        assert ('Finish it with: octavia-maint job resume %s; or revert it '
                'with: octavia-maint job cancel %s' % (job['id'], job['id'])
                in posted.stderr)
        conn = sim.connection()
        uploaded, = conn.image.images(tag='octavia-maint-job-' + job['id'])
        assert 'amphora' in uploaded.tags

        shown = json.loads(cli('job', 'show', job['id'], '-f',
                               'json').stdout)
        assert 'the image stays tagged' in shown['next_steps']
        assert 'job resume %s' % job['id'] in shown['next_steps']
        assert 'job cancel %s' % job['id'] in shown['next_steps']

        cancelled = cli('job', 'cancel', job['id'], '-f', 'json')
        assert cancelled.returncode == 0, cancelled.stderr
        assert json.loads(cancelled.stdout)['state'] == 'cancelled'
        assert 'amphora' not in conn.image.get_image(uploaded.id).tags
