#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Text checks of the container recipe (contrib/vrnetlab) and the
# containerlab example (contrib/containerlab): nothing here runs them. The
# entrypoint is POSIX sh (the shellcheck test lints it as such) and
# switches to the user vr; the Dockerfile makes the helper setuid root with an
# ACL that denies eth0, and starts launch.sh; the README builds the image
# the topology uses; the topology is what the container test's reader
# (tests/containers/clab-plan.py) deploys, with the links as drawn, the
# routers unprivileged with the grants its README shows, and a guest script
# that bonds. Kept to what the recipe means, not how it is spelled: building
# and running the image, and the topology, is the container tests' job.
. "$(dirname "$0")/../lib.sh"
: "${TCWIRE_SOURCE_ROOT:?run through meson test}"
VR=$TCWIRE_SOURCE_ROOT/contrib/vrnetlab
LAUNCH=$VR/launch.sh
DOCKERFILE=$VR/Dockerfile
CLAB=$TCWIRE_SOURCE_ROOT/contrib/containerlab/tcwire-lab.clab.yml
IMAGE=tcwire/vr-router:latest

# has DESCRIPTION FILE TEXT...: FILE contains each TEXT (fixed strings)
has() {
	local what=$1 file=$2 t missing=()
	shift 2
	for t in "$@"; do grep -qF -- "$t" "$file" || missing+=("$t"); done
	check "$what${missing[*]:+ (missing: ${missing[*]})}" test "${#missing[@]}" = 0
}

# 1. The entrypoint
check "launch.sh starts with #!/bin/sh" test "$(head -n1 "$LAUNCH")" = "#!/bin/sh"
check "launch.sh is executable" test -x "$LAUNCH"

# 2. The Dockerfile: starts as root, for launch.sh to switch to vr with
# /dev/kvm's group; setuid helper, the ACL, the entrypoint
check "Dockerfile: no USER (the entrypoint starts as root and switches to vr)" \
	test -z "$(awk '$1 == "USER"' "$DOCKERFILE")"
check "Dockerfile: useradd creates vr with uid 1000" \
	grep -Eq "useradd .*--uid 1000 .*[[:space:]]vr\$" "$DOCKERFILE"
