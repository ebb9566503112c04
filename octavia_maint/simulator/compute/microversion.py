"""Nova's microversion negotiation: parse the request header, echo it back.

The simulator advertises 2.1 to 2.79; openstacksdk and the CLI then send
``OpenStack-API-Version: compute 2.x`` and features are gated on it, e.g.
``PUT /os-services/{id}`` needs 2.53 and the embedded flavor 2.47.
"""

from octavia_maint.simulator.compute import exceptions

MIN_VERSION = (2, 1)
MAX_VERSION = (2, 79)


def _text(version):
    return '%d.%d' % version


def requested(req):
    """The microversion a request asks for, as a ``(major, minor)`` tuple.

    :raises VersionNotSupported: outside 2.1 to 2.79.
    """
    value = None
    header = req.headers.get('OpenStack-API-Version')
    if header:
        for item in header.split(','):
            service, _sep, version = item.strip().partition(' ')
            if service == 'compute':
                value = version.strip()
    value = value or req.headers.get('X-OpenStack-Nova-API-Version')
    if not value:
        return MIN_VERSION
    if value == 'latest':
        return MAX_VERSION
    try:
        major, minor = (int(part) for part in value.split('.'))
    except ValueError:
        raise exceptions.BadRequest(
            reason='Invalid API version request: %s' % value) from None
    if not MIN_VERSION <= (major, minor) <= MAX_VERSION:
        raise exceptions.VersionNotSupported(
            version=value, min=_text(MIN_VERSION), max=_text(MAX_VERSION))
    return major, minor


def decorate(req, response):
    """Add Nova's version headers to every versioned answer."""
    if (not req.service_path.startswith('/v2.1/')
            or response.status_code == 406):
        return
    try:
        version = _text(requested(req))
    except (exceptions.BadRequest, exceptions.VersionNotSupported):
        return  # a bad header was already answered with an error
    response.headers['OpenStack-API-Version'] = 'compute ' + version
    response.headers['X-OpenStack-Nova-API-Version'] = version
    response.headers['Vary'] = ('OpenStack-API-Version, '
                                'X-OpenStack-Nova-API-Version')


def version_document(compute_url):
    return {
        'id': 'v2.1', 'status': 'CURRENT',
        'version': _text(MAX_VERSION), 'min_version': _text(MIN_VERSION),
        'updated': '2013-07-23T11:33:21Z',
        'links': [{'rel': 'self', 'href': compute_url + '/v2.1/'},
                  {'rel': 'describedby', 'type': 'text/html',
                   'href': 'http://docs.openstack.org/'}],
        'media-types': [{'base': 'application/json',
                         'type': 'application/vnd.openstack.compute+json;'
                                 'version=2.1'}],
    }
