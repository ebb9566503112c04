"""What an engine writes to the database: state, not progress.

TaskFlow saves every task state change twice: the state (with the
result), then the task's progress (0.0 when it starts, 1.0 when it
succeeds) as a second write of the same atom. Nothing of ours reads a
TaskFlow progress value (``job show`` tells a target's step by its
state), and a resumed engine runs a RUNNING task again whatever its
progress. So a write that changes nothing of an atom but its progress is
not sent: a third of a child job's state saves, each a transaction that
queues for the database's writer (issue 13).

The write that is skipped is one this engine itself would have made
right after the one before it, so the stored atom is the one TaskFlow
holds, but for the progress figure.
"""

from taskflow import storage

PROGRESS_KEYS = (storage.META_PROGRESS, storage.META_PROGRESS_DETAILS)


class StateWritesOnly:
    """An engine's persistence backend, without progress-only writes.

    One per engine: it remembers what the engine last saved of each atom.
    """

    def __init__(self, backend):
        self._backend = backend
        self._saved = {}

    def get_connection(self):
        return _Connection(self._backend.get_connection(), self._saved)

    def __getattr__(self, name):
        return getattr(self._backend, name)


def _without_progress(atom_detail):
    saved = atom_detail.to_dict()
    saved['meta'] = {key: value for key, value in saved['meta'].items()
                     if key not in PROGRESS_KEYS}
    return saved


class _Connection:
    def __init__(self, connection, saved):
        self._connection = connection
        self._saved = saved

    def update_atom_details(self, atom_detail):
        """Save ``atom_detail`` unless only its progress changed since
        this engine saved it last; returns the atom as stored."""
        state = _without_progress(atom_detail)
        if self._saved.get(atom_detail.uuid) == state:
            return atom_detail
        stored = self._connection.update_atom_details(atom_detail)
        self._saved[atom_detail.uuid] = state
        return stored

    def __getattr__(self, name):
        return getattr(self._connection, name)
