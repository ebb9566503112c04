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
