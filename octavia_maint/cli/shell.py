"""What a command asks of the program it runs in.

The same command classes serve ``octavia-maint`` (our cliff app, which
holds one ``JobService`` and honours an exit code set by a command) and
``openstack maintenance ...`` (python-openstackclient's shell, whose
client manager makes the ``JobService`` through our plugin). Commands ask
here, never the app directly, so neither program needs a second copy.
"""


def job_service(app):
    """This invocation's ``JobService``."""
    service = getattr(app, 'service', None)
    if service is not None:
        return service
    return app.client_manager.maintenance.service


def connection(app):
    """The openstack CLI's connection to use, or None: build one from
    ``[cloud]``."""
    if getattr(app, 'service', None) is not None:
        return None
    return app.client_manager.maintenance.connection


class ExitCodeOfTheJob:
    """Mixin of a command that may follow a job: its exit code is the
    one the command set (``app.exit_code``: 1 when the followed job did
    not succeed), not cliff's 0.

    cliff's display commands return 0 from ``run`` whatever happened;
    ``octavia-maint``'s app, and the openstack CLI alike, exit with what
    ``run`` returns, so the code is returned from here for both.
    """

    def run(self, parsed_args):
        self.app.exit_code = None
        result = super().run(parsed_args)
        return result if self.app.exit_code is None else self.app.exit_code
