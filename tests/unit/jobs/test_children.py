"""Children go to the board several to a board job (issue 13).

A real job store (SQLite); the board is a fake at our own boundary,
which records the board jobs posted. The real board and conductors are
exercised by tests/functional/engine (every board test there runs
batches) and test_batches.py.
"""

import types

import pytest

from octavia_maint import conf
from octavia_maint.jobs import board
from octavia_maint.jobs import children
from octavia_maint.jobs import persistence

CAMPAIGN = '5f0c3d2a-8a9e-4f5e-9c51-2e7d7b3f0a42'


class FakeBoard:
    """Board jobs as a ZooKeeper board lists them: a batch has no book."""

    def __init__(self):
        self.posted = []

    def post(self, name, details):
        self.posted.append(types.SimpleNamespace(
            uuid='board-%d' % len(self.posted), name=name, book_uuid=None,
            details=details))

    def jobs_by_book(self):
        return {job_id: job for job in self.posted
                for job_id in board.job_ids(job)}


class Backend:
    """What BoardChildren needs of a JobBackend."""

    def __init__(self, store):
        self.store = store
        self.conf = conf.CONF
        self.board = FakeBoard()

    def post_batch(self, name, job_ids):
        self.board.post(name, {board.JOBS_DETAIL: list(job_ids)})


@pytest.fixture
def backend(tmp_path, config):
    config.config(connection='sqlite:///%s' % (tmp_path / 'jobs.sqlite'),
                  group='persistence')
    config.config(targets_per_board_job=3, group='jobboard')
    db = persistence.open_backend(conf.CONF)
    yield Backend(persistence.JobStore(db))
    db.close()


def specs(count):
    return [(persistence.child_id(CAMPAIGN, 'lb-%d' % i), 'lb-%d' % i,
             {'lb_id': 'lb-%d' % i}) for i in range(count)]


def test_children_are_posted_three_to_a_board_job(backend):
    started = specs(7)
    board_children = children.BoardChildren(backend)
    assert board_children.batch_size == 3
    board_children.start(CAMPAIGN, 'rotate-image', started)
    ids = [child for child, _, _ in started]
    assert [board.job_ids(job) for job in backend.board.posted] == [
        ids[:3], ids[3:6], ids[6:]]
    # Each keeps a record of its own, with its parent and target.
    assert set(backend.store.flow_states(ids)) == set(ids)
    assert backend.store.get_book(ids[4]).meta['target'] == 'lb-4'


def test_lost_children_are_posted_again_in_batches(backend):
    started = specs(5)
    board_children = children.BoardChildren(backend)
    board_children.start(CAMPAIGN, 'rotate-image', started)
    ids = [child for child, _, _ in started]
    # A board job lost with a crash: its children are not listed.
    backend.board.posted.pop(0)
    assert board_children.dispatch_lost(ids) == 3
    assert board.job_ids(backend.board.posted[-1]) == ids[:3]
    assert board_children.dispatch_lost(ids) == 0


def test_a_board_job_of_its_own_logbook_carries_one_job():
    own = types.SimpleNamespace(uuid='board-1', book_uuid='job-1',
                                details={'flow_uuid': 'flow-1'})
    assert board.job_ids(own) == ['job-1']
    assert board.label(own) == 'job-1'
    batch = types.SimpleNamespace(uuid='board-2', book_uuid=None,
                                  details={board.JOBS_DETAIL: ['a', 'b']})
    members = board.members(batch)
    assert [m.book_uuid for m in members] == ['a', 'b']
    assert len({m.uuid for m in members}) == 2
    # What TaskFlow's dispatch and the claim see is the batch's.
    assert all(m.details is batch.details for m in members)
    assert board.label(batch) == 'batch board-2 (2 jobs)'
