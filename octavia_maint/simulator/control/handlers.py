"""Control-plane handlers: read counters, change faults, keys, time, fleet."""

from octavia_maint.simulator.core import errors
from octavia_maint.simulator.core import http
from octavia_maint.simulator.core import wire


def render_error(code, message):
    return http.json_response(code, {'error': message, 'code': code})


class InvalidRequest(errors.ApiError):
    code = 400
    message = '%(reason)s'


def _body(req):
    try:
        body = req.json_body()
    except ValueError as exc:
        raise InvalidRequest(reason='body is not JSON: %s' % exc) from None
    if body is not None and not isinstance(body, dict):
        raise InvalidRequest(reason='body must be a JSON object')
    return body or {}


def _number(body, name, minimum=None):
    try:
        value = float(body[name])
    except (TypeError, ValueError):
        raise InvalidRequest(reason='%s must be a number' % name) from None
    if minimum is not None and value < minimum:
        raise InvalidRequest(reason='%s must be at least %s'
                                    % (name, minimum))
    return value


def _bad_value(exc):
    return InvalidRequest(reason=str(exc))


def stats(cloud, req):
    return http.json_response(200, cloud.stats.to_dict())


def audit(cloud, req):
    try:
        since = int(req.last_arg('since', 0))
    except ValueError:
        raise InvalidRequest(reason='since must be an integer') from None
    return http.json_response(200, {'entries': cloud.audit.entries(since)})


def reset(cloud, req):
    try:
        spec = cloud.spec.replace(_body(req))
    except (TypeError, ValueError) as exc:
        raise _bad_value(exc) from None
    cloud.reset(spec)
    return http.json_response(200, {'fleet': spec.to_dict()})


def show_faults(cloud, req):
    return http.json_response(200, cloud.faults.to_dict())


def update_faults(cloud, req):
    try:
        cloud.faults = cloud.faults.updated(_body(req))
    except (TypeError, ValueError) as exc:
        raise _bad_value(exc) from None
    return http.json_response(200, cloud.faults.to_dict())


def show_heartbeat(cloud, req):
    return http.json_response(200, cloud.octavia.health.summary())


def update_heartbeat(cloud, req):
    """What an operator does to the controllers, in this order: deploy a
    key and/or timeout to their configuration files, SIGHUP the workers,
    restart the health managers. Keys go in, never out."""
    body = _body(req)
    unknown = set(body) - {'heartbeat_key', 'heartbeat_timeout',
                           'sighup_workers', 'restart_health_managers'}
    if unknown:
        raise InvalidRequest(reason='unknown heartbeat settings: %s'
                                    % ', '.join(sorted(unknown)))
    timeout = (_number(body, 'heartbeat_timeout', minimum=1)
               if 'heartbeat_timeout' in body else None)
    health = cloud.octavia.health
    health.deploy(heartbeat_key=body.get('heartbeat_key'),
                  heartbeat_timeout=timeout)
    if body.get('sighup_workers'):
        health.sighup_workers()
    if body.get('restart_health_managers'):
        health.restart()
    return http.json_response(200, health.summary())


def show_certificates(cloud, req):
    return http.json_response(200, {'ca_id': cloud.octavia.settings.ca_id})


def update_certificates(cloud, req):
    """What an operator's deployment of a new CA to the controllers does
    (with the services restarted): amphorae booted from now on get
    certificates signed by ``ca_id``, a label (no keys are modelled)."""
    body = _body(req)
    ca_id = body.get('ca_id')
    if set(body) != {'ca_id'} or not isinstance(ca_id, str) or not ca_id:
        raise InvalidRequest(reason='expected {"ca_id": "<label>"}')
    cloud.octavia.settings.ca_id = ca_id
    return show_certificates(cloud, req)


def register_servers(cloud, req):
    """Register Nova servers for amphorae another Octavia booted:
    ``{"servers": [{"id", "host", "name"?}]}``, all or none."""
    servers = _body(req).get('servers')
    if not isinstance(servers, list) or not all(
            isinstance(s, dict) and isinstance(s.get('id'), str)
            and isinstance(s.get('host'), str)
            and set(s) <= {'id', 'host', 'name'} for s in servers):
        raise InvalidRequest(reason='expected {"servers": [{"id", "host", '
                                    '"name"?}]}')
    try:
        registered = cloud.octavia.register_amphora_servers(servers)
    except ValueError as exc:
        raise _bad_value(exc) from None
    return http.json_response(201, {'servers': [
        {'id': s.id, 'name': s.name, 'host': s.host,
         'project_id': s.project_id} for s in registered]})


def _time_document(cloud):
    now = cloud.clock.now()
    return {'now': now, 'now_iso': wire.iso_z(now),
            'scale': cloud.clock.scale}


def show_time(cloud, req):
    return http.json_response(200, _time_document(cloud))


def update_time(cloud, req):
    """Change the scale and/or jump ahead, then fire what became due."""
    body = _body(req)
    if 'scale' in body:
        cloud.clock.set_scale(_number(body, 'scale', minimum=1e-6))
    if 'advance' in body:
        cloud.clock.advance(_number(body, 'advance', minimum=0))
    cloud.advance()
    return http.json_response(200, _time_document(cloud))


def show_transitions(cloud, req):
    return http.json_response(200, cloud.transitions.to_dict())


def update_transitions(cloud, req):
    for name, duration in _body(req).items():
        if not isinstance(duration, dict):
            raise InvalidRequest(reason='%s: expected {"seconds", "jitter"}'
                                        % name)
        try:
            cloud.transitions.set(name, duration.get('seconds'),
                                  duration.get('jitter'))
        except KeyError:
            raise InvalidRequest(reason='unknown transition %s; known: %s' % (
                name, ', '.join(cloud.transitions.names()))) from None
        except (TypeError, ValueError) as exc:
            raise _bad_value(exc) from None
    return http.json_response(200, cloud.transitions.to_dict())


def show_fleet(cloud, req):
    summary = cloud.summary()
    summary['spec'] = cloud.spec.to_dict()
    return http.json_response(200, summary)


# Amphora statuses the control API sets: ERROR, as an outage or a failed
# health check leaves an amphora, and ALLOCATED to put it right again.
SETTABLE_AMPHORA_STATUSES = ('ALLOCATED', 'ERROR', 'FAILOVER_STOPPED')


def update_amphora(cloud, req):
    """Stand-in for an UPDATE of Octavia's amphora table (cert_expiration,
    status)."""
    body = _body(req)
    if not body or set(body) - {'cert_expiration', 'status'}:
        raise InvalidRequest(reason='only cert_expiration and status can '
                                    'be set')
    amphora_id = req.params['amphora_id']
    if 'status' in body and body['status'] not in SETTABLE_AMPHORA_STATUSES:
        raise InvalidRequest(reason='status must be one of %s'
                                    % ', '.join(SETTABLE_AMPHORA_STATUSES))
    if 'cert_expiration' in body:
        try:
            expiration = wire.parse_iso(str(body['cert_expiration']))
        except ValueError:
            raise InvalidRequest(reason='cert_expiration must be an ISO '
                                        '8601 timestamp') from None
        cloud.octavia.set_cert_expiration(amphora_id, expiration)
    if 'status' in body:
        cloud.octavia.set_amphora_status(amphora_id, body['status'])
    return http.json_response(
        200, {'amphora': cloud.octavia.get_amphora(amphora_id).to_dict()})
