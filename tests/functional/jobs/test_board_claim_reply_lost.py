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


def lose_the_reply_once(monkeypatch, client):
    """The next transaction commits in ZooKeeper, then its caller hears
    ConnectionLoss instead of the answer."""
    real = client.transaction

    def transaction():
        txn = real()
        commit = txn.commit

        def commit_then_lose_reply():
            commit()
            monkeypatch.setattr(client, 'transaction', real)
            raise kazoo_exc.ConnectionLoss('reply lost')
        txn.commit = commit_then_lose_reply
        return txn
    monkeypatch.setattr(client, 'transaction', transaction)


def test_a_claim_whose_reply_was_lost_is_kept(board, monkeypatch):
    job = board.post('rotate-image lb-1')
    lose_the_reply_once(monkeypatch, board.zookeeper_client)
    board.claim(job, 'conductor-1')
    assert board.find_owner(job) == 'conductor-1'


def test_a_claim_lost_with_its_request_still_fails(board, monkeypatch):
    job = board.post('rotate-image lb-2')
    client = board.zookeeper_client
    real = client.transaction

    def transaction():
        txn = real()

        def lost():
            monkeypatch.setattr(client, 'transaction', real)
            raise kazoo_exc.ConnectionLoss('request lost')
        txn.commit = lost
        return txn
    monkeypatch.setattr(client, 'transaction', transaction)
    with pytest.raises(Exception):
        board.claim(job, 'conductor-1')
    assert board.find_owner(job) is None
