"""Group commit: the state saves of many job threads in one transaction.

A conductor's job threads save a flow or an atom row about sixteen times
per failover. On SQLite each write transaction holds the database's one
writer lock (``persistence._serialize_sqlite_writers``), and a thread
holding it waits for the GIL again after every statement. Profiled at
1,000 load balancers (issue 13), the lock was held 85 % of the time, and
a failover's last save before its API call waited 120 ms for it at the
median, inside its throttle slot. Elsewhere every commit is a sync of the
database's log.

So the saves that arrive while one is being written go together: the
first thread to save leads, takes one transaction for every save queued
by then, commits, and hands each thread its own result; the first save
still queued after that leads the next transaction. A thread returns only
once its save is committed, as before. When a transaction fails, each of
its saves is made again alone, so an error (a row deleted meanwhile)
reaches the thread whose save it was and no other save is lost with it.
"""

import threading

# Saves in one transaction at most: a leader does not write for ever.
MAX_BATCH = 64


class _Save:
    """One thread's save, waiting for its transaction."""

    __slots__ = ('write', 'done', 'leads', 'result', 'error')

    def __init__(self, write):
        self.write = write
        self.done = threading.Event()
        self.leads = False
        self.result = None
        self.error = None

    def outcome(self):
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    """Runs the saves of many threads, several to a transaction."""

    def __init__(self, transaction):
        """:param transaction: ``() -> context manager`` of one write
            transaction, yielding its connection."""
        self._transaction = transaction
        self._lock = threading.Lock()
        self._queue = []
        self._leading = False

    def run(self, write):
        """``write(connection)`` in a committed transaction: its result,
        or what it raised when made alone."""
        save = _Save(write)
        with self._lock:
            self._queue.append(save)
            save.leads = not self._leading
            self._leading = True
        if not save.leads:
            save.done.wait()
            if not save.leads:
                return save.outcome()
        with self._lock:
            batch = self._queue[:MAX_BATCH]
            del self._queue[:MAX_BATCH]
        try:
            self._commit(batch)
        finally:
            with self._lock:
                if self._queue:
                    # The next save leads; it takes the queue as it is.
                    self._queue[0].leads = True
                    self._queue[0].done.set()
                else:
                    self._leading = False
        return save.outcome()

    def _commit(self, batch):
        """Commit ``batch`` in one transaction, or each save alone if that
        failed; then wake the threads whose saves these were."""
        try:
            with self._transaction() as connection:
                for save in batch:
                    save.result = save.write(connection)
        except Exception as e:
            if len(batch) > 1:
                for save in batch:
                    self._commit([save])
                return
            batch[0].error = e
        except BaseException as e:
            # The leading thread is being stopped: no save may hang.
            for save in batch:
                save.error = e
                save.done.set()
            raise
        for save in batch:
            save.done.set()
