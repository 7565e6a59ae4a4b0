# SPDX-License-Identifier: GPL-2.0-or-later
"""The "tcwire" connection mode for vrnetlab's common/vrnetlab.py.

contrib/vrnetlab/apply.sh puts this file next to vrnetlab.py and adds a
four-line hook at its end (an import and a call of install() with the
vrnetlab module, between two marker comments). Nothing changes for the
other modes ("tc", "vrxcon", ...): every method installed here hands over
to vrnetlab's own code unless the VM's conn_mode (launch.py's
--connection-mode, containerlab's CONNECTION_MODE) is "tcwire".

Theory of operation. vrnetlab's VM.start() joins self.qemu_args, the
management NIC (gen_mgmt) and the data NICs (gen_nics) into one shell
command and runs it as root. In mode tcwire:

- gen_nics() still waits for the container's links with vrnetlab's own
  nic_provision_delay(), so that vrnetlab's 60 s wait for qemu's monitor
  starts when the links are there, as in mode tc; then it returns no NIC:
  tcwire-qemu appends one per data interface, each a tap that tcwire-helper
  wired to its interface with tc u32 + mirred (no cls_flower needed), and
  keeps following the links (carrier, re-created partners, late links);
- gen_dummy_nics() returns nothing: min_dp_nics becomes tcwire-qemu's
  --slots, positions with a real tap, link down until their link appears;
- start() puts "setpriv ... tcwire-qemu OPTIONS --" in front of the qemu
  binary (qemu_args[0], the first word of that shell command), so qemu runs
  as an ordinary user (TCWIRE_USER) with no capability, and tcwire-qemu
  stays its parent. Once gen_mgmt and gen_nics passed the checks below,
  the disks on qemu's command line (-drive file=, which vrnetlab made as
  root) are given to that user and its forwarded ports made bindable.

What cannot work for an unprivileged qemu is refused before anything is
started, with one line: a launch.py that gives qemu a tap or bridge netdev
of its own (qemu would have to create it as root), management passthrough
(tc flower on eth0), a VM whose NICs start at another interface than
PREFIX1 (line cards), and host-forwarded ports that the user may not bind.

Settings (environment): TCWIRE_USER (vr), TCWIRE_QEMU (tcwire-qemu),
TCWIRE_HELPER (the installed helper), TCWIRE_SLOTS (NIC positions to boot
with; default CLAB_INTFS or the NOS's min_dp_nics, whichever is higher),
TCWIRE_PARTNER_MAC (1: each NIC gets its container interface's MAC),
TCWIRE_MAC_SEED, TCWIRE_WAIT_TIMEOUT (300).
"""

import os
import pwd
import re
import shlex
import sys

MODE = "tcwire"
PREFIX = "vrnetlab tcwire mode"


class Refused(SystemExit):
    """tcwire mode cannot run this VM: the one line says why"""

    def __init__(self, vm, reason):
        super().__init__(f"{PREFIX}: {vm}: {reason}")


def in_mode(vm):
    """Whether @vm runs in mode tcwire"""
    return getattr(vm, "conn_mode", None) == MODE


def run_user():
    """The user qemu runs as: (uid, gid) of TCWIRE_USER (name or number)"""
    name = os.environ.get("TCWIRE_USER", "vr")
    try:
        pw = pwd.getpwuid(int(name)) if name.isdigit() else pwd.getpwnam(name)
    except (KeyError, ValueError):
        raise SystemExit(f"{PREFIX}: TCWIRE_USER={name}: no such user") from None
    if pw.pw_uid == 0:
        raise SystemExit(f"{PREFIX}: TCWIRE_USER={name}: qemu must not run as root")
    return pw.pw_uid, pw.pw_gid


def check_can_switch(vm, uid):
    """Refuse unless this process may become @uid (setpriv needs CAP_SETUID
    and CAP_SETGID; vrnetlab's launch.py runs as root)"""
    with open("/proc/self/status") as f:
        eff = next(int(line.split()[1], 16) for line in f if line.startswith("CapEff:"))
    if eff & (1 << 6) and eff & (1 << 7):
        return
    raise Refused(vm, f"cannot start qemu as uid {uid}: this process lacks CAP_SETUID/"
                  "CAP_SETGID (run the container with the default capabilities)")


