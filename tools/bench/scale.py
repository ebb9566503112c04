"""A 10,000-load-balancer campaign: how soon it starts, how much memory.

INTRO: 10,000 load balancers in the simulator (the campaign plans them
all: one paginated listing of load balancers and one of amphorae), two
conductors, throttle 50. Measures the time from posting the job to the
first failover the cloud sees (target: at most 3 s, issue 13) and the
conductors' peak resident memory while the campaign runs (target: at
most 300 MB each). The campaign is cancelled after MEASURE_SECONDS:
finishing 10,000 failovers is the efficiency benchmark's subject, not
this one's.

Then ``job show`` of that campaign as if every target had finished
(target: under 2 s): each target without a finished child gets a copy of
the records of one the conductors finished (same atoms, same layout, new
ids), and ``JobService.show`` is timed over all 10,000.

Run: ``python3 tools/bench/scale.py [--lbs 10000]``.
"""

import argparse
import time

import cluster
import sqlalchemy as sa
from taskflow.persistence.backends.sqlalchemy import tables as tf_tables
from taskflow.persistence import models
from taskflow import states

from octavia_maint.common import constants
from octavia_maint.jobs import persistence

MEASURE_SECONDS = 60


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--lbs', type=int, default=10000)
    parser.add_argument('--throttle', type=int, default=50)
    parser.add_argument('--persistence', default='sqlite',
                        choices=('sqlite', 'mysql', 'postgresql'))
    args = parser.parse_args()
    fleet = {'load_balancers': args.lbs, 'hosts': 100,
             'failover_seconds': 2.0}
    with cluster.Cluster(fleet, 2, args.throttle,
                         persistence=args.persistence) as c:
        c.upload_new_image()
        posted = time.time()
        job_id = c.service.post(constants.ROTATE_IMAGE, {})
        first = None
        peak = 0.0
        deadline = time.monotonic() + MEASURE_SECONDS
        while time.monotonic() < deadline:
            peak = max(peak, c.peak_rss_mb())
            if first is None:
                audit = [e for e in c.sim('audit?since=0')['entries']
                         if e['path'].endswith('/failover')]
                if audit:
                    first = min(e['time'] for e in audit) - posted
            time.sleep(0.5)
        done = sum(c.sim('stats')['failovers_by_lb'].values())
        c.service.cancel(job_id)
        c.wait_done(job_id, timeout=600)
        # The children still reverting end too before records are copied.
        deadline = time.monotonic() + 600
        while c.service.backend.jobs_on_board() and \
                time.monotonic() < deadline:
            time.sleep(0.5)
        print('load balancers            %d' % args.lbs)
        print('persistence               %s' % args.persistence)
        print('post to first failover    %s' % (
            '%.1f s' % first if first is not None else 'none'))
        print('failovers in %ds          %d' % (MEASURE_SECONDS, done))
        print('conductor peak RSS        %.0f MB' % peak)
        show_seconds, targets = time_job_show(c.service, job_id)
        print('job show, %d finished    %.2f s' % (targets, show_seconds))


def time_job_show(service, job_id):
    """Finish every target on paper (copies of a real finished child),
    then time ``job show``; returns (seconds, targets shown)."""
    store = service.backend.store
    rows = service.show(job_id)['targets']
    finished = [r['target'] for r in rows
                if r['outcome'] == constants.OUTCOME_SUCCEEDED]
    model = persistence.child_id(job_id, finished[0])
    for row in rows:
        if row['outcome'] != constants.OUTCOME_SUCCEEDED:
            copy_child(store, model,
                       persistence.child_id(job_id, row['target']))
    started = time.perf_counter()
    view = service.show(job_id)
    seconds = time.perf_counter() - started
    assert view['counts'][constants.OUTCOME_SUCCEEDED] == len(rows), (
        view['counts'])
    return seconds, len(rows)


def copy_child(store, model_id, child_id):
    book = store.get_book(model_id)
    fd = store.get_flow(model_id, with_atoms=True)
    new_book = models.LogBook(book.name, uuid=child_id)
    new_book.meta = dict(book.meta)
    new_fd = models.FlowDetail(fd.name, persistence.flow_uuid(child_id))
    new_fd.meta, new_fd.state = dict(fd.meta), states.SUCCESS
    for atom in fd:
        copy = type(atom)(atom.name, '%s-%s' % (child_id, atom.name))
        copy.state, copy.results = atom.state, atom.results
        new_fd.add(copy)
    new_book.add(new_fd)
    # A child the cancel reverted would keep its atoms (and their
    # failures) beside the copy's: its records go first.
    tables = tf_tables.fetch(sa.MetaData())
    flow_id = persistence.flow_uuid(child_id)
    with store.backend.engine.begin() as c:
        c.execute(sa.delete(tables.atomdetails).where(
            tables.atomdetails.c.parent_uuid == flow_id))
        c.execute(sa.delete(tables.flowdetails).where(
            tables.flowdetails.c.uuid == flow_id))
        c.execute(sa.delete(tables.logbooks).where(
            tables.logbooks.c.uuid == child_id))
    with store._conn() as conn:
        conn.save_logbook(new_book)


if __name__ == '__main__':
    main()
