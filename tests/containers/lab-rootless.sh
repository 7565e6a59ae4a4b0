#!/bin/bash
# The LACP lab of lab-rootful.sh under rootless podman: the containers are
# started by an unprivileged user (tcwire-rootless, created with its
# subordinate id ranges if missing) in user namespaces of its own. The
# entrypoint runs as the container's root (the image's user) and stays
# root (-e VM_USER=root: that root is the unprivileged user on the host);
# it holds CAP_NET_ADMIN over the container's network namespace only; the
# helper is not setuid there (exec crosses no boundary) and wires in its
# "caller already has the power" mode, as in tests/privilege/rootless.sh.
# Grants: --cap-drop=ALL --cap-add=NET_ADMIN (capabilities of the user
# namespace), VM_USER=root and a 0666
# /dev/net/tun (the distributions' default; this host's is 0600, so the
# test passes its own node). The host's root makes the links into the
# rootless containers' namespaces, as containerlab would.
. "$(dirname "$0")/lib-containers.sh"

router_image
RL_USER=tcwire-rootless
if ! id "$RL_USER" >/dev/null 2>&1; then
	useradd --create-home --shell /usr/sbin/nologin "$RL_USER" ||
		{ echo "FAIL: cannot create the user $RL_USER"; exit 1; }
	echo "note: created the unprivileged user $RL_USER for rootless podman"
fi
if ! grep -q "^$RL_USER:" /etc/subuid || ! grep -q "^$RL_USER:" /etc/subgid; then
	usermod --add-subuids 2000000-2065535 --add-subgids 2000000-2065535 "$RL_USER" ||
		{ echo "FAIL: cannot give $RL_USER subordinate ids"; exit 1; }
	echo "note: gave $RL_USER the subordinate ids 2000000-2065535"
fi
RL_UID=$(id -u "$RL_USER")
RL_HOME=$(getent passwd "$RL_USER" | cut -d: -f6)

# The user's podman: its own runtime directory (no login session here) and
# storage on native overlay, with every path spelled out, so that state an
# earlier podman of that user left (another driver) cannot get in the way
RL_RUN=$TMPDIR_TEST/run
CTR_LOGS=$TMPDIR_TEST/logs
install -d -m 0700 -o "$RL_USER" "$RL_RUN" "$CTR_LOGS"
RL_DATA=$RL_HOME/.local/share/tcwire-containers
RL_CONF=$TMPDIR_TEST/rootless-containers.conf
sed '/^\[engine\]/a static_dir = "'"$RL_DATA"'/libpod"\ntmp_dir = "'"$RL_RUN"'/libpod"\nvolume_path = "'"$RL_DATA"'/volumes"' \
	"$CONTAINERS_CONF" >"$RL_CONF"
RL_STORAGE=$TMPDIR_TEST/rootless-storage.conf
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s/storage"\nrunroot = "%s/storage"\n' \
	"$RL_DATA" "$RL_RUN" >"$RL_STORAGE"
chmod 0644 "$RL_CONF" "$RL_STORAGE"

# rl ARGS...: podman as the unprivileged user
rl() {
	(cd / && runuser -u "$RL_USER" -- env -i HOME="$RL_HOME" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		XDG_RUNTIME_DIR="$RL_RUN" CONTAINERS_CONF="$RL_CONF" \
		CONTAINERS_STORAGE_CONF="$RL_STORAGE" podman "$@")
}

# The image, from root's storage into the user's (only when it changed)
id_root=$(podman image inspect --format '{{.Id}}' "$IMAGE")
if [ "$(rl image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null)" != "$id_root" ]; then
	if ! podman save --quiet -o "$TMPDIR_TEST/image.tar" "$IMAGE" ||
		! chmod 0644 "$TMPDIR_TEST/image.tar" ||
		! rl load --quiet -i "$TMPDIR_TEST/image.tar" >/dev/null; then
		echo "FAIL: cannot load $IMAGE into $RL_USER's storage"
		exit 1
	fi
	rm -f "$TMPDIR_TEST/image.tar"
fi
check "the user's podman is rootless" \
	test "$(rl info --format '{{.Host.Security.Rootless}}' 2>/dev/null)" = true

TUN666=$TMPDIR_TEST/tun666
mknod -m 0666 "$TUN666" c 10 200

# qemu_rootless NAME: qemu is the container's root, i.e. the unprivileged
# user on the host
qemu_rootless() {
	local line
	line=$(rl top "$1" user huser comm | awk '$3 == "qemu-system-x86"')
	check "$1: qemu runs as the container's root, on the host as $RL_USER (uid $RL_UID): $line" \
		bash -c 'read -r u h _ <<<"$1"; [ "$u" = root ] && { [ "$h" = "$2" ] || [ "$h" = "$3" ]; }' \
		sh "$line" "$RL_USER" "$RL_UID"
}

lacp_lab rl qemu_rootless -e VM_USER=root \
	--cap-drop=ALL --cap-add=NET_ADMIN --device "$TUN666:/dev/net/tun"
finish