def foreign_netdevs(args):
    """The netdevs in @args that qemu would have to create itself as root:
    taps (not fd= ones) and qemu bridge-helper netdevs"""
    found = []
    for i, a in enumerate(args):
        words = a.split()
        if a == "-netdev" and i + 1 < len(args):
            spec = args[i + 1]
        elif len(words) == 2 and words[0] == "-netdev":
            spec = words[1]		# "-netdev tap,..." in one element
        else:
            continue
        kind = spec.split(",", 1)[0]
        if kind == "bridge" or (kind == "tap" and ",fd=" not in spec and ",fds=" not in spec):
            m = re.search(r"(?:ifname|br)=([^,]+)", spec)
            found.append(f"{kind} {m.group(1) if m else spec}")
    return found


def forwarded_ports(args):
    """Host ports of the user-network forwards (hostfwd=tcp:ADDR:PORT-...)"""
    ports = []
    for a in args:
        ports += [int(p) for p in re.findall(r"hostfwd=(?:tcp|udp)?:[^:,]*:(\d+)-", a)]
    return ports


def allow_ports(vm, ports):
    """Let the unprivileged qemu bind @ports: lower the network namespace's
    ip_unprivileged_port_start (Docker sets it to 0 anyway) or refuse"""
    path = "/proc/sys/net/ipv4/ip_unprivileged_port_start"
    if not ports or not os.path.exists(path):
        return
    with open(path) as f:
        start = int(f.read())
    low = min(ports)
    if low >= start:
        return
    try:
        with open(path, "w") as f:
            f.write(str(low))
    except OSError as e:
        raise Refused(vm, f"qemu runs unprivileged and cannot bind forwarded port {low}: "
                      f"net.ipv4.ip_unprivileged_port_start is {start} and cannot be "
                      f"lowered ({e.strerror}); run the container with "
                      "--sysctl net.ipv4.ip_unprivileged_port_start=0") from None
    vm.logger.info(f"{PREFIX}: net.ipv4.ip_unprivileged_port_start {start} -> {low}")


def checked_mgmt(vm, gen_mgmt):
    """vrnetlab's (or the NOS's) gen_mgmt, refused if it needs privileges"""
    if vm.mgmt_passthrough:
        raise Refused(vm, "management passthrough (CLAB_MGMT_PASSTHROUGH) redirects eth0 "
                      "with tc flower; tcwire never wires eth0: use the host-forwarded "
                      "management (CLAB_MGMT_PASSTHROUGH=false)")
    res = gen_mgmt()
    bad = foreign_netdevs(res)
    if bad:
        raise Refused(vm, f"its launch.py gives qemu a netdev of its own ({', '.join(bad)}), "
                      "which an unprivileged qemu cannot create; use mode tc")
    vm.tcwire_ports = forwarded_ports(res)
    return res


def checked_nics(vm, gen_nics, uid, gid):
    """The NOS's own gen_nics (when it overrides vrnetlab's), refused if it
    makes taps; vrnetlab's own returns nothing in this mode. The last step
    before qemu runs (start() calls gen_mgmt, then gen_nics): once all is
    checked, the ports and disks are made ready for the user, not before"""
    res = gen_nics()
    bad = foreign_netdevs(res)
    if bad:
        raise Refused(vm, f"its launch.py makes its own data NICs ({', '.join(bad)}), "
                      "which an unprivileged qemu cannot create; use mode tc")
    allow_ports(vm, vm.tcwire_ports)
    give_disks(vm, uid, gid)
    return res


def slots(vm):
    """NIC positions to boot with: TCWIRE_SLOTS, else the higher of
    CLAB_INTFS and the NOS's min_dp_nics; never more than its num_nics"""
    want = os.environ.get("TCWIRE_SLOTS")
    if want is not None and not want.isdigit():
        raise Refused(vm, f"TCWIRE_SLOTS={want}: expected a number")
    n = int(want) if want else max(vm.num_provisioned_nics, vm.min_nics)
    if vm.num_provisioned_nics > vm.num_nics or n > vm.num_nics:
        raise Refused(vm, f"{max(n, vm.num_provisioned_nics)} NIC positions asked for "
                      f"(CLAB_INTFS, TCWIRE_SLOTS), but this NOS has {vm.num_nics}")
    return n


def kvm_groups(vm, uid):
    """setpriv's group option: the group of /dev/kvm when vrnetlab uses it
    (-enable-kvm whenever it exists), so that the user may open it"""
    if not os.path.exists("/dev/kvm"):
        return "--clear-groups"
    st = os.stat("/dev/kvm")
    if st.st_gid != 0 and st.st_mode & 0o060 == 0o060:
        return f"--groups={st.st_gid}"
    if st.st_mode & 0o006 == 0o006:
        return "--clear-groups"
    raise Refused(vm, f"qemu runs as uid {uid}, who may not open /dev/kvm (group {st.st_gid}, "
                  f"mode {st.st_mode & 0o777:04o}), and vrnetlab adds -enable-kvm: give "
                  "/dev/kvm a group of its own with rw (the host's kvm group) or mode 0666")


