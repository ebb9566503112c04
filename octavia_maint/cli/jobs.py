"""``octavia-maint job ...``: post, list, show, watch, cancel, continue and
resume jobs.

Each command maps its arguments, makes one ``JobService`` call (through
``shell.job_service``, under ``octavia-maint`` and ``openstack`` alike)
and returns ``(columns, data)``; following a job to its end is
``progress.follow``'s job.
"""

from cliff import show
from cliff import lister

from octavia_maint.cli import constants
from octavia_maint.cli import formatters
from octavia_maint.cli import procedure_options
from octavia_maint.cli import progress
from octavia_maint.cli import rehearsal
from octavia_maint.cli import shell
from octavia_maint.common import constants as common_constants
from octavia_maint.flows import registry


class _JobCommand(shell.ExitCodeOfTheJob, show.ShowOne):
    """A command on one job, named by its ID."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('job_id', metavar='<job-id>', help='Job (ID).')
        return parser


def _add_wait(parser):
    parser.add_argument(
        '--wait', action='store_true', default=False,
        help='Wait until the job ends, showing its progress. In local mode '
             'the job always runs in this process until it ends.')


class PostJob(shell.ExitCodeOfTheJob, show.ShowOne):
    """Post a maintenance job (see "procedure list" for procedures)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            'procedure', metavar='<procedure>',
            help='Procedure to run, e.g. rotate-image.')
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            '--dry-run', action='store_true', default=False,
            help='Show the targets in order, what the job would do to each '
                 'and an estimate of its duration; post nothing.')
        mode.add_argument(
            '--rehearse', action='store_true', default=False,
            help='Run the job on a private simulator serving a snapshot of '
                 'this cloud, time sped up, and show what the real run '
                 'would do: targets, skips, waves, gates, expected '
                 'duration, peak concurrency, warnings. Only reads the '
                 'cloud; posts nothing.')
        _add_wait(mode)
        parser.add_argument(
            '--force', action='store_true', default=False,
            help='Post even if an unfinished job of this procedure covers '
                 'the same targets, or the cloud looks wrong for the job '
                 '(e.g. evacuate-host on a host Nova lists no amphora on '
                 'while it does not know some amphorae\'s servers).')
        procedure_options.add_procedure_options(parser)
        procedure_options.refuse_in_one_line(parser)
        return parser

    def take_action(self, parsed_args):
        params = procedure_options.given_params(parsed_args)
        if parsed_args.rehearse:
            # Not this invocation's JobService: the real job database and
            # board stay untouched.
            result = rehearsal.rehearse(
                shell.connection(self.app), parsed_args.procedure, params,
                force=parsed_args.force)
            return constants.REHEARSAL_ROWS, formatters.row(
                result, constants.REHEARSAL_ROWS, formatters.REHEARSAL)
        service = shell.job_service(self.app)
        # An unknown procedure is the service's to refuse.
        proc = registry.PROCEDURES.get(parsed_args.procedure)
        unconfirmed = proc and proc.confirmation_needed(params)
        if parsed_args.dry_run or unconfirmed:
            plan = service.plan(parsed_args.procedure, params)
            if unconfirmed:
                self.app.stderr.write(unconfirmed + '\n')
            return constants.PLAN_ROWS, formatters.row(
                plan, constants.PLAN_ROWS, formatters.PLAN)
        job_id = service.post(parsed_args.procedure, params,
                              force=parsed_args.force)
        view = progress.follow(self.app, job_id, parsed_args.wait)
        if view is None:
            return constants.JOB_POSTED_ROWS, (job_id,)
        return formatters.job_output(view)


class ListJob(lister.Lister):
    """List jobs (campaigns; --all adds their per-target child jobs)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--state', metavar='{%s}' % ','.join(common_constants.JOB_STATES),
            choices=common_constants.JOB_STATES, type=str.lower,
            help='Only jobs in this state.')
        parser.add_argument(
            '--all', action='store_true', default=False,
            help='Include the child jobs campaigns post (one per target).')
        parser.add_argument(
            '--long', action='store_true', default=False,
            help='List additional fields in output.')
        return parser

    def take_action(self, parsed_args):
        names = (constants.JOB_COLUMNS_LONG if parsed_args.long
                 else constants.JOB_COLUMNS)
        views = shell.job_service(self.app).list(
            state=parsed_args.state, include_children=parsed_args.all)
        return names, (formatters.row(v, names, formatters.JOB)
                       for v in views)


class ShowJob(_JobCommand):
    """Show a job: its state, who runs it, progress, ETA and every target."""

    def take_action(self, parsed_args):
        return formatters.job_output(
            shell.job_service(self.app).show(parsed_args.job_id))


class WatchJob(_JobCommand):
    """Show a job's progress until it ends, then show the job."""

    def take_action(self, parsed_args):
        return formatters.job_output(
            progress.watch(self.app, parsed_args.job_id))


class CancelJob(_JobCommand):
    """Cancel a job (also a failed one): it stops and reverts what it did."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_wait(parser)
        return parser

    def take_action(self, parsed_args):
        service = shell.job_service(self.app)
        job_id = parsed_args.job_id
        view = service.cancel(job_id)
        if service.backend.local and view['conductor']:
            # The local process running the job reverts it by itself.
            followed = (progress.watch(self.app, job_id)
                        if parsed_args.wait else None)
        else:
            # Nobody runs it locally: the revert runs here.
            followed = progress.follow(self.app, job_id, parsed_args.wait)
        if followed and followed['state'] == common_constants.JOB_CANCELLED:
            # What was asked for: not a failure of this command.
            self.app.exit_code = constants.EXIT_OK
        return formatters.job_output(followed or service.view(job_id))


class ContinueJob(_JobCommand):
    """Release the gate a job waits at, once you did what it asks."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_wait(parser)
        return parser

    def take_action(self, parsed_args):
        service = shell.job_service(self.app)
        job_id = parsed_args.job_id
        view = service.continue_job(job_id)
        if service.backend.local and view['conductor']:
            # The local process that waited at the gate goes on by itself.
            followed = (progress.watch(self.app, job_id)
                        if parsed_args.wait else None)
        else:
            followed = progress.follow(self.app, job_id, parsed_args.wait)
        return formatters.job_output(followed or service.view(job_id))


class ResumeJob(_JobCommand):
    """Resume a failed, cancelled or interrupted job from its saved state."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        _add_wait(parser)
        return parser

    def take_action(self, parsed_args):
        view = shell.job_service(self.app).resume(parsed_args.job_id)
        return formatters.job_output(
            progress.follow(self.app, parsed_args.job_id, parsed_args.wait)
            or view)
