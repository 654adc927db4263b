"""A conformance scenario: a VG built with real LVM commands + one command.

Commands are written as the user types them, with placeholders: {vg} for the
VG name and {pv0}, {pv1}, ... for the devices in VG order. Setup steps:

  ("fill", {pv: [(a, b), ...]})  one filler LV occupying exactly these
                                 inclusive PE ranges (lvcreate on ranges)
  ("punch", {pv: [(a, b), ...]}) a filler over these ranges that is
                                 lvremove'd before the next "lvm" step (or
                                 at the end), so free space is made by removal
  ("lvm", [argv])                any lvm command (lvcreate gets -an -Zn)
"""

MIB = 1024 * 1024
UNITS = {"k": 1024, "m": MIB, "g": 1024 * MIB}


def size_bytes(text):
    return int(text[:-1]) * UNITS[text[-1]]


class Scenario:
    def __init__(self, slug, description, pvs, command, setup=(), config="",
                 extent="1m", vg_options=()):
        self.slug = slug
        self.description = description
        self.pvs = list(pvs)          # pe_count of each PV, VG order
        self.command = list(command)
        self.setup = list(setup)
        self.config = config
        self.extent = extent          # vgcreate -s
        self.vg_options = list(vg_options)

    def device_sizes(self):
        # pe_start is 1 MiB (default data alignment) for every extent size we use.
        ext = size_bytes(self.extent)
        return [MIB + n * ext for n in self.pvs]


def free_to_used(pe_count, free_runs):
    """Complement of inclusive free runs inside [0, pe_count)."""
    used, pos = [], 0
    for a, b in sorted(free_runs):
        if a > pos:
            used.append((pos, a - 1))
        pos = max(pos, b + 1)
    if pos < pe_count:
        used.append((pos, pe_count - 1))
    return used


def layout(pvs, free):
    """Setup steps that leave exactly `free` ({pv: [(a, b)]}) free; PVs not
    in `free` stay empty unless listed with []."""
    used = {}
    for i, runs in free.items():
        u = free_to_used(pvs[i], runs)
        if u:
            used[i] = u
    return [("fill", used)] if used else []


def lvcreate(*args):
    return ("lvm", ["lvcreate"] + list(args))


def lvm(*args):
    return ("lvm", list(args))
