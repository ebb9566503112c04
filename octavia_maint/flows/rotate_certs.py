"""rotate-certs: give amphorae new certificates, or a new CA.

The guide's "Rotating Cryptographic Certificates", three modes:

``amphora-certs``
    New amphora certificates from the same CA. Plan: the load balancers
    in scope; read the original ``cert_expiration`` of their amphorae in
    Octavia's database and move it into the past in one transaction, so
    Octavia's housekeeping renews them (revert restores the dates not
    renewed yet). Per load balancer: watch the API until every amphora is
    out of rotation (``cert_busy`` false) with a later date. With
    ``--via-failover``: fail each load balancer over instead.
``client-ca``
    A new client CA ([controller_worker] client_ca, put on every new
    amphora) with the controller's new client certificate
    ([haproxy_amphora] client_cert) issued by it.
``ca``
    A new server CA: Octavia issues amphora certificates with it
    ([certificates] ca_certificate, ca_private_key) and the controller
    checks them with it ([haproxy_amphora] server_ca).

In both CA modes the files are checked with ``cryptography`` before
anything is posted; a gate then says exactly what to deploy and restart;
then every load balancer with amphorae is failed over (throttled, fenced,
verified: none of its amphorae is left), so each amphora carries the new
files. ``ca`` ends at a second gate: drop the old CA from server_ca.

Children are per load balancer in every mode: a failover acts on a load
balancer, so all modes share one target shape (and ``job show`` lists
load balancers, as for rotate-image); by housekeeping a child watches all
amphorae of its load balancer.
"""

import os

from oslo_log import log as logging
from taskflow.patterns import linear_flow

from octavia_maint.common import certificates
from octavia_maint.common import constants
from octavia_maint.common import exceptions
from octavia_maint import conf
from octavia_maint.flows import procedure
from octavia_maint.tasks import certificate_tasks
from octavia_maint.tasks import gate_tasks
from octavia_maint.tasks import load_balancer_tasks
from octavia_maint.tasks import preflight_tasks

LOG = logging.getLogger(__name__)
CONF = conf.CONF

AMPHORA_CERTS = 'amphora-certs'
CLIENT_CA = 'client-ca'
CA = 'ca'
MODES = (AMPHORA_CERTS, CLIENT_CA, CA)
RESTART = ('restart octavia-worker, octavia-health-manager and '
           'octavia-housekeeping (not octavia-api)')


