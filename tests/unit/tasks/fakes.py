"""A fake of our cloud facade (our own boundary) for task unit tests.

A failover flips the load balancer to PENDING_UPDATE; the next wait
completes it with new amphorae on the newest image, as Octavia does. Each
load balancer serves one listener (one pool with a health monitor, one
member) whose operating statuses are ONLINE, or ERROR after a failover
onto one of ``bad_images`` (an image that boots but passes no traffic);
``listener_statuses[lb_id]`` sets them directly.
"""

import contextlib
import itertools

from octavia_maint.common import exceptions
from octavia_maint.runtime import context

_ids = itertools.count(1)


@contextlib.contextmanager
def in_job(cloud, job_id='job-1'):
    """Tasks run inside a job's context: ``cloud`` is what they reach."""
    with context.activate(context.JobContext(job_id=job_id, cloud=cloud)):
        yield cloud


def new_id(prefix):
    return '%s-%04d' % (prefix, next(_ids))


class FakeCloud:
    def __init__(self, image_id='img-new', fail_lbs=(), bad_images=()):
        self.image_id = image_id
        self.bad_images = set(bad_images)
        # {lb_id: operating status of its listener, pool and member}
        self.listener_statuses = {}
        self.lbs = {}
        self.amphorae = {}
        self.failovers = []
        self.fail_lbs = set(fail_lbs)
        # Load balancers someone deletes while their failover runs.
        self.deleted_during_failover = set()

    def add_lb(self, lb_id, status='ACTIVE', image_id='img-old', amps=1,
               provider='amphora'):
        self.lbs[lb_id] = {'id': lb_id, 'name': lb_id, 'project_id': 'p1',
                           'provisioning_status': status,
                           'provider': provider}
        for _ in range(amps):
            self._add_amphora(lb_id, image_id)

    def _add_amphora(self, lb_id, image_id):
        amp = {'id': new_id('amp'), 'loadbalancer_id': lb_id,
               'status': 'ALLOCATED', 'image_id': image_id,
               'created_at': '2026-01-01T00:00:00'}
        self.amphorae[amp['id']] = amp

    def get_load_balancer(self, lb_id):
        try:
            return dict(self.lbs[lb_id])
        except KeyError:
            raise exceptions.NotFound(resource='Load balancer', id=lb_id)

    def get_load_balancer_status_tree(self, lb_id):
        lb = self.get_load_balancer(lb_id)
        status = self.listener_statuses.get(lb_id, 'ONLINE')
        member = {'id': lb_id + '-member', 'name': '', 'address': '10.0.0.5',
                  'protocol_port': 80, 'operating_status': status,
                  'provisioning_status': 'ACTIVE'}
        monitor = {'id': lb_id + '-monitor', 'name': '', 'type': 'HTTP',
                   'operating_status': status,
                   'provisioning_status': 'ACTIVE'}
        pool = {'id': lb_id + '-pool', 'name': '', 'operating_status': status,
                'provisioning_status': 'ACTIVE', 'health_monitor': monitor,
                'members': [member]}
        listener = {'id': lb_id + '-listener', 'name': '',
                    'operating_status': status,
                    'provisioning_status': 'ACTIVE', 'pools': [pool]}
        return {'id': lb_id, 'name': lb['name'],
                'operating_status': status,
                'provisioning_status': lb['provisioning_status'],
                'listeners': [listener]}

    def list_load_balancers(self, **filters):
        return [dict(lb) for lb in self.lbs.values()
                if all(lb.get(k) == v for k, v in filters.items())]

    def list_amphorae(self, **filters):
        return [dict(a) for a in self.amphorae.values()
                if all(a.get(k) == v for k, v in filters.items())]

    def failover_load_balancer(self, lb_id):
        lb = self.lbs[lb_id]
        if lb['provisioning_status'] not in ('ACTIVE', 'ERROR'):
            raise exceptions.Conflict(resource='Load balancer', id=lb_id,
                                      reason='immutable')
        self.failovers.append(lb_id)
        lb['provisioning_status'] = 'PENDING_UPDATE'

    def complete_failover(self, lb_id):
        lb = self.lbs[lb_id]
        old = [a for a in self.amphorae.values()
               if a['loadbalancer_id'] == lb_id]
        for amp in old:
            del self.amphorae[amp['id']]
            self._add_amphora(lb_id, self.image_id)
        lb['provisioning_status'] = ('ERROR' if lb_id in self.fail_lbs
                                     else 'ACTIVE')
        self.listener_statuses[lb_id] = (
            'ERROR' if self.image_id in self.bad_images else 'ONLINE')

    def delete_lb(self, lb_id):
        del self.lbs[lb_id]
        for amp_id in [a['id'] for a in self.amphorae.values()
                       if a['loadbalancer_id'] == lb_id]:
            del self.amphorae[amp_id]

    def wait_for_load_balancer(self, lb_id, status='ACTIVE', timeout=None,
                               interval=None, delay=0.0):
        if lb_id in self.deleted_during_failover and lb_id in self.lbs:
            self.delete_lb(lb_id)
        self.get_load_balancer(lb_id)  # NotFound once it was deleted
        lb = self.lbs[lb_id]
        if lb['provisioning_status'] == 'PENDING_UPDATE':
            self.complete_failover(lb_id)
        if lb['provisioning_status'] == 'ERROR' and status != 'ERROR':
            raise exceptions.ResourceInError(
                resource='Load balancer', id=lb_id, current='ERROR',
                status=status)
        return dict(lb)

    def find_newest_image(self, tag, owner=None):
        return {'id': self.image_id, 'name': 'amphora',
                'updated_at': '2026-06-01T00:00:00'}


class FakeImages:
    """Glance images of a :class:`FakeCloud`: uploads, tags, deletes."""

    def __init__(self):
        self.images = {}
        self.uploads = 0

    def add_image(self, status, tags, created_at='2026-06-01T00:00:00'):
        image = {'id': new_id('img'), 'name': 'amphora', 'status': status,
                 'tags': list(tags), 'created_at': created_at,
                 'updated_at': created_at}
        self.images[image['id']] = image
        return image

    def list_images(self, tag):
        return [dict(i) for i in self.images.values() if tag in i['tags']]

    def create_image(self, name, filename, tags, disk_format='qcow2',
                     container_format='bare', wait=True, timeout=None):
        self.uploads += 1
        image = self.add_image('active', tags)
        image['file'] = filename
        return dict(image)

    def newest_image_if_same_content(self, tag, filename, owner=None):
        tagged = [i for i in self.images.values()
                  if tag in i['tags'] and i['status'] == 'active']
        newest = max(tagged, key=lambda i: i['created_at'], default=None)
        if newest and newest.get('file') == filename:
            return dict(newest)
        return None

    def delete_image(self, image_id):
        del self.images[image_id]

    def remove_image_tag(self, image_id, tag):
        self.images[image_id]['tags'].remove(tag)


class FakeCloudWithImages(FakeCloud, FakeImages):
    def __init__(self, **kwargs):
        FakeCloud.__init__(self, **kwargs)
        FakeImages.__init__(self)
