"""``openstack maintenance ...``: octavia-maint as an openstack CLI plugin.

python-openstackclient finds this module through the
``openstack.cli.extension`` entry point and the commands through
``openstack.maintenance.v1``: the very command classes of
``octavia-maint``, with the same options and output formats. The cloud
is the openstack CLI's own (``--os-cloud``, ``OS_CLOUD``, its session);
the engine's settings (job board, persistence, throttle) still come from
octavia-maint's configuration file, at its default places or at
``--os-maintenance-config-file``.
"""

import atexit

from openstack import connection as sdk_connection

from octavia_maint.cli import app as maint_app
from octavia_maint import conf
from octavia_maint.jobs import service as jobs_service

API_NAME = 'maintenance'
API_VERSION_OPTION = 'os_maintenance_api_version'
DEFAULT_API_VERSION = '1'
API_VERSIONS = ('1',)
CONFIG_FILE_OPTION = 'maintenance_config_file'


def build_option_parser(parser):
    """The plugin's global options, added to the openstack CLI's own."""
    parser.add_argument(
        '--os-maintenance-api-version', metavar='<version>',
        default=DEFAULT_API_VERSION,
        help='octavia-maint API version (only 1).')
    parser.add_argument(
        '--os-maintenance-config-file', action='append', default=[],
        metavar='<path>',
        help='octavia-maint configuration file (job board, persistence, '
             'throttle); repeat to layer several. Default: those of %s '
             'that exist.' % ', '.join(maint_app.DEFAULT_CONFIG_FILES))
    return parser


def make_client(instance):
    """The plugin's client: the openstack CLI's connection, and the
    ``JobService`` of this command over it (opened on first use).

    :param instance: the openstack CLI's ``ClientManager``: its session
        and region are the cloud the job's checks and local runs use.
    """
    args = []
    for path in instance.get_configuration().get(CONFIG_FILE_OPTION) or []:
        args += ['--config-file', path]
    maint_app.configure(args)
    return MaintenanceClient(sdk_connection.Connection(
        session=instance.session, region_name=instance.region_name,
        interface=instance.interface, app_name=maint_app.PROG))


class MaintenanceClient:
    """What ``openstack maintenance`` commands get from the client
    manager (see :mod:`octavia_maint.cli.shell`)."""

    def __init__(self, connection):
        self.connection = connection
        self._service = None

    @property
    def service(self):
        if self._service is None:
            self._service = jobs_service.JobService(
                conf.CONF, connection=self.connection)
            # The openstack CLI has no hook at a command's end.
            atexit.register(self._service.close)
        return self._service
