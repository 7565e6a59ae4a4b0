#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# stall-send - a caller that never makes room for the helper's reply
#
# Usage: stall-send.py HELPER PARTNER [READY_FILE]
#
# Runs HELPER as qemu does (--use-vnet --fd=N --br=PARTNER) but first fills
# the helper's end of the socketpair with bytes nobody will read, so the
# helper's SCM_RIGHTS send cannot complete. Touches READY_FILE once the
# helper runs, then prints the helper's stderr and exits with its status.
import os, socket, subprocess, sys

helper, partner = sys.argv[1], sys.argv[2]
ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
theirs.setblocking(False)
try:
    while True:
        theirs.send(b"x" * 4096)
except BlockingIOError:
    pass
theirs.setblocking(True)
fd = theirs.fileno()
os.set_inheritable(fd, True)
proc = subprocess.Popen([helper, "--use-vnet", f"--fd={fd}", f"--br={partner}"],
                        pass_fds=(fd,), stderr=subprocess.PIPE)
theirs.close()
if len(sys.argv) > 3:
    open(sys.argv[3], "w").close()
err = proc.stderr.read().decode(errors="replace")
sys.stderr.write(err)
sys.exit(proc.wait())
