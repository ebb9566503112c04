"""Glance v2 handlers: parse, call the image model, serialise."""

from octavia_maint.simulator.core import http
from octavia_maint.simulator.core import wire
from octavia_maint.simulator.image import exceptions
from octavia_maint.simulator.image import models

PATCH_TYPES = ('application/openstack-images-v2.1-json-patch',
               'application/openstack-images-v2.0-json-patch')
# Newest first, as Glance lists them.
API_VERSIONS = ['v2.%d' % minor for minor in range(16, -1, -1)]


def _versions_document(req):
    return {'versions': [
        {'id': version, 'status': 'CURRENT' if index == 0 else 'SUPPORTED',
         'links': [{'rel': 'self', 'href': req.service_url + '/v2/'}]}
        for index, version in enumerate(API_VERSIONS)]}


def versions(cloud, req):
    return http.json_response(300, _versions_document(req))


def versions_list(cloud, req):
    return http.json_response(200, _versions_document(req))


def _json_body(req):
    try:
        body = req.json_body()
    except ValueError:
        body = None
    if body is None:
        raise exceptions.BadRequest(reason='Malformed JSON in request body.')
    return body


def create_image(cloud, req):
    body = _json_body(req)
    if not isinstance(body, dict):
        raise exceptions.BadRequest(reason='Expected a JSON object.')
    image = cloud.image.create_image(body, owner=req.context.project_id)
    return http.json_response(
        201, image.to_dict(), target_id=image.id,
        headers={'Location': '%s/v2/images/%s' % (req.service_url, image.id)})


def show_image(cloud, req):
    image = cloud.image.get_image(req.params['image_id'])
    return http.json_response(200, image.to_dict())


def _image_filters(req):
    hidden = req.last_arg('os_hidden', 'false')
    try:
        os_hidden = wire.parse_bool(hidden)
    except ValueError:
        raise exceptions.BadRequest(
            reason='Invalid value %s for os_hidden' % hidden) from None
    return models.ImageFilters(
        os_hidden=os_hidden, tags=tuple(req.args.getlist('tag')),
        visibility=req.last_arg('visibility', 'all'),
        fields={key: req.last_arg(key) for key in req.args
                if key not in models.NOT_FIELD_FILTERS})


def list_images(cloud, req):
    page_request = models.IMAGES.request(req.args)
    images = cloud.image.list_images(_image_filters(req), page_request)
    document = {'images': [i.to_dict() for i in images],
                'schema': '/v2/schemas/images',
                'first': '/v2/images'}
    query = page_request.next_query(req.args, images)
    if query is not None:
        document['next'] = '/v2/images?%s' % query
    return http.json_response(200, document)


def upload_image(cloud, req):
    cloud.image.upload(req.params['image_id'], req.get_data())
    return http.empty_response(204)


def patch_image(cloud, req):
    content_type = (req.content_type or '').split(';')[0].strip()
    if content_type not in PATCH_TYPES:
        raise exceptions.UnsupportedMediaType(content_type=content_type)
    image = cloud.image.patch(req.params['image_id'], _json_body(req))
    return http.json_response(200, image.to_dict())


def delete_image(cloud, req):
    cloud.image.delete_image(req.params['image_id'])
    return http.empty_response(204)


def add_tag(cloud, req):
    cloud.image.add_tag(req.params['image_id'], req.params['tag'])
    return http.empty_response(204)


def remove_tag(cloud, req):
    cloud.image.remove_tag(req.params['image_id'], req.params['tag'])
    return http.empty_response(204)
