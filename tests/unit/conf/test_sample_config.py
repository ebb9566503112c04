"""The committed sample configuration must match the code's options."""

import os

from oslo_config import generator

import octavia_maint.conf

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SAMPLE = os.path.join(ROOT, 'etc', 'octavia-maint',
                      'octavia-maint.conf.sample')


def test_sample_is_current(tmp_path):
    out = tmp_path / 'sample.conf'
    generator.main(['--config-file',
                    os.path.join(ROOT, 'etc', 'config-generator.conf'),
                    '--output-file', str(out)])
    with open(SAMPLE) as committed:
        assert out.read_text() == committed.read(), (
            'etc/octavia-maint/octavia-maint.conf.sample is stale: run '
            '"tox -e genconfig" and commit the result')


def test_every_option_documented_and_secrets_marked():
    for group, opts in octavia_maint.conf.list_opts():
        for opt in opts:
            assert opt.help, '[%s] %s has no help' % (group, opt.name)
            if any(word in opt.name for word in ('password', 'connection')):
                assert opt.secret, '[%s] %s must be secret' % (group,
                                                               opt.name)
