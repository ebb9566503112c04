"""TaskFlow persistence: the database where every job's state lives.

One job is one logbook (its uuid is the job id) holding one flow detail.
The logbook's ``meta`` carries the job's intent (procedure, parameters,
who posted it, its parent campaign) and the operator's requests (cancel,
gates released); only the CLI writes it after posting. The flow detail's
``meta`` carries what conductors write (attempts, the reason a job was
given up), so the two writers never overwrite each other's fields.
Logbooks are kept after completion: a job's outcome is read from here,
since the job board forgets a job once it is consumed.
"""

import collections
import contextlib
import fcntl
import os
import threading
import time
import uuid

from oslo_log import log as logging
import sqlalchemy as sa
from taskflow import exceptions as tf_exc
from taskflow.persistence import backends
from taskflow.persistence.backends import impl_sqlalchemy
from taskflow.persistence.backends.sqlalchemy import tables as tf_tables
from taskflow.persistence import models
from taskflow import states
from taskflow import storage

from octavia_maint.common import database_url
from octavia_maint.common import exceptions
from octavia_maint.conf import conductor as conf_conductor
from octavia_maint.jobs import group_commit

LOG = logging.getLogger(__name__)

DEFAULT_DB = 'octavia-maint.sqlite'
# TaskFlow's SQL persistence backends (entry points of the same names);
# the pool and SQLite settings below assume SQLAlchemy.
SQL_BACKENDS = ('mysql', 'postgresql', 'sqlite')
FLOW_NAMESPACE = uuid.UUID('4c0c4b8e-7a55-4d58-9a68-0c6c56f0f5a1')
STATE_QUERY_CHUNK = 500
# Where an atom's failure may be (it stays after the atom is reverted).
FAILED_ATOM_STATES = (states.FAILURE, states.REVERTED, states.REVERT_FAILURE)
POOL_SPARE = 8
# SQLite connections a process keeps, however many jobs it runs: each
# has its own page and statement caches (about 2 MB once the database
# grew), writers queue on one lock whatever their number, and a reader
# holds one for a query only. A thread beyond them waits its turn.
SQLITE_CONNECTIONS = 8
# How long a job's cancel flag may be served from memory: cancellation
# takes effect before the next step, within this delay.
CANCEL_FLAG_TTL = 1.0
# Flows whose stored atoms a process remembers (RowWrites): more than the
# jobs a conductor runs at once.
REMEMBERED_FLOWS = 4096
# The file SQLite writers of every process queue on, beside the database.
WRITER_LOCK_SUFFIX = '-writer.lock'


def state_dir(conf):
    """The directory for local state (the default SQLite database)."""
    path = conf.persistence.state_dir or os.path.join(
        os.environ.get('XDG_STATE_HOME') or os.path.expanduser(
            '~/.local/state'), 'octavia-maint')
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def connection_url(conf):
    return conf.persistence.connection or 'sqlite:///' + os.path.join(
        state_dir(conf), DEFAULT_DB)


def flow_uuid(job_id):
    """The uuid of a job's only flow detail, derived from the job id."""
    return str(uuid.uuid5(FLOW_NAMESPACE, job_id))


def child_id(campaign_id, target_id):
    """A child job's id: the same for the same campaign and target, so a
    re-planned campaign finds the children it already posted."""
    return str(uuid.uuid5(uuid.UUID(campaign_id), target_id))


