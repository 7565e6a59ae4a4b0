#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# tap-open - attach to an existing tap as libvirtd does, then run a command
#
# Usage: tap-open.py NAME single|multi -- COMMAND [ARGS...]
#
# Opens /dev/net/tun, TUNSETIFF NAME with IFF_TAP | IFF_NO_PI (plus
# IFF_MULTI_QUEUE for "multi"), and execs COMMAND with the fd inherited;
# an argument "{fd}" becomes its number. What libvirt does with a tap of
# <target dev='NAME' managed='no'/>: the tests hold a persistent tap with
# it (a VM running) or pass it to frame-check. If TUNSETIFF fails, prints
# "tap-open: NAME: <errno name>" and exits 1.
import errno, fcntl, os, struct, sys

TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI, IFF_MULTI_QUEUE = 0x0002, 0x1000, 0x0100

if len(sys.argv) < 5 or sys.argv[2] not in ("single", "multi") or sys.argv[3] != "--":
    sys.exit("usage: tap-open.py NAME single|multi -- COMMAND [ARGS...]")
name, mode, cmd = sys.argv[1], sys.argv[2], sys.argv[4:]
flags = IFF_TAP | IFF_NO_PI | (IFF_MULTI_QUEUE if mode == "multi" else 0)
fd = os.open("/dev/net/tun", os.O_RDWR)
try:
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), flags))
except OSError as e:
    print(f"tap-open: {name}: {errno.errorcode.get(e.errno, e.errno)}", file=sys.stderr)
    sys.exit(1)
os.set_inheritable(fd, True)
os.execvp(cmd[0], [a.replace("{fd}", str(fd)) for a in cmd])
