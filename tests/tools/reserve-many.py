#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# reserve-many - a caller that reserves taps until it can hold no more
#
# Usage: reserve-many.py HELPER PARTNER MAX DONE_FILE
#
# Runs "HELPER --reserve --fd=N --br=PARTNER" again and again, keeping
# every tap fd received, until a reservation fails or MAX taps are held.
# Prints "held K" and the last helper's stderr (or the receive error),
# then holds its taps until DONE_FILE exists (or its folder is gone)
# before it exits: its taps must die with its fds.
import array, os, socket, subprocess, sys, time

helper, partner, most, done = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
held, why = [], ""
while len(held) < most:
    try:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    except OSError as e:
        why = f"socketpair: {e.strerror}"
        break
    fd = theirs.fileno()
    os.set_inheritable(fd, True)
    try:
        proc = subprocess.Popen([helper, "--reserve", f"--fd={fd}",
                                 f"--br={partner}"], pass_fds=(fd,),
                                stderr=subprocess.PIPE)
    except OSError as e:
        why = f"cannot run the helper: {e.strerror}"
        ours.close()
        theirs.close()
        break
    theirs.close()
    got = []
    try:
        fds = array.array("i")
        _, anc, _, _ = ours.recvmsg(1, socket.CMSG_LEN(4 * fds.itemsize))
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(data[:len(data) - len(data) % fds.itemsize])
        got = list(fds)
    except OSError as e:
        why = f"receive: {e.strerror}"
    err = proc.stderr.read().decode(errors="replace").strip()
    proc.stderr.close()
    rc = proc.wait()
    ours.close()
    if rc != 0 or not got:
        why = err or why or f"helper exit status {rc}"
        break
    held.extend(got)
print(f"held {len(held)}")
print(why)
sys.stdout.flush()
while not os.path.exists(done) and os.path.isdir(os.path.dirname(done)):
    time.sleep(0.05)
