"""Glance v2 routes under ``/image`` (unversioned in the catalog, as usual)."""

from octavia_maint.simulator.core import routing
from octavia_maint.simulator.image import exceptions
from octavia_maint.simulator.image import handlers

PREFIX = '/image'
CATALOG = ('image', 'glance', PREFIX)
_IMAGE = '/v2/images/<image_id>'

SERVICE = routing.Service(
    name='image',
    prefix=PREFIX,
    render_error=exceptions.render_error,
    routes=(
        routing.Route('GET', '/', handlers.versions, authenticated=False),
        routing.Route('GET', '/versions', handlers.versions_list,
                      authenticated=False),
        routing.Route('GET', '/v2/images', handlers.list_images),
        routing.Route('POST', '/v2/images', handlers.create_image),
        routing.Route('GET', _IMAGE, handlers.show_image),
        routing.Route('PATCH', _IMAGE, handlers.patch_image),
        routing.Route('DELETE', _IMAGE, handlers.delete_image),
        routing.Route('PUT', _IMAGE + '/file', handlers.upload_image),
        routing.Route('PUT', _IMAGE + '/tags/<tag>', handlers.add_tag),
        routing.Route('DELETE', _IMAGE + '/tags/<tag>', handlers.remove_tag),
    ),
)
