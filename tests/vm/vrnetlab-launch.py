#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A vrnetlab launch.py for tcwire's test guest (tests/vm/vrnetlab.sh).

Written for the test, in the shape of vrnetlab's per-NOS launch.py files:
a VM subclass of vrnetlab's common VM class (imported from vrnetlab.py next
to this file), a VR holding it, argparse with --connection-mode. The "NOS"
is the test guest (a Debian kernel and a busybox initramfs): its kernel,
initramfs and script go on qemu's command line; the disk vrnetlab insists
on (an overlay of --disk) is attached and left alone. The VM is "running"
when the guest prints TCW-GUEST-READY on the serial console (vrnetlab's
telnet port 5000); from then on the console is copied to stdout, which is
how the test sees what the guest reports.
"""

import argparse
import base64
import gzip
import logging
import os
import sys

import vrnetlab


class GuestVM(vrnetlab.VM):
    """The test guest, booted by vrnetlab's VM.start()"""

    def __init__(self, disk, guest, script, conn_mode):
        super().__init__("admin", "admin", disk_image=disk, ram=256, cpu="max")
        self.conn_mode = conn_mode
        self.nic_type = "virtio-net-pci"  # the guest has no e1000 driver
        self.num_nics = 8
        with open(script, "rb") as f:
            payload = base64.b64encode(gzip.compress(f.read(), mtime=0)).decode()
        # start() runs the command through bash: quote the one argument
        # with blanks, as vrnetlab's launch.py files do for -smbios
        append = f"console=ttyS0 quiet panic=-1 tcw.scriptgz={payload}"
        self.qemu_args.extend(["-kernel", f"{guest}/vmlinux",
                               "-initrd", f"{guest}/initrd.gz",
                               "-append", f'"{append}"', "-no-reboot"])

    def bootstrap_spin(self):
        """Wait (a second per call) for the guest to say it is ready"""
        _, match, out = self.tn.expect([b"TCW-GUEST-READY"], 1)
        self.write_to_stdout(out)
        if match:
            self.running = True
            self.logger.info("guest ready")

    def work(self):
        """vrnetlab's work(), then the console to stdout once running"""
        super().work()
        if self.running and self.tn is not None:
            try:
                self.write_to_stdout(self.tn.read_very_eager())
            except EOFError:
                self.tn = None


class Guest(vrnetlab.VR):
    """One test guest"""

    def __init__(self, disk, guest, script, conn_mode):
        super().__init__("admin", "admin")
        self.vms = [GuestVM(disk, guest, script, conn_mode)]


def main():
    """Parse the arguments as vrnetlab's launch.py files do, then run"""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--disk", required=True, help="disk image (qcow2)")
    parser.add_argument("--guest", required=True, help="test guest directory")
    parser.add_argument("--script", required=True, help="guest script")
    parser.add_argument("--connection-mode", default=os.getenv("CONNECTION_MODE", "tc"),
                        help="connection mode to use in the datapath")
    args = parser.parse_args()
    logging.basicConfig(format="%(asctime)s: %(module)-10s %(levelname)-8s %(message)s",
                        stream=sys.stderr)
    logging.getLogger().setLevel(logging.DEBUG)
    Guest(args.disk, args.guest, args.script, args.connection_mode).start()


if __name__ == "__main__":
    main()
