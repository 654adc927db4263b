"""A private LVM2 world on loop devices this process created.

Real LVM2 is pointed at an lvm.conf of our own (LVM_SYSTEM_DIR) whose
global_filter accepts only the loop devices of this sandbox, with a private
locking dir, so other people's LVM runs on the same machine are neither seen
nor blocked. Every device is detached again by close(), which the caller runs
from a finally block (signals are turned into exceptions by record.py).
"""

import os
import re
import shutil
import subprocess
import tempfile

MIB = 1024 * 1024

# stderr lines that exist only because activation is disabled (no
# device-mapper in this kernel) or because backups are switched off.
_NOISE = [
    re.compile(r"^\s*WARNING: Activation disabled\. No device-mapper interaction will be attempted\.$"),
    re.compile(r"^\s*WARNING: This metadata update is NOT backed up\.$"),
    re.compile(r"^\s*WARNING: Logical volume \S+ not zeroed\.$"),
    re.compile(r"^File descriptor \d+ .* leaked on \S+ invocation\."),
]


def drop_noise(lines):
    return [l for l in lines if not any(p.search(l) for p in _NOISE)]


class CommandFailed(RuntimeError):
    pass


class LvmResult:
    def __init__(self, argv, status, stdout, stderr):
        self.argv = argv
        self.status = status
        self.stdout = stdout
        self.stderr = stderr

    def check(self):
        if self.status != 0:
            raise CommandFailed("%s -> exit %d\n%s" % (" ".join(self.argv), self.status,
                                                         "\n".join(self.stderr)))
        return self


class Sandbox:
    """Loop devices + lvm.conf. Devices are reused between scenarios: a
    scenario calls use(sizes) which wipes and resizes the first len(sizes)
    devices and restricts the filter to exactly those."""

    def __init__(self, dm_shim=None):
        self.dm_shim = dm_shim
        self.dir = tempfile.mkdtemp(prefix="record-golden-")
        self.etc = os.path.join(self.dir, "etc")
        os.makedirs(self.etc)
        os.makedirs(os.path.join(self.dir, "lock"))
        self.loops = []   # (device, backing file): every loop device we created
        self.pool = []    # the PV devices among them, reused between scenarios
        self.active = []  # devices of the current scenario
        self.vg = None
        self.env = dict(os.environ)
        self.env["LVM_SYSTEM_DIR"] = self.etc
        self.env["LVM_SUPPRESS_FD_WARNINGS"] = "1"
        self.env["LC_ALL"] = "C"
        self.scratch = None
        if dm_shim:
            # tools/dmshim keeps its emulated dm table in DMSHIM_STATE and
            # sends every write to an "activated" LV to DMSHIM_SCRATCH, a loop
            # device of our own, never to a PV.
            self.env["LD_PRELOAD"] = dm_shim
            self.env["DMSHIM_STATE"] = os.path.join(self.dir, "dmshim-state")
            os.makedirs(self.env["DMSHIM_STATE"])
        self._write_conf([])

    # ---- configuration -------------------------------------------------
    def _write_conf(self, devices):
        accept = ", ".join('"a|^%s$|"' % re.escape(d) for d in devices)
        flt = "[ %s%s\"r|.*|\" ]" % (accept, ", " if accept else "")
        with open(os.path.join(self.etc, "lvm.conf"), "w") as f:
            f.write("devices { global_filter = %s obtain_device_list_from_udev = 0 "
                    "use_devicesfile = 0 }\n" % flt)
            f.write("activation { udev_sync = 0 udev_rules = 0 }\n")
            f.write("backup { backup = 0 archive = 0 }\n")
            f.write('global { locking_dir = "%s" }\n' % os.path.join(self.dir, "lock"))
            if self.dm_shim:
                f.write("activation { verify_udev_operations = 0 monitoring = 0 }\n")
                f.write("global { use_lvmpolld = 0 }\n")

    # ---- running lvm ---------------------------------------------------
    def lvm_argv(self, argv, config=""):
        """The real argv for a user-level command: the driverloaded switch
        (unless a device-mapper shim is preloaded) and --config are added
        right after the command name."""
        real = [argv[0]]
        if not self.dm_shim:
            real += ["--driverloaded", "n"]
        if config:
            real += ["--config", config]
        return real + list(argv[1:])

    def run(self, argv, config=""):
        real = self.lvm_argv(argv, config)
        p = subprocess.run(real, env=self.env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        return LvmResult(real, p.returncode, p.stdout.splitlines(),
                         drop_noise(p.stderr.splitlines()))

    def backup(self):
        """Full vgcfgbackup text of the current VG."""
        path = os.path.join(self.dir, "backup.vg")
        if os.path.exists(path):
            os.unlink(path)
        self.run(["vgcfgbackup", "-f", path, self.vg]).check()
        with open(path) as f:
            return f.read()

    # ---- devices -------------------------------------------------------
    def _sh(self, argv):
        subprocess.run(argv, check=True, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def _attach(self, name, size):
        """A new loop device over a sparse file; recorded in self.loops
        before anything else can fail, so close() always detaches it."""
        path = os.path.join(self.dir, name)
        with open(path, "w"):
            pass
        os.truncate(path, size)
        dev = subprocess.run(["losetup", "-f", "--show", path], check=True,
                             stdout=subprocess.PIPE,
                             universal_newlines=True).stdout.strip()
        if not dev.startswith("/dev/loop"):
            raise RuntimeError("losetup returned %r" % dev)
        self.loops.append((dev, path))
        return dev, path

    def use(self, sizes_bytes):
        """Provides len(sizes_bytes) blank loop devices of exactly these sizes."""
        self.wipe()
        if self.dm_shim and not self.scratch:
            self.scratch = self._attach("scratch.img", 64 * MIB)[0]
            self.env["DMSHIM_SCRATCH"] = self.scratch
        while len(self.pool) < len(sizes_bytes):
            self.pool.append(self._attach("pv%d.img" % len(self.pool), MIB))
        self.active = []
        for (dev, path), size in zip(self.pool, sizes_bytes):
            os.truncate(path, 0)  # zeroes the old content
            os.truncate(path, size)
            self._sh(["losetup", "-c", dev])
            self._sh(["blockdev", "--flushbufs", dev])  # no stale label in the page cache
            self.active.append(dev)
        self._write_conf(self.active)
        return list(self.active)

    def wipe(self):
        """Removes the scenario's VG and PV labels (only on our devices)."""
        if self.vg and self.active:
            self.run(["vgremove", "-ff", "-y", self.vg])
        if self.active:
            self.run(["pvremove", "-ff", "-y"] + self.active)
        self.active = []
        if self.dm_shim:  # forget the emulated dm devices of the last scenario
            state = self.env["DMSHIM_STATE"]
            shutil.rmtree(state, ignore_errors=True)
            os.makedirs(state)

    def close(self):
        try:
            self.wipe()
        finally:
            for dev, _ in self.loops:
                subprocess.run(["losetup", "-d", dev], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.loops = []
            shutil.rmtree(self.dir, ignore_errors=True)
