#!/bin/bash
# Two router containers (rootful podman) of the real image, with the least
# privilege that works here: --cap-drop=ALL, then only NET_ADMIN, and
# --device /dev/net/tun (this host's is 0600: the setuid helper opens it as
# root, its owner, before it drops); no --privileged, the default seccomp
# profile, no network but the links.
# The links come as containerlab makes them: after the containers started,
# a veth pair per link moved into each container's netns by pid and named
# ethK there, while the entrypoint waits. Each guest bonds its two NICs
# with 802.3ad: LACP must bundle both links and ping must pass, with qemu
# running as the image's user vr and without any capability.
. "$(dirname "$0")/lib-containers.sh"

router_image
lacp_lab podman qemu_unprivileged \
	--cap-drop=ALL --cap-add=NET_ADMIN --device /dev/net/tun
finish