has "launch.sh: qemu's user is vr unless VM_USER says otherwise" "$LAUNCH" ': "${VM_USER:=vr}"'
# setuid_recipe FILE: FILE builds tcwire setuid into /usr, makes the helper
# setuid root and writes the ACL (any data interface, never eth0)
setuid_recipe() {
	local name=${1##*/}
	has "$name: tcwire built with -Dhelper-permissions=setuid, prefix /usr" \
		"$1" -Dhelper-permissions=setuid --prefix=/usr
	has "$name: the helper is made setuid root" "$1" \
		"chown root:root /usr/libexec/tcwire-helper" "chmod 4755 /usr/libexec/tcwire-helper"
	has "$name: the ACL allows eth* and denies eth0" "$1" \
		/etc/tcwire/helper.conf "allow eth*" "deny eth0"
}
setuid_recipe "$DOCKERFILE"
check "Dockerfile: the entrypoint is launch.sh" \
	grep -qxF 'ENTRYPOINT ["/usr/local/bin/launch.sh"]' "$DOCKERFILE"
has "vrnetlab README builds the image the topology uses ($IMAGE)" \
	"$VR/README.md" "-t $IMAGE ."

# 3. The topology: YAML that the container test's reader deploys, with the
# links as drawn and the grants and guest set-up its README describes
README=$TCWIRE_SOURCE_ROOT/contrib/containerlab/README.md
if python3 -c 'import yaml' 2>/dev/null; then
	# plan_reads PHASE: the container test's reader turns PHASE into calls
	plan_reads() {
		local calls
		calls=$("$TCWIRE_SOURCE_ROOT/tests/containers/clab-plan.py" "$CLAB" "$1") &&
			[ -n "$calls" ]
	}
	for phase in nodes links execs; do
		check "topology: clab-plan.py reads its $phase" plan_reads "$phase"
	done
	out=$(python3 - "$CLAB" "$IMAGE" "$README" <<'EOF2' 2>&1
import re, sys, yaml
topo = yaml.safe_load(open(sys.argv[1]))
nodes, links = topo["topology"]["nodes"], topo["topology"]["links"]
want_links = [["r1:eth1", "r2:eth1"], ["r1:eth2", "r2:eth2"], ["r1:eth3", "host1:eth1"]]
assert topo["name"] == "tcwire-lab", topo["name"]
assert [l["endpoints"] for l in links] == want_links, links
for r in ("r1", "r2"):
    n = nodes[r]
    assert n["kind"] == "linux" and n["image"] == sys.argv[2], n
    assert n["privileged"] is False and n["cap-add"] == ["NET_ADMIN"], (r, "grants")
    assert n["devices"] == ["/dev/net/tun"] and n["restart-policy"] == "no", (r, "grants")
    script = n["env"]["VM_GUEST_SCRIPT"]
    for t in ("802.3ad", "+eth0", "+eth1"):
        assert t in script, (r, "VM_GUEST_SCRIPT lacks", t)
    assert "brctl" not in script and "type bridge" not in script, (r, "bridges")
assert nodes["host1"]["kind"] == "linux" and nodes["host1"]["privileged"] is False
# every line of the README's least-privilege snippet is r1's
text = open(sys.argv[3]).read()
snippet = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
got = yaml.safe_load(snippet)
for k, v in got.items():
    assert nodes["r1"][k] == v, ("README snippet", k, v)
EOF2
	)
	out=$(tail -n1 <<<"$out") # the assertion, not the traceback
	check "topology: r1, r2 unprivileged with the README's grants, bonding in VM_GUEST_SCRIPT; host1; the links${out:+: $out}" \
		test -z "$out"
else
	echo "note: python3-yaml not installed, checking the topology with grep"
	has "topology: the three links" "$CLAB" \
		'endpoints: ["r1:eth1", "r2:eth1"]' 'endpoints: ["r1:eth2", "r2:eth2"]' \
		'endpoints: ["r1:eth3", "host1:eth1"]'
	check "topology: two routers of the image" \
		test "$(count_matches "image: $IMAGE\$" cat "$CLAB")" = 2
	check "topology: three unprivileged nodes" \
		test "$(count_matches "^ *privileged: false" cat "$CLAB")" = 3
fi
has "containerlab README: the guest script and the least privilege" "$README" \
	VM_GUEST_SCRIPT "privileged: false"

# 4. Dockerfile.layer: FROM any vrnetlab image, which keeps its entrypoint
# (launch.py, as root); it adds the setuid helper, the ACL, the user and
# the mode (apply.sh). tests/vm/vrnetlab.sh runs apply.sh and the mode.
LAYER=$VR/Dockerfile.layer
check "Dockerfile.layer: the last FROM is the vrnetlab image" \
	test "$(awk '$1 == "FROM" { f = $2 } END { print f }' "$LAYER")" = '${VRNETLAB_IMAGE}'
check "Dockerfile.layer: no USER, no ENTRYPOINT (vrnetlab's launch.py stays, as root)" \
	test "$(count_matches '^(USER|ENTRYPOINT|CMD)' cat "$LAYER")" = 0
check "Dockerfile.layer: no COPY --chmod (Docker's legacy builder rejects it)" \
	test "$(count_matches '^COPY .*--chmod' cat "$LAYER")" = 0
setuid_recipe "$LAYER"
has "Dockerfile.layer: apply.sh adds the mode to the image's /vrnetlab.py" "$LAYER" \
	"COPY contrib/vrnetlab/apply.sh contrib/vrnetlab/tcwire_vrnetlab.py /usr/share/tcwire/vrnetlab/" \
	"sh /usr/share/tcwire/vrnetlab/apply.sh /"
check "Dockerfile.layer: useradd creates vr with uid 1000, qemu's user (TCWIRE_USER)" \
	bash -c "grep -Eq 'useradd .*--uid 1000 .* vr\)?\$' '$LAYER' && grep -qx 'ENV TCWIRE_USER=vr' '$LAYER'"
for f in "$VR/apply.sh" "$VR/tcwire_vrnetlab.py"; do
	check "Dockerfile.layer: ${f#"$TCWIRE_SOURCE_ROOT"/} is in the build context" test -r "$f"
done
finish