def wrapper_words(vm, uid, gid):
    """setpriv and tcwire-qemu with its options, to go before qemu"""
    words = ["setpriv", f"--reuid={uid}", f"--regid={gid}", kvm_groups(vm, uid),
             "--inh-caps=-all", "--ambient-caps=-all",
             os.environ.get("TCWIRE_QEMU", "tcwire-qemu"),
             f"--prefix={vm.data_intf_prefix}", f"--nic-model={vm.nic_type}",
             f"--slots={slots(vm)}",
             f"--wait-timeout={os.environ.get('TCWIRE_WAIT_TIMEOUT', '300')}"]
    for env, opt in (("TCWIRE_HELPER", "--helper"), ("TCWIRE_MAC_SEED", "--mac-seed")):
        if os.environ.get(env):
            words.append(f"{opt}={os.environ[env]}")
    if os.environ.get("TCWIRE_PARTNER_MAC", "").lower() in ("1", "true", "yes"):
        words.append("--partner-mac")
    return words + ["--"]


def give_disks(vm, uid, gid):
    """chown the files of every -drive file= to the qemu user: vrnetlab made
    the overlays as root, and qemu writes to them"""
    args = vm.qemu_args
    for i, a in enumerate(args[:-1]):
        if a != "-drive":
            continue
        m = re.search(r"(?:^|,)file=([^,]+)", args[i + 1])
        if not m or not os.path.isfile(m.group(1)):
            continue
        try:
            os.chown(m.group(1), uid, gid)
        except OSError as e:
            raise Refused(vm, f"cannot give the disk {m.group(1)} to uid {uid}: {e.strerror} "
                          "(the container needs CAP_CHOWN)") from None


def start(vm, vrnetlab_start):
    """VM.start() in mode tcwire: vrnetlab's own start, with qemu run by
    tcwire-qemu as an ordinary user; refuses what cannot work"""
    if vm.start_nic_eth_idx != 1:
        raise Refused(vm, f"its NICs start at {vm.data_intf_prefix}{vm.start_nic_eth_idx} "
                      f"(a line card); tcwire-qemu numbers NIC K from "
                      f"{vm.data_intf_prefix}K: use mode tc")
    qemu = vm.qemu_args[0]
    if not qemu.startswith("qemu-system"):
        raise Refused(vm, f"qemu_args starts with {qemu!r}, not a qemu binary")
    uid, gid = run_user()
    check_can_switch(vm, uid)
    wrap = shlex.join(wrapper_words(vm, uid, gid))
    cls = type(vm)
    vm.tcwire_ports = []
    vm.gen_mgmt = lambda: checked_mgmt(vm, lambda: cls.gen_mgmt(vm))
    vm.gen_nics = lambda: checked_nics(vm, lambda: cls.gen_nics(vm), uid, gid)
    vm.logger.info(f"{PREFIX}: qemu runs as uid {uid} through: {wrap}")
    vm.qemu_args[0] = f"{wrap} {shlex.quote(qemu)}"
    try:
        vrnetlab_start(vm)
    finally:
        vm.qemu_args[0] = qemu
        del vm.gen_mgmt, vm.gen_nics


def install(vrnetlab):
    """Add mode tcwire to vrnetlab's VM class (called once, by the hook at
    the end of common/vrnetlab.py, with that module)"""
    VM = vrnetlab.VM
    if getattr(VM, "tcwire_installed", False):
        return
    own_start, own_nics, own_dummies = VM.start, VM.gen_nics, VM.gen_dummy_nics

    def tcwire_start(self):
        return start(self, own_start) if in_mode(self) else own_start(self)

    def tcwire_gen_nics(self):
        if not in_mode(self):
            return own_nics(self)
        self.nic_provision_delay()	# vrnetlab's wait for the links
        return []			# tcwire-qemu appends the data NICs

    def tcwire_gen_dummy_nics(self):
        return [] if in_mode(self) else own_dummies(self)

    VM.start = tcwire_start
    VM.gen_nics = tcwire_gen_nics
    VM.gen_dummy_nics = tcwire_gen_dummy_nics
    VM.tcwire_installed = True


if __name__ == "__main__":
    sys.exit("tcwire_vrnetlab.py is imported by vrnetlab.py (see contrib/vrnetlab/apply.sh)")