def open_backend(conf):
    """Open (and upgrade) the persistence backend named by the config.

    :raises ConfigError: the URL is malformed or the database unreachable.
    """
    try:
        url = database_url.with_installed_driver(connection_url(conf))
        dialect = sa.engine.make_url(url).get_backend_name()
    except sa.exc.ArgumentError:
        raise exceptions.ConfigError(
            reason='[persistence] connection is not a database URL')
    if dialect not in SQL_BACKENDS:
        # Checked before TaskFlow looks the name up through stevedore,
        # which logs its own warning about any name it cannot load.
        raise exceptions.ConfigError(
            reason='[persistence] connection is a %s:// URL; jobs are kept '
                   'in %s' % (dialect, ', '.join(SQL_BACKENDS)))
    created = (_default_database(conf)
               if not conf.persistence.connection and
               not os.path.exists(_default_database(conf)) else None)
    backend_conf = {'connection': url}
    if url.startswith('sqlite'):
        # TaskFlow opens a new SQLite connection per transaction (NullPool);
        # a pool saves a connect and two pragmas on every state save.
        backend_conf['engine_args'] = {
            'poolclass': sa.pool.QueuePool, 'pool_size': SQLITE_CONNECTIONS,
            'max_overflow': 0,
            'connect_args': {'timeout': conf.persistence.sqlite_busy_timeout,
                             'check_same_thread': False}}
    else:
        # Every job thread of a conductor may hold a connection at once.
        backend_conf['max_pool_size'] = (
            conf_conductor.max_simultaneous_jobs(conf) + POOL_SPARE)
        backend_conf['max_overflow'] = POOL_SPARE
    try:
        backend = backends.fetch(backend_conf)
        writer_lock = reader = None
        if url.startswith('sqlite'):
            writer_lock = _serialize_sqlite_writers(
                backend.engine, sa.engine.make_url(url).database)
            reader = _sqlite_reader(backend_conf)
        with contextlib.closing(backend.get_connection()) as conn:
            conn.upgrade()
    except (tf_exc.StorageFailure, sa.exc.SQLAlchemyError, ImportError) as e:
        raise exceptions.ConfigError(
            reason='cannot open the persistence database %s: %s'
            % (_safe_url(url), _root_cause(e)))
    return SharedConnectionBackend(backend, created=created,
                                   writer_lock=writer_lock, reader=reader)


def _sqlite_reader(backend_conf):
    """TaskFlow's SQL backend over a pool of its own, for reads only.

    A writer waits for the writer lock (:func:`_serialize_sqlite_writers`)
    holding a pooled connection. Sharing that pool, reads waited behind
    queued writers for a connection: a child's fresh look at its cancel
    flag, inside its throttle slot right before the failover, took 85 ms
    at the median and 425 ms at p90 (issue 13). In WAL mode a read needs
    no lock, so with its own pool it goes at once; each transaction on
    it begins DEFERRED.
    """
    engine = sa.create_engine(backend_conf['connection'],
                              **backend_conf['engine_args'])

    @sa.event.listens_for(engine, 'connect')
    def _no_implicit_begin(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, 'begin')
    def _begin(connection):
        connection.exec_driver_sql('BEGIN')

    return impl_sqlalchemy.SQLAlchemyBackend(
        {'connection': backend_conf['connection']}, engine=engine)


def _default_database(conf):
    return os.path.join(state_dir(conf), DEFAULT_DB)


