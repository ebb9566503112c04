"""Keystone's state: projects, users with roles, issued tokens.

Tokens use the real wall clock (not the simulated one): clients compare
``expires_at`` with their own clock, and a fast simulated clock would
otherwise expire every token within seconds.
"""

import dataclasses
import time
import uuid

from octavia_maint.simulator.core import wire
from octavia_maint.simulator.identity import exceptions

DEFAULT_DOMAIN = {'id': 'default', 'name': 'Default'}
TOKEN_LIFETIME = 3600
REGION = 'RegionOne'
INTERFACES = ('public', 'internal', 'admin')


@dataclasses.dataclass
class Project:
    id: str
    name: str

    def to_dict(self):
        return {'id': self.id, 'name': self.name, 'domain_id': 'default',
                'description': '', 'enabled': True, 'is_domain': False,
                'parent_id': 'default', 'tags': [], 'options': {}}


@dataclasses.dataclass
class User:
    id: str
    name: str
    password: str = dataclasses.field(repr=False)
    project: Project
    roles: tuple


@dataclasses.dataclass
class Token:
    id: str = dataclasses.field(repr=False)
    user: User
    project: Project
    issued_at: float
    expires_at: float
    audit_id: str

    @property
    def is_admin(self):
        return 'admin' in self.user.roles

    @property
    def project_id(self):
        return self.project.id


class IdentityBackend:
    """Projects, users and tokens; one method per Keystone action."""

    def __init__(self, ids):
        self._ids = ids
        self._projects = {}
        self._users = {}
        self._tokens = {}

    def add_project(self, name, project_id=None):
        """The project called ``name``, made if missing.

        :param project_id: the id to give it (a fleet snapshot's); a
            project of that name but another id is then a second project,
            as Keystone allows in another domain.
        """
        project = self._projects.get(name)
        if project is not None and project_id in (None, project.id):
            return project
        key = name if project is None else project_id
        project = self._projects[key] = Project(
            project_id or self._ids.hex(), name)
        return project

    def project_by_name(self, name):
        return self._projects[name]

    def add_user(self, name, password, project_name, roles,
                 project_id=None):
        user = User(self._ids.hex(), name, password,
                    self.add_project(project_name, project_id), tuple(roles))
        self._users[name] = user
        return user

    def adopt_tokens(self, other):
        """After a reset, keep the live tokens of users who still exist."""
        for token in other._tokens.values():
            user = self._users.get(token.user.name)
            project = self._projects.get(token.project.name)
            if user and project and token.expires_at > time.time():
                self._tokens[token.id] = dataclasses.replace(
                    token, user=user, project=project)

    def authenticate(self, auth):
        """Issue a token for a password (or token) authentication request.

        :raises ValidationError: when the request is malformed.
        :raises Unauthorized: on a wrong user, password or scope.
        """
        identity = require(auth, 'identity', 'auth')
        methods = require(identity, 'methods', 'identity')
        if 'password' in methods:
            user = self._password_user(require(identity, 'password',
                                               'identity'))
        elif 'token' in methods:
            old = self.validate(require(require(identity, 'token',
                                                'identity'), 'id', 'token'))
            if old is None:
                raise exceptions.Unauthorized()
            user = old.user
        else:
            raise exceptions.Unauthorized()
        project = self._scope_project(auth.get('scope'), user)
        now = time.time()
        token = Token(uuid.uuid4().hex, user, project, now,
                      now + TOKEN_LIFETIME, uuid.uuid4().hex[:22])
        self._tokens[token.id] = token
        return token

    def _password_user(self, password):
        spec = require(password, 'user', 'password')
        user = (self._users.get(spec['name']) if 'name' in spec else next(
            (u for u in self._users.values() if u.id == spec.get('id')), None))
        if user is None or spec.get('password') != user.password:
            raise exceptions.Unauthorized()
        return user

    def _scope_project(self, scope, user):
        if not scope or 'project' not in scope:
            return user.project
        spec = scope['project']
        project = (self._projects.get(spec['name']) if 'name' in spec
                   else next((p for p in self._projects.values()
                              if p.id == spec.get('id')), None))
        # Every role is granted on the user's own project, and admins may
        # scope to any project (what devstack's admin can do).
        if project is None or (project is not user.project
                               and 'admin' not in user.roles):
            raise exceptions.Unauthorized()
        return project

    def validate(self, token_id):
        """The live token with this id, or None."""
        token = self._tokens.get(token_id) if token_id else None
        if token is None or token.expires_at <= time.time():
            return None
        return token

    def list_projects(self, name=None):
        return [p for p in self._projects.values()
                if name is None or p.name == name]

    def create_project(self, name):
        """``POST /v3/projects``: names are unique (in the one domain).

        :raises ProjectConflict: a project already has this name.
        """
        if name in self._projects:
            raise exceptions.ProjectConflict(name=name)
        return self.add_project(name)

    def get_project(self, project_id):
        for project in self._projects.values():
            if project.id == project_id:
                return project
        raise exceptions.ProjectNotFound(project_id=project_id)


def token_to_dict(token, catalog):
    """The body of ``POST /v3/auth/tokens``."""
    return {'token': {
        'methods': ['password'],
        'user': {'id': token.user.id, 'name': token.user.name,
                 'domain': DEFAULT_DOMAIN, 'password_expires_at': None},
        'audit_ids': [token.audit_id],
        'issued_at': wire.iso_micro_z(token.issued_at),
        'expires_at': wire.iso_micro_z(token.expires_at),
        'project': {'id': token.project.id, 'name': token.project.name,
                    'domain': DEFAULT_DOMAIN},
        'is_domain': False,
        'roles': [{'id': uuid.uuid5(uuid.NAMESPACE_OID, role).hex,
                   'name': role} for role in token.user.roles],
        'catalog': catalog,
    }}


def catalog(entries, host_url, overrides=None):
    """The service catalog for ``entries`` of ``(type, name, path)``.

    :param overrides: ``{type: url}`` of services served elsewhere.
    """
    result = []
    for service_type, name, path in entries:
        url = (overrides or {}).get(service_type) or host_url + path
        result.append({
            'id': uuid.uuid5(uuid.NAMESPACE_URL, service_type).hex,
            'type': service_type,
            'name': name,
            'endpoints': [{
                'id': uuid.uuid5(uuid.NAMESPACE_URL,
                                 service_type + interface).hex,
                'interface': interface,
                'region': REGION,
                'region_id': REGION,
                'url': url,
            } for interface in INTERFACES],
        })
    return result


def version_document(identity_url):
    """Keystone's v3 entry in a version document."""
    return {
        'id': 'v3.14',
        'status': 'stable',
        'updated': '2020-04-07T00:00:00Z',
        'links': [{'rel': 'self', 'href': identity_url + '/v3/'}],
        'media-types': [{
            'base': 'application/json',
            'type': 'application/vnd.openstack.identity-v3+json'}],
    }


def require(mapping, key, target):
    if not isinstance(mapping, dict) or key not in mapping:
        raise exceptions.ValidationError(attribute=key, target=target)
    return mapping[key]
