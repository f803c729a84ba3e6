"""``spinelib settings [NAME [VALUE]]``: the settings file from a terminal.

Without a window the settings could only be changed through the environment (``SPINELIB_*``,
one session) or by editing ``settings.json``; a surgeon setting up a clinic machine over SSH,
or a script, sets them here, with the same checks the Preferences dialog's widgets make
(:func:`spinelib.settingvalues.with_value`). Only the stored values are read and written:
an environment override is named, never saved.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace

from spinelib import paths
from spinelib import settings as settings_mod
from spinelib.settings import ENV_OVERRIDES
from spinelib.settingvalues import check_name, setting_names, shown, with_value


def cmd_settings(args: argparse.Namespace) -> int:
    path = paths.settings_path()
    stored = settings_mod.load(path, env={})
    overridden = {name: var for var, name in ENV_OVERRIDES.items() if os.environ.get(var)}
    if args.value is not None:
        changed = with_value(stored, args.name, args.value)
        # Read again just before writing: a window may have saved meanwhile (recent libraries).
        latest = settings_mod.load(path, env={})
        settings_mod.save(replace(latest, **{args.name: getattr(changed, args.name)}), path)
        print(f"{args.name} = {shown(changed, args.name)} (saved in {path})")
        if args.name in overridden:
            print(f"note: {overridden[args.name]} is set in the environment and takes "
                  "precedence while it is")
        return 0
    for name in [check_name(args.name)] if args.name else setting_names():
        line = f"{name} = {shown(stored, name)}"
        if name in overridden:
            line += f"   ({overridden[name]} overrides it in this environment)"
        print(line)
    return 0