def close_backend(backend, discard_unused=False):
    """Close ``backend``; with ``discard_unused``, also delete the default
    SQLite database if this process created it and it holds no job.

    A run that failed before posting anything (a typo, an unreachable
    ZooKeeper) then leaves no state behind. Callers ask for it only when
    they failed, so the file is one this run created seconds ago.
    """
    empty = (discard_unused and backend.created is not None and
             not JobStore(backend).books())
    backend.close()
    if empty:
        for suffix in ('', '-wal', '-shm', WRITER_LOCK_SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                os.remove(backend.created + suffix)


class SharedConnectionBackend:
    """TaskFlow's SQL backend, handing out one connection object.

    TaskFlow builds a new connection object (and with it SQLAlchemy table
    definitions, which also defeats SQLAlchemy's statement cache) for
    every state save; profiled, that was 40% of a busy conductor's CPU.
    The object holds no database connection of its own (each call takes
    one from the engine's pool) and its ``close`` does nothing, so one
    object serves every thread.
    """

    def __init__(self, backend, created=None, writer_lock=None,
                 reader=None):
        """:param reader: a backend for reads only (:func:`_sqlite_reader`),
            or None: reads share ``backend``.
        """
        self._backend = backend
        self._connection = RowWrites(backend.get_connection(), backend.engine)
        self._reader = reader
        self._reader_connection = (self._connection if reader is None
                                   else reader.get_connection())
        # The default SQLite file, when opening it created it.
        self.created = created
        self._writer_lock = writer_lock

    def get_connection(self):
        return self._connection

    def transaction(self, write):
        """``write(connection)`` in a write transaction shared with the
        saves of the moment (jobs/group_commit.py); its result."""
        return self._connection.transaction(write)

    def get_reader_connection(self):
        """The connection object for reads (:meth:`JobStore._reader`)."""
        return self._reader_connection

    @property
    def reader_engine(self):
        """The engine for our own read queries (:meth:`JobStore._query`)."""
        return (self._backend if self._reader is None
                else self._reader).engine

    def close(self):
        self._backend.close()
        if self._reader is not None:
            self._reader.close()
            self._reader.engine.dispose()
        if self._writer_lock is not None:
            self._writer_lock.close()

    def __getattr__(self, name):
        return getattr(self._backend, name)


class RowWrites:
    """TaskFlow's SQL connection, saving a flow or an atom as one row.

    TaskFlow saves a flow detail (its state or meta: every flow state
    change, a failover's phase, a conductor's attempt count) by reading
    the flow's row and *every* atom row, then writing them all back; a
    campaign's atoms hold its whole plan and every child's result, so
    each save of its meta rewrote megabytes. Profiled (issue 13), the
    job threads of a conductor spent most of their time queued behind
    those transactions for the database's writer. Here a flow save writes
    the flow's row and inserts the atoms the database does not hold yet
    (TaskFlow adds a new atom to a flow that way, ``Storage.ensure_atoms``
    and ``inject``); an atom save writes the atom's row. Every other
    change of an atom reaches the database through its own atom save, so
    nothing is lost by not rewriting them.

    What TaskFlow's read-and-merge adds, taking in atoms that another
    writer added to the same flow meanwhile, has no use here: one owner
    writes a job's flow at a time (its claim, jobs/context.py), and the
    CLI writes a job's logbook, never its flow, while it runs.
    """

    def __init__(self, connection, engine):
        self._connection = connection
        self._engine = engine
        self._tables = tf_tables.fetch(sa.MetaData())
        # {flow uuid: uuids of its atoms the database holds}, of the flows
        # saved last (a flow's state and meta change far more often than
        # its atoms are added: no query for them on every save).
        self._stored_atoms = collections.OrderedDict()
        self._stored_lock = threading.Lock()
        self._group = group_commit.GroupCommit(engine.begin)

    def update_flow_details(self, flow_detail):
        """Write the flow's row, insert its new atoms; returns it."""
        atoms = self._tables.atomdetails
        with self._stored_lock:
            known = self._stored_atoms.get(flow_detail.uuid, frozenset())
        uuids = frozenset(atom.uuid for atom in flow_detail)

        def write(conn):
            self._write_row(conn, self._tables.flowdetails, flow_detail)
            if not uuids <= known:
                stored = set(conn.execute(sa.select(atoms.c.uuid).where(
                    atoms.c.parent_uuid == flow_detail.uuid)).scalars())
                for atom in flow_detail:
                    if atom.uuid not in stored:
                        conn.execute(sa.insert(atoms).values(dict(
                            atom.to_dict(), parent_uuid=flow_detail.uuid,
                            atom_type=models.atom_detail_type(atom))))
        self._write(flow_detail, write)
        with self._stored_lock:
            self._stored_atoms[flow_detail.uuid] = uuids
            self._stored_atoms.move_to_end(flow_detail.uuid)
            while len(self._stored_atoms) > REMEMBERED_FLOWS:
                self._stored_atoms.popitem(last=False)
        return flow_detail

    def insert_logbooks(self, books):
        """Insert new logbooks and their flow details (no atoms yet) in
        one transaction: a campaign's batch of children is one write."""
        if not books:
            return
        tables = self._tables

        def write(conn):
            conn.execute(sa.insert(tables.logbooks),
                         [book.to_dict() for book in books])
            conn.execute(sa.insert(tables.flowdetails), [
                dict(fd.to_dict(), parent_uuid=book.uuid)
                for book in books for fd in book])
        self._write(books[0], write)

    def update_atom_details(self, atom_detail):
        """Write the atom's row; returns it."""
        self._write(atom_detail, lambda conn: self._write_row(
            conn, self._tables.atomdetails, atom_detail))
        return atom_detail

    @staticmethod
    def _write_row(conn, table, detail):
        """Write ``detail`` (a flow or atom detail) over its row; NotFound,
        as TaskFlow raises it, when there is none."""
        written = conn.execute(sa.update(table).where(
            table.c.uuid == detail.uuid).values(detail.to_dict()))
        if not written.rowcount:
            raise tf_exc.NotFound("No %s found with uuid '%s'"
                                  % (table.name, detail.uuid))

    def transaction(self, write):
        """``write(connection)`` in a write transaction shared with the
        saves of other threads (jobs/group_commit.py); its result."""
        return self._group.run(write)

    def _write(self, detail, write):
        """:meth:`transaction`, a database error raised as TaskFlow's
        StorageFailure, as TaskFlow's own saves raise it; preceded, in the
        transaction, by the check this thread is under (:func:`checked_by`).
        """
        check = getattr(_THREAD, 'write_check', None)
        if check is not None:
            unchecked = write

            def write(conn):
                check()
                return unchecked(conn)
        try:
            self.transaction(write)
        except sa.exc.SQLAlchemyError:
            tf_exc.raise_with_cause(tf_exc.StorageFailure,
                                    "Failed saving '%s'" % detail.uuid)

    def __getattr__(self, name):
        return getattr(self._connection, name)


# Set by :func:`_reading` in a thread whose next transactions only read.
_THREAD = threading.local()


@contextlib.contextmanager
def checked_by(check):
    """Run ``check()`` right before each save this thread makes in the
    block, inside its transaction: what it raises refuses that save alone.

    A job's claim is checked so (jobs/context.py). Checked only before a
    save is queued for its transaction (jobs/group_commit.py), a conductor
    frozen past its session while the save waited wrote it on waking, over
    the new owner's state. On SQLite the check runs under the writer lock,
    so no other conductor writes between the check and the commit.
    """
    with _this_thread('write_check', check):
        yield


@contextlib.contextmanager
def _reading():
    """Mark this thread's transactions in the block as reads only.

    On SQLite they then begin DEFERRED and take neither the process'
    writer lock nor SQLite's: in WAL mode a reader sees the last commit
    and never waits for a writer. Profiled (issue 13), reads taking the
    write lock (a child's cancel flag, the campaign's look at its
    children) kept a third of a conductor's job threads queued behind
    state saves.
    """
    with _this_thread('reading', True):
        yield


@contextlib.contextmanager
def _this_thread(name, value):
    """``_THREAD.<name>`` is ``value`` in the block, as before after it."""
    before = getattr(_THREAD, name, None)
    setattr(_THREAD, name, value)
    try:
        yield
    finally:
        setattr(_THREAD, name, before)


def _serialize_sqlite_writers(engine, database):
    """WAL, and every SQLite write transaction started with BEGIN IMMEDIATE
    once this process holds the database's writer lock.

    TaskFlow reads a row and then updates it in one transaction. With
    SQLite's default deferred transactions two such writers deadlock and
    one fails at once with "database is locked", busy timeout or not;
    taking the write lock up front makes them queue for it instead. They
    queue on locks of ours, not in SQLite's busy handler, which polls,
    sleeping up to 100 ms between tries: the threads of one process on a
    lock of their own, then the processes (conductors, the CLI) on an
    exclusive ``flock`` of a file beside the database, which the kernel
    hands to the next waiter the moment it is let go. Profiled (issue
    13), writers sleeping in the busy handler while the database was free
    kept most of a conductor's job threads waiting. Reads
    (:func:`_reading`) begin DEFERRED and queue for nothing: WAL lets
    readers go on meanwhile.

    ``synchronous=NORMAL``: in WAL mode a commit is written to the WAL
    file before it returns and only the checkpoint syncs, so a process
    killed with ``kill -9`` loses nothing it committed (the OS has the
    pages), and the kernel drops a dead process' ``flock``. Only a power
    loss or kernel crash may lose the last commits, and a job re-runs its
    last step after one anyway; FULL would sync on every one of a
    campaign's state saves for that case alone.
    """
    process_lock = threading.Lock()
    writers = _WriterFileLock(database)

    @sa.event.listens_for(engine, 'connect')
    def _no_implicit_begin(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute('PRAGMA journal_mode=WAL')
        dbapi_connection.execute('PRAGMA synchronous=NORMAL')

    @sa.event.listens_for(engine, 'begin')
    def _begin(connection):
        if getattr(_THREAD, 'reading', False):
            connection.exec_driver_sql('BEGIN')
            return
        process_lock.acquire()
        connection.info['writer_lock'] = True
        try:
            writers.acquire()
            try:
                connection.exec_driver_sql('BEGIN IMMEDIATE')
            except Exception:
                writers.release()
                raise
        except Exception:
            connection.info.pop('writer_lock')
            process_lock.release()
            raise

    @sa.event.listens_for(engine, 'commit')
    @sa.event.listens_for(engine, 'rollback')
    def _end(connection):
        if connection.info.pop('writer_lock', False):
            writers.release()
            process_lock.release()

    return writers


class _WriterFileLock:
    """An exclusive ``flock`` of ``<database>-writer.lock``, taken by one
    thread of this process at a time (under the process' own lock).

    An in-memory database has one process and needs none.
    """

    def __init__(self, database):
        self._fd = None
        if database and database != ':memory:':
            self._fd = os.open(database + WRITER_LOCK_SUFFIX,
                               os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self):
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_EX)

    def release(self):
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _safe_url(url):
    """The URL without its password, for messages."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _chunks(job_ids):
    """``({flow uuid: job id}, [flow uuid])`` per STATE_QUERY_CHUNK jobs:
    an ``IN`` list short enough for every database."""
    job_ids = list(job_ids)
    for i in range(0, len(job_ids), STATE_QUERY_CHUNK):
        by_flow = {flow_uuid(j): j for j in job_ids[i:i + STATE_QUERY_CHUNK]}
        yield by_flow, list(by_flow)


def _root_cause(error):
    while error.__cause__ is not None:
        error = error.__cause__
    return str(error).splitlines()[0]


class JobStore:
    """Reads and writes job records; the only code that knows the layout."""

    def __init__(self, backend):
        self.backend = backend
        self._cancel_flags = {}

    def cancel_requested(self, job_id, fresh=False):
        """Whether the operator cancelled the job, as of a second ago
        (or now, with ``fresh``).

        Asked before every step of every running job, and all children
        of a campaign ask about their parent: a short memory saves the
        database most of those reads.
        """
        flag, until = self._cancel_flags.get(job_id, (None, 0.0))
        if fresh or time.monotonic() >= until:
            flag = bool(self.book_meta(job_id).get('cancel_requested'))
            self._cancel_flags[job_id] = (flag,
                                          time.monotonic() + CANCEL_FLAG_TTL)
        return flag

    def book_meta(self, job_id):
        """The logbook's meta alone (no flow details read): the job's
        intent and the operator's requests."""
        with self._reader() as conn:
            try:
                return conn.get_logbook(job_id, lazy=True).meta
            except tf_exc.NotFound:
                raise exceptions.JobNotFound(id=job_id)

    @contextlib.contextmanager
    def _conn(self):
        with contextlib.closing(self.backend.get_connection()) as conn:
            yield conn

    @contextlib.contextmanager
    def _reader(self):
        """A TaskFlow connection for reads only (see :func:`_reading`)."""
        with _reading():
            yield self.backend.get_reader_connection()

    @contextlib.contextmanager
    def _query(self):
        """An SQLAlchemy connection for our own read queries."""
        with _reading(), self.backend.reader_engine.connect() as c:
            yield c

    def create(self, job_id, name, meta, flow_factory, factory_kwargs,
               store):
        """Save a new job's logbook and flow detail (not yet posted)."""
        self.create_many([(job_id, name, meta, flow_factory, factory_kwargs,
                           store)])

    def create_many(self, jobs):
        """Save new jobs, each ``(job_id, name, meta, flow_factory,
        factory_kwargs, store)``, in one write."""
        books = []
        for job_id, name, meta, flow_factory, factory_kwargs, store in jobs:
            book = models.LogBook(name, uuid=job_id)
            book.meta = meta
            fd = models.FlowDetail(name, flow_uuid(job_id))
            fd.meta = {'factory': {'name': flow_factory, 'args': [],
                                   'kwargs': factory_kwargs},
                       'store': store, 'attempts': 0}
            book.add(fd)
            books.append(book)
        with self._conn() as conn:
            conn.insert_logbooks(books)

    def get_book(self, job_id):
        """The job's logbook with its flow detail, atoms not loaded.

        Its ``updated_at`` stays the stored one: TaskFlow's
        ``LogBook.add`` stamps the time of the read, which is undone.
        """
        with self._reader() as conn:
            try:
                book = conn.get_logbook(job_id, lazy=True)
                stored = book.updated_at
                for fd in conn.get_flows_for_book(job_id, lazy=True):
                    book.add(fd)
            except tf_exc.NotFound:
                raise exceptions.JobNotFound(id=job_id)
        book.updated_at = stored
        return book

    def last_change(self, book):
        """When the job last changed: its logbook (an operator's request)
        or its flow detail (a state or meta the conductor wrote),
        whichever is later."""
        table = tf_tables.fetch(sa.MetaData()).flowdetails
        with self._query() as c:
            flow_changed = c.execute(sa.select(table.c.updated_at).where(
                table.c.uuid == flow_uuid(book.uuid))).scalar()
        return max(t for t in (book.updated_at or book.created_at,
                               flow_changed) if t is not None)

    def get_flow(self, job_id, with_atoms=False):
        with self._reader() as conn:
            try:
                return conn.get_flow_details(flow_uuid(job_id),
                                             lazy=not with_atoms)
            except tf_exc.NotFound:
                raise exceptions.JobNotFound(id=job_id)

    def books(self):
        """Every job's logbook (without flows), newest first."""
        with self._reader() as conn:
            books = list(conn.get_logbooks(lazy=True))
        return sorted(books, key=lambda b: b.created_at, reverse=True)

    def update_book_meta(self, job_id, **changes):
        """Change fields of a job's logbook meta (CLI side only)."""
        current = self.get_book(job_id)
        book = models.LogBook(current.name, uuid=job_id)
        # Saving merges every field into the stored logbook: keep the time
        # the job was posted (a new LogBook is stamped now).
        book.created_at = current.created_at
        book.meta = dict(current.meta, **changes)
        with self._conn() as conn:
            conn.save_logbook(book)
        # This process reads its own writes at once (a cancel, a resume).
        self._cancel_flags.pop(job_id, None)
        return book.meta

    def released_gates(self, job_id):
        """The gates the operator released for this job (uncached)."""
        return self.book_meta(job_id).get('released_gates', [])

    def release_gate(self, job_id, gate):
        """Record the operator's ``job continue`` (CLI side only)."""
        released = self.released_gates(job_id)
        if gate not in released:
            self.update_book_meta(job_id, released_gates=released + [gate])

    def update_flow_meta(self, job_id, **changes):
        """Change fields of a job's flow meta (conductor side only)."""
        fd = self.get_flow(job_id)
        fd.meta = dict(fd.meta, **changes)
        with self._conn() as conn:
            conn.update_flow_details(fd)
        return fd.meta

    def give_up(self, job_id, reason):
        """End a job as failed without running it (conductor side)."""
        fd = self.get_flow(job_id)
        fd.meta = dict(fd.meta, gave_up=reason)
        fd.state = states.FAILURE
        with self._conn() as conn:
            conn.update_flow_details(fd)

    def reset_atoms(self, job_id, names=(), everything=False):
        """Make a failed job run again from its failed steps (``job resume``).

        The atoms that failed, those named in ``names`` (or all, with
        ``everything``) go back to PENDING, without result; the flow
        becomes SUSPENDED with no attempts counted and no "gave up", so
        an engine continues it. Every other atom keeps its result: what
        succeeded is not done again.
        """
        fd = self.get_flow(job_id, with_atoms=True)
        with self._conn() as conn:
            for atom in fd:
                if atom.name == storage.Storage.injector_name:
                    continue
                if (everything or atom.name in names or
                        atom.state in (states.FAILURE, states.REVERTED)):
                    atom.reset(states.PENDING)
                    conn.update_atom_details(atom)
            fd.state = states.SUSPENDED
            fd.meta = dict(fd.meta, gave_up=None, attempts=0)
            conn.update_flow_details(fd)

    def flow_states(self, job_ids):
        """``{job_id: flow state}`` for many jobs, one query per chunk."""
        table = tf_tables.fetch(sa.MetaData()).flowdetails
        states = {}
        with self._query() as c:
            for by_flow, chunk in _chunks(job_ids):
                q = sa.select(table.c.uuid, table.c.state).where(
                    table.c.uuid.in_(chunk))
                for row in c.execute(q):
                    states[by_flow[row.uuid]] = row.state
        return states

    def flow_details(self, job_ids, atom_name):
        """``{job_id: flow detail}`` of many jobs, two queries per chunk.

        Each flow detail (its state and meta) holds only the atoms an
        outcome is read from: the one named ``atom_name`` (a child's
        result) and those that failed. A 10,000-target campaign's ``job
        show`` reads its children so, not one flow detail (and every
        atom) at a time.
        """
        table = tf_tables.fetch(sa.MetaData())
        flows = {}
        with self._query() as c:
            for by_flow, chunk in _chunks(job_ids):
                q = sa.select(table.flowdetails).where(
                    table.flowdetails.c.uuid.in_(chunk))
                for row in c.execute(q):
                    fd = models.FlowDetail.from_dict(dict(row._mapping))
                    flows[by_flow[fd.uuid]] = fd
                ad = table.atomdetails
                # A failure survives its atom's revert. (PostgreSQL keeps
                # "no failure" as JSON null, not SQL NULL: the states
                # narrow the rows, the failure itself is checked here.)
                q = sa.select(ad).where(
                    ad.c.parent_uuid.in_(chunk),
                    sa.or_(ad.c.name == atom_name,
                           ad.c.state.in_(FAILED_ATOM_STATES))
                ).order_by(ad.c.created_at)
                for row in c.execute(q):
                    row = dict(row._mapping)
                    job_id = by_flow[row.pop('parent_uuid')]
                    atom_cls = models.atom_detail_class(row.pop('atom_type'))
                    atom = atom_cls.from_dict(row)
                    if atom.name == atom_name or atom.failure is not None:
                        flows[job_id].add(atom)
        return flows

    def atoms(self, job_id):
        """The atom details of a job's flow (results and failures)."""
        return list(self.get_flow(job_id, with_atoms=True))
