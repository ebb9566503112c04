"""A fake ``JobService``: the CLI's boundary, so commands run without a
database, a board or a cloud, and tests assert on what they asked."""

import threading

from octavia_maint.common import constants

JOB_ID = '0b0c4d7e-4f4a-4a8e-9d53-1f0c7a6b2c11'
LB_1 = '6a5c1e2b-3d4f-4a5b-8c6d-7e8f9a0b1c2d'
LB_2 = '7b6d2f3c-4e5a-4b6c-9d7e-8f9a0b1c2d3e'


def job_view(**changes):
    """A view as ``JobService.list``, ``cancel`` and ``resume`` return."""
    view = {'id': JOB_ID, 'procedure': constants.ROTATE_IMAGE,
            'state': constants.JOB_RUNNING, 'conductor': 'host-a:4242',
            'posted_by': 'operator', 'posted_at': '2026-01-02T03:04:05',
            'updated_at': '2026-01-02T03:05:00',
            'parameters': {'image_tag': 'amphora', 'load_balancer_ids': []},
            'parent': None, 'target': None, 'attempts': 0, 'reason': None,
            'waiting_for': None}
    view.update(changes)
    return view


def full_view(**changes):
    """A view as ``JobService.show`` returns: with targets and counts."""
    targets = changes.pop('targets', [
        {'target': LB_1, 'name': 'web', 'project_id': 'p1',
         'outcome': constants.OUTCOME_SUCCEEDED, 'reason': ''},
        {'target': LB_2, 'name': 'db', 'project_id': 'p1',
         'outcome': constants.OUTCOME_PENDING, 'reason': 'stale amphora'}])
    counts = {o: 0 for o in (constants.OUTCOME_SUCCEEDED,
                             constants.OUTCOME_SKIPPED,
                             constants.OUTCOME_FAILED,
                             constants.OUTCOME_NOT_ATTEMPTED,
                             constants.OUTCOME_RUNNING,
                             constants.OUTCOME_PENDING)}
    for row in targets:
        counts[row['outcome']] += 1
    view = job_view(targets=targets, counts=counts, eta_seconds=65)
    view.update(changes)
    return view


def plan():
    """A dry run's result, as ``JobService.plan`` returns it."""
    return {'targets': [
        {'id': LB_1, 'name': 'web', 'project_id': 'p1',
         'provisioning_status': 'ACTIVE', 'action': constants.PLAN_RUN,
         'reason': 'amphora on image old'},
        {'id': LB_2, 'name': 'db', 'project_id': 'p1',
         'provisioning_status': 'ERROR', 'action': constants.PLAN_SKIP,
         'reason': 'in ERROR; add --include-error'}],
        'to_run': 1, 'rounds': 1, 'estimated_seconds': 120}


class FakeBackend:
    def __init__(self, local):
        self.local = local


class FakeRunner:
    """Records runs; ``block`` makes ``run`` wait for ``stop`` (Ctrl-C)."""

    def __init__(self, block=False):
        self.block = block
        self.ran = []
        self.stop_calls = 0
        self.released = threading.Event()

    def run(self, job_id):
        self.ran.append(job_id)
        if self.block:
            self.released.wait(10)

    def stop(self):
        self.stop_calls += 1
        self.released.set()


class FakeJobService:
    """Records every call in ``calls``.

    ``shows`` are the successive results of ``show`` (the last repeats;
    an exception in it is raised); ``errors`` maps a method name to the
    exception it raises.
    """

    def __init__(self, local=True, shows=None, views=None, runner=None):
        self.backend = FakeBackend(local)
        self.shows = list(shows or [full_view(
            state=constants.JOB_SUCCEEDED, eta_seconds=None)])
        self.views = views if views is not None else [job_view()]
        self.runner = runner or FakeRunner()
        self.errors = {}
        self.calls = []
        self.closed = 0

    def _called(self, name, *args, **kwargs):
        self.calls.append((name, args, kwargs))
        if name in self.errors:
            raise self.errors[name]

    def plan(self, procedure, params):
        self._called('plan', procedure, params)
        return plan()

    def post(self, procedure, params, force=False):
        self._called('post', procedure, params, force=force)
        return JOB_ID

    def list(self, state=None, include_children=False):
        self._called('list', state=state, include_children=include_children)
        return self.views

    def show(self, job_id):
        self._called('show', job_id)
        result = self.shows.pop(0) if len(self.shows) > 1 else self.shows[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def cancel(self, job_id):
        self._called('cancel', job_id)
        return job_view(state=constants.JOB_RUNNING)

    def continue_job(self, job_id):
        self._called('continue_job', job_id)
        return self.views[0]

    def view(self, job_id):
        self._called('view', job_id)
        return self.views[0]

    def resume(self, job_id):
        self._called('resume', job_id)
        return job_view(state=constants.JOB_QUEUED)

    def local_runner(self):
        self._called('local_runner')
        return self.runner

    def close(self, discard_unused=False):
        self.closed += 1

    def called(self, name):
        """The ``(args, kwargs)`` of every call to ``name``."""
        return [(a, k) for n, a, k in self.calls if n == name]
