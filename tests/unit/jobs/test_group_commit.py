"""Group commit: many threads' saves, several to a transaction."""

import contextlib
import threading
import time

import pytest

from octavia_maint.jobs import group_commit


class FakeDatabase:
    """Transactions that take a while and keep what they committed."""

    def __init__(self):
        self.committed = []
        self.transactions = 0

    @contextlib.contextmanager
    def transaction(self):
        self.transactions += 1
        written = []
        yield written
        time.sleep(0.01)
        self.committed.extend(written)


def save(value, fail=False):
    def write(connection):
        connection.append(value)
        if fail:
            raise LookupError('no row for %s' % value)
        return value * 10
    return write


def run_threads(group, writes):
    outcomes = {}
    start = threading.Barrier(len(writes))

    def one(key, write):
        start.wait()
        try:
            outcomes[key] = group.run(write)
        except LookupError as e:
            outcomes[key] = e
    threads = [threading.Thread(target=one, args=item)
               for item in writes.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
        assert not thread.is_alive()
    return outcomes


def test_saves_of_many_threads_share_transactions():
    database = FakeDatabase()
    group = group_commit.GroupCommit(database.transaction)
    outcomes = run_threads(group, {n: save(n) for n in range(40)})
    assert outcomes == {n: n * 10 for n in range(40)}
    assert sorted(database.committed) == list(range(40))
    assert database.transactions < 40


def test_a_failing_save_fails_alone():
    """Its transaction is rolled back and every save in it made alone:
    the error reaches its own thread, the others are committed."""
    database = FakeDatabase()
    group = group_commit.GroupCommit(database.transaction)
    writes = {n: save(n, fail=n == 7) for n in range(20)}
    outcomes = run_threads(group, writes)
    assert isinstance(outcomes.pop(7), LookupError)
    assert outcomes == {n: n * 10 for n in range(20) if n != 7}
    assert sorted(database.committed) == [n for n in range(20) if n != 7]


def test_a_save_alone_is_one_transaction():
    database = FakeDatabase()
    group = group_commit.GroupCommit(database.transaction)
    assert group.run(save(1)) == 10
    with pytest.raises(LookupError):
        group.run(save(2, fail=True))
    assert database.committed == [1]
    assert database.transactions == 2
