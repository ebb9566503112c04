"""A claim that reached ZooKeeper although its reply was lost is ours.

Seen in CI (a ZooKeeper restart mid-rotation): a conductor's claim
transaction was applied, the connection dropped before the reply came,
and TaskFlow's claim raised. The claim node stayed, ephemeral in the
conductor's still living session, so no conductor ever claimed the job
again and its campaign waited for ever. ZooKeeper here is real; the one
fault injected is the lost reply: the client's commit is applied, then
answered with ConnectionLoss.
"""

from kazoo import exceptions as kazoo_exc
import pytest
from taskflow import exceptions as taskflow_exc

from octavia_maint import conf
from octavia_maint.jobs import backend as backend_mod
from tests.functional.engine import conftest

pytestmark = pytest.mark.slow


@pytest.fixture
def board(zk, config, tmp_path):
    groups = conftest.board_groups(zk, tmp_path, 1)
    for group, options in groups.items():
        if options:
            config.config(group=group, **options)
    backend = backend_mod.JobBackend(conf.CONF)
    yield backend.board
    backend.close()


def cut_off_next_commit(monkeypatch, client, applied):
    """The next transaction is answered with ConnectionLoss; with
    ``applied`` it reached ZooKeeper first (the reply was lost), else it
    never did (the request was)."""
    real = client.transaction

    def transaction():
        txn = real()
        commit = txn.commit

        def cut_off():
            monkeypatch.setattr(client, 'transaction', real)
            if applied:
                commit()
            raise kazoo_exc.ConnectionLoss('connection dropped')
        txn.commit = cut_off
        return txn
    monkeypatch.setattr(client, 'transaction', transaction)


def test_a_claim_whose_reply_was_lost_is_kept(board, monkeypatch):
    job = board.post('rotate-image lb-1')
    cut_off_next_commit(monkeypatch, board.zookeeper_client, applied=True)
    board.claim(job, 'conductor-1')
    assert board.find_owner(job) == 'conductor-1'


def test_a_claim_lost_with_its_request_still_fails(board, monkeypatch):
    job = board.post('rotate-image lb-2')
    cut_off_next_commit(monkeypatch, board.zookeeper_client, applied=False)
    with pytest.raises(taskflow_exc.JobFailure):
        board.claim(job, 'conductor-1')
    assert board.find_owner(job) is None
