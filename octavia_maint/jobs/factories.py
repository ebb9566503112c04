"""The flow factories a saved job names, and the names older jobs saved.

A job's flow detail names the factory that rebuilds its flow (TaskFlow's
``meta['factory']``); conductors and ``job resume`` import it by that
name. The campaign factories moved from ``jobs/campaign.py`` to
``flows/campaign.py`` (issue 12): jobs posted before keep their old name
in the database, so it is translated on load, and the next state save
writes the new one.
"""

from taskflow import engines

CAMPAIGN_FACTORY = 'octavia_maint.flows.campaign.campaign_flow_factory'
CHILD_FACTORY = 'octavia_maint.flows.campaign.child_flow_factory'

# Factory names saved by earlier releases: the factory that replaced each.
RENAMED = {
    'octavia_maint.jobs.campaign.campaign_flow_factory': CAMPAIGN_FACTORY,
    'octavia_maint.jobs.campaign.child_flow_factory': CHILD_FACTORY,
}


def upgrade(flow_detail):
    """Point ``flow_detail`` at the current name of its factory.

    :returns: the flow detail, changed in place.
    """
    factory = flow_detail.meta.get('factory')
    if factory and factory.get('name') in RENAMED:
        flow_detail.meta['factory'] = dict(
            factory, name=RENAMED[factory['name']])
    return flow_detail


def rebuild(flow_detail):
    """The (unrun) flow a saved job was posted with."""
    return engines.flow_from_detail(upgrade(flow_detail))
