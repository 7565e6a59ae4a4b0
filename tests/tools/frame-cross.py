#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""frame-cross IN OUT: frames sent into IN must come out of OUT unchanged.

For paths through a VM (a guest bridging its NICs), where no tap fd is at
hand for frame-check: each frame below is sent with AF_PACKET on IN, with a
random 16-byte token in its payload, and must be read from OUT byte for
byte within 3 seconds. AF_PACKET strips the outer VLAN tag into
PACKET_AUXDATA; it is put back before comparing. Frames without one of our
tokens (the host's own traffic) are skipped.

Prints one line per frame and "N passed, N failed"; exit 0 if all passed.
"""

import os
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40


def frames():
    """(name, frame) with fresh tokens: broadcast, unknown unicast (jumbo
    up to 1500 bytes of payload), 802.1Q tagged, minimum size"""
    src = bytes.fromhex("02aa00000001")
    exp = struct.pack("!H", 0x88b5)	# IEEE local experimental
    out = []
    for name, dst, tag, pad in (("broadcast", b"\xff" * 6, b"", 100),
                                ("unicast-1500", bytes.fromhex("02bb00000099"), b"", 1500 - 16),
                                ("vlan-100", b"\xff" * 6, struct.pack("!HH", 0x8100, 100), 200),
                                ("minimum", b"\xff" * 6, b"", 46 - 16)):
        token = os.urandom(16)
        out.append((name, token, dst + src + tag + exp + token + os.urandom(pad)))
    return out


def receive(sock, deadline):
    """One frame from @sock with its VLAN tag restored, or None at @deadline"""
    left = deadline - time.monotonic()
    if left <= 0 or not select.select([sock], [], [], left)[0]:
        return None
    data, anc, _, _ = sock.recvmsg(65536, socket.CMSG_SPACE(20))
    for level, kind, cdata in anc:
        if level != SOL_PACKET or kind != PACKET_AUXDATA or len(cdata) < 20:
            continue
        status, _, _, _, _, tci, tpid = struct.unpack("=IIIHHHH", cdata[:20])
        if status & TP_STATUS_VLAN_VALID:
            if not status & TP_STATUS_VLAN_TPID_VALID:
                tpid = 0x8100
            data = data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return data


def main():
    """Send each frame, wait for it on the other side, compare"""
    if len(sys.argv) != 3:
        sys.exit("usage: frame-cross.py IN OUT")
    ifin, ifout = sys.argv[1:]
    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    rx.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    rx.bind((ifout, 0))
    tx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    tx.bind((ifin, 0))
    passed = failed = 0
    for name, token, frame in frames():
        tx.send(frame)
        deadline = time.monotonic() + 3
        got = None
        while got is None or token not in got:
            got = receive(rx, deadline)
            if got is None:
                break
        if got == frame:
            print(f"ok   {name} ({len(frame)} bytes) {ifin} -> {ifout}")
            passed += 1
        else:
            why = "never arrived" if got is None else f"arrived changed ({len(got)} bytes)"
            print(f"FAIL {name} ({len(frame)} bytes) {ifin} -> {ifout}: {why}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
