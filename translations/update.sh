#!/usr/bin/env bash
# Re-extract our strings, merge them into the catalogues and compile: run from the project root.
set -euo pipefail
pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext -o translations/messages.pot \
  --ignore-dirs=.venv --ignore-dirs=tests --ignore-dirs=bench --ignore-dirs=migrations --no-location . >/dev/null
pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width 120 >/dev/null
pybabel compile -d translations --statistics
pybabel compile -D admin -d translations -l ru  # our additions to Flask-Admin's catalogue
