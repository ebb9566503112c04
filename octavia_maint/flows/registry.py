"""Every procedure octavia-maint knows, by name."""

from octavia_maint.common import exceptions
from octavia_maint.flows import cleanup_node
from octavia_maint.flows import evacuate_host
from octavia_maint.flows import heartbeat_key
from octavia_maint.flows import repair
from octavia_maint.flows import rotate_certs
from octavia_maint.flows import rotate_image

PROCEDURES = {p.name: p for p in (rotate_image.RotateImage(),
                                  rotate_certs.RotateCerts(),
                                  heartbeat_key.HeartbeatKey(),
                                  cleanup_node.CleanupNode(),
                                  evacuate_host.EvacuateHost(),
                                  repair.Repair())}


def get(name):
    """The procedure called ``name``.

    :raises InvalidInput: no such procedure.
    """
    try:
        return PROCEDURES[name]
    except KeyError:
        raise exceptions.InvalidInput(
            reason='unknown procedure %r; known: %s'
            % (name, ', '.join(sorted(PROCEDURES))))
