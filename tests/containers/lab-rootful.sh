#!/bin/bash
# Two rootful router containers of the real image, under podman or, with
# --engine=docker, Docker, with the least privilege that works here:
# --cap-drop=ALL, then NET_ADMIN (for the setuid helper) and SETUID and
# SETGID (for the entrypoint, which starts as root and switches to vr), and
# --device /dev/net/tun (this host's is 0600: the setuid helper opens it
# as root, its owner, before it drops); no --privileged, the default
# seccomp profile, no network but the links.
# The links come as containerlab makes them: after the containers started,
# a veth pair per link moved into each container's netns by pid and named
# ethK there, while the entrypoint waits. Each guest bonds its two NICs
# with 802.3ad: LACP must bundle both links and ping must pass, with qemu
# running as the image's user vr, without any capability or supplementary
# group.
. "$(dirname "$0")/lib-containers.sh"

router_image
lacp_lab "$ENGINE" qemu_unprivileged \
	--cap-drop=ALL --cap-add=NET_ADMIN --cap-add=SETUID --cap-add=SETGID \
	--device /dev/net/tun
finish
