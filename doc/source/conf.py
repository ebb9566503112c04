"""Sphinx configuration of octavia-maint's documentation (tox -e docs).

The configuration reference is generated from the registered options
(oslo.config's ``show-options``) and the CLI reference from the cliff
commands (``autoprogram-cliff``), so neither can drift from the code.
"""

project = 'octavia-maint'
copyright = 'octavia-maint developers'

extensions = [
    'oslo_config.sphinxext',
    'cliff.sphinxext',
]

root_doc = 'index'
exclude_patterns = ['_build']
html_theme = 'alabaster'
# cliff's reference heads each command with the application's name.
autoprogram_cliff_application = 'octavia-maint'