class RotateCerts(procedure.Procedure):
    name = constants.ROTATE_CERTS
    description = ('Renew the amphora certificates (through Octavia\'s '
                   'housekeeping or by failover), or deploy a new client CA '
                   'or server CA and fail every amphora over onto it.')
    parameters = (
        procedure.Parameter('mode', 'What to rotate: amphora-certs (new '
                            'amphora certificates), client-ca or ca.',
                            default=AMPHORA_CERTS,
                            metavar='{%s}' % ','.join(MODES)),
        procedure.Parameter('via_failover', 'amphora-certs: fail the load '
                            'balancers over instead of having Octavia\'s '
                            'housekeeping renew the certificates.',
                            kind=bool, default=False),
        procedure.Parameter('ca_cert', 'client-ca, ca: the new CA '
                            'certificate (PEM).', metavar='<file>'),
        procedure.Parameter('ca_key', 'ca (optional for client-ca): the new '
                            'CA\'s private key (PEM); checked against the '
                            'certificate, never saved. An encrypted key '
                            'is opened with the passphrase in $%s.'
                            % certificates.PASSPHRASE_ENV,
                            metavar='<file>'),
        procedure.Parameter('client_cert', 'client-ca: the controller\'s new '
                            'client certificate with its key (PEM), issued '
                            'by the new CA.', metavar='<file>'),
        procedure.Parameter('warn_days', 'Warn when a new certificate '
                            'expires within this many days.', kind=int,
                            default=30, metavar='<days>'),
    ) + procedure.LOAD_BALANCER_SCOPE + (
        procedure.VERIFY_TRAFFIC,) + procedure.CANARY
    child_inputs = (constants.INCLUDE_ERROR, constants.CERT_ROTATION,
                    constants.VERIFY_TRAFFIC)
    target_key = constants.LB_ID
    plan_atom = constants.ROTATE_CERTS_SELECT
    result_atom = constants.ROTATE_CERTS_VERIFY
    # CheckScopeCertificates, by failover and in the CA modes.
    compares_creation_times = True
    left_by_failure = (
        'amphorae that got new certificates keep them; by housekeeping, the '
        'certificates still expired by this job stay expired, so Octavia\'s '
        'housekeeping goes on renewing them; in the CA modes the files you '
        'deployed stay deployed.')
    left_by_cancel = (
        'by housekeeping, the certificates not renewed yet get their '
        'original expiry date back; renewed certificates and failed-over '
        'amphorae stay (neither can be undone), and in the CA modes '
        'restoring the previous CA files is yours to do.')

    def check(self, params):
        mode = params['mode']
        if mode not in MODES:
            raise exceptions.InvalidInput(
                reason='--mode must be one of %s, not %r'
                % (', '.join(MODES), mode))
        procedure.check_scope(params)
        procedure.check_canary(params, failover=(
            self._rotation(params) == constants.CERTS_BY_FAILOVER))
        for name in ('ca_cert', 'ca_key', 'client_cert'):
            if params[name]:
                # Saved with the job: the gate names the files to deploy.
                params[name] = os.path.abspath(params[name])
        if mode == AMPHORA_CERTS:
            given = [p.option for p in self.parameters
                     if p.name in ('ca_cert', 'ca_key', 'client_cert')
                     and params[p.name]]
            if given:
                raise exceptions.InvalidInput(
                    reason='amphora-certs keeps the CA; %s is for --mode '
                           'client-ca or ca' % ', '.join(given))
            return
        self._check_ca_mode(params)

    def _check_ca_mode(self, params):
        mode = params['mode']
        if params['via_failover']:
            raise exceptions.InvalidInput(
                reason='--via-failover is for amphora-certs; %s always '
                       'fails every amphora over' % mode)
        if params['project_id'] or params['load_balancer_ids']:
            raise exceptions.InvalidInput(
                reason='a new CA must reach every amphora: %s takes no '
                       '--project-id or --load-balancer' % mode)
        needed = {CA: ('ca_cert', 'ca_key'),
                  CLIENT_CA: ('ca_cert', 'client_cert')}[mode]
        for name in needed:
            if not params[name]:
                raise exceptions.InvalidInput(
                    reason='--mode %s needs %s' % (mode,
                                                   procedure.known_opt(name)))
        if mode == CA and params['client_cert']:
            raise exceptions.InvalidInput(
                reason='--client-cert is for --mode client-ca')
        summary, warnings = certificates.check_new_ca(
            params['ca_cert'], params['ca_key'], params['client_cert'],
            warn_days=params['warn_days'])
        for warning in warnings:
            LOG.warning('%s', warning)
        params['ca'] = summary

    def get_preflight_flow(self, params):
        flow = linear_flow.Flow(constants.PREFLIGHT_FLOW)
        flow.add(procedure.scope_preflight(params))
        if self._rotation(params) == constants.CERTS_BY_HOUSEKEEPING:
            flow.add(preflight_tasks.CheckOctaviaDatabase(
                name=constants.PREFLIGHT_OCTAVIA_DB))
        return flow

    def targets_of(self, params):
        return set(params['load_balancer_ids'])

    def fails_over(self, params):
        return self._rotation(params) == constants.CERTS_BY_FAILOVER

    def estimate(self, params, targets, throttle, failover_times):
        if self._rotation(params) != constants.CERTS_BY_HOUSEKEEPING:
            return super().estimate(params, targets, throttle,
                                    failover_times)
        to_run = len(targets)
        # Housekeeping renews every expired certificate in its next run,
        # whatever the fleet's size: the wait is one of its intervals.
        interval = CONF.octavia.cert_interval
        return {'rounds': 1 if to_run else 0,
                'estimated_seconds': interval if to_run else 0,
                'notes': "Octavia's housekeeping renews the expired "
                         "certificates in its next run, at most %d s away "
                         "([octavia] cert_interval, as its [house_keeping] "
                         "cert_interval); the job waits for it." % interval}

    def campaign_store(self, params):
        return {constants.INCLUDE_ERROR: params['include_error'],
                constants.CERT_ROTATION: self._rotation(params)}

    def child_params(self, params):
        # Housekeeping renews certificates in place: nothing fails over.
        return {constants.VERIFY_TRAFFIC: (
            procedure.traffic_inputs(params)[constants.VERIFY_TRAFFIC] and
            self._rotation(params) == constants.CERTS_BY_FAILOVER)}

    def canary_subject(self, params, child_inputs):
        if params['mode'] == AMPHORA_CERTS:
            return 'with new amphora certificates'
        return 'with the new %s %s' % (
            'client CA' if params['mode'] == CLIENT_CA else 'CA',
            params['ca_cert'])

    @staticmethod
    def _rotation(params):
        if params['mode'] == AMPHORA_CERTS and not params['via_failover']:
            return constants.CERTS_BY_HOUSEKEEPING
        return constants.CERTS_BY_FAILOVER

    def get_plan_flow(self, params, dry_run=False):
        flow = linear_flow.Flow(constants.ROTATE_CERTS_PLAN_FLOW)
        flow.add(certificate_tasks.SelectLoadBalancersForCertificates(
            name=constants.ROTATE_CERTS_SELECT, provides=constants.TARGETS,
            inject={constants.PROJECT_ID: params['project_id'],
                    constants.LOAD_BALANCER_IDS: params['load_balancer_ids']}))
        if dry_run:
            return flow
        if self._rotation(params) == constants.CERTS_BY_HOUSEKEEPING:
            flow.add(certificate_tasks.ExpireAmphoraCertificates(
                name=constants.ROTATE_CERTS_EXPIRE))
        elif params['mode'] != AMPHORA_CERTS:
            flow.add(self._gate(constants.ROTATE_CERTS_DEPLOY_GATE,
                                'deploy-' + params['mode'],
                                deploy_instructions(params)))
        return flow

    def get_finish_flow(self, params):
        if params['mode'] != CA:
            return None
        return self._gate(
            constants.ROTATE_CERTS_SERVER_CA_GATE, 'server-ca-new-only',
            'If job show lists every load balancer as succeeded, set '
            '[haproxy_amphora] server_ca to the new CA %s alone on every '
            'Octavia controller and %s; otherwise keep the bundle until the '
            'rest are failed over (job resume).'
            % (params['ca_cert'], RESTART))

    def get_scope_check(self, params):
        return certificate_tasks.CheckScopeCertificates(
            name=constants.ROTATE_CERTS_CHECK_SCOPE,
            inject={constants.PROJECT_ID: params['project_id'],
                    constants.LOAD_BALANCER_IDS: params['load_balancer_ids']})

    @staticmethod
    def _gate(name, gate, instructions):
        return gate_tasks.WaitForOperator(
            name=name, inject={constants.GATE: gate,
                               constants.INSTRUCTIONS: instructions})

    def get_target_flow(self, target_id):
        flow = linear_flow.Flow(constants.ROTATE_CERTS_TARGET_FLOW)
        flow.add(
            load_balancer_tasks.SnapshotLoadBalancer(
                name=constants.ROTATE_CERTS_SNAPSHOT,
                provides=constants.LB_SNAPSHOT),
            certificate_tasks.RenewLoadBalancerCertificates(
                name=constants.ROTATE_CERTS_RENEW,
                provides=constants.RENEW_OUTCOME),
            certificate_tasks.VerifyCertificatesRenewed(
                name=constants.ROTATE_CERTS_VERIFY,
                provides=constants.TARGET_RESULT))
        return flow


def deploy_instructions(params):
    """What the operator must deploy before the failovers (one gate)."""
    ca = params['ca']
    if params['mode'] == CLIENT_CA:
        return ('On every Octavia controller set [controller_worker] '
                'client_ca = %s (SHA-256 %s) and [haproxy_amphora] '
                'client_cert = %s, then %s; amphorae not yet failed over '
                'cannot be controlled until theirs is.'
                % (params['ca_cert'], ca['sha256_fingerprint'],
                   params['client_cert'], RESTART))
    return ('On every Octavia controller set [certificates] ca_certificate '
            '= %s (SHA-256 %s) and ca_private_key = %s (with '
            'ca_private_key_passphrase if encrypted), and make '
            '[haproxy_amphora] server_ca a bundle of the new and the old '
            'CA certificates, then %s.'
            % (params['ca_cert'], ca['sha256_fingerprint'], params['ca_key'],
               RESTART))
