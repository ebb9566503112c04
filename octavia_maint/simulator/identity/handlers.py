"""Keystone v3 handlers: parse, call the identity model, serialise."""

from octavia_maint.simulator.core import http
from octavia_maint.simulator.identity import exceptions
from octavia_maint.simulator.identity import models


def versions(cloud, req):
    return http.json_response(
        300, {'versions': {'values': [
            models.version_document(req.service_url)]}})


def version(cloud, req):
    return http.json_response(
        200, {'version': models.version_document(req.service_url)})


def issue_token(cloud, req):
    try:
        body = req.json_body()
    except ValueError:
        body = None
    if not isinstance(body, dict) or 'auth' not in body:
        raise exceptions.ValidationError(attribute='auth', target='request')
    token = cloud.identity.authenticate(body['auth'])
    catalog = models.catalog(cloud.catalog_entries, req.origin,
                             cloud.spec.endpoint_overrides)
    return http.json_response(201, models.token_to_dict(token, catalog),
                              headers={'X-Subject-Token': token.id})


def validate_token(cloud, req):
    token = cloud.identity.validate(req.headers.get('X-Subject-Token'))
    if token is None:
        raise exceptions.Unauthorized()
    catalog = models.catalog(cloud.catalog_entries, req.origin,
                             cloud.spec.endpoint_overrides)
    return http.json_response(200, models.token_to_dict(token, catalog),
                              headers={'X-Subject-Token': token.id})


def list_projects(cloud, req):
    projects = cloud.identity.list_projects(name=req.last_arg('name'))
    return http.json_response(200, {
        'projects': [p.to_dict() for p in projects],
        'links': {'self': req.resource_url, 'next': None, 'previous': None}})


def show_project(cloud, req):
    project = cloud.identity.get_project(req.params['project_id'])
    return http.json_response(200, {'project': project.to_dict()})


def create_project(cloud, req):
    try:
        body = req.json_body()
    except ValueError:
        body = None
    spec = models.require(body, 'project', 'request')
    name = models.require(spec, 'name', 'project')
    project = cloud.identity.create_project(name)
    return http.json_response(201, {'project': project.to_dict()})
