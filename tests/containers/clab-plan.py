#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Read a containerlab topology file and print its deployment as shell calls.

Usage: clab-plan.py TOPOLOGY nodes|links|execs

The containerlab example (contrib/containerlab/tcwire-lab.clab.yml) is
deployed by tests/containers/clab-topology.sh without containerlab: this
reader turns the file itself into the steps containerlab takes, so the
example and its test cannot drift apart. Each phase prints one call a line,
every word shell-quoted, for the test to source after it defined the
functions:

  nodes:  clab_node NODE IMAGE RUN_OPTION... -- CMD...
  links:  clab_link_ends NODE_A K_A NODE_B K_B MTU
  execs:  clab_exec NODE ARG...

What each phase means, as containerlab (0.7x, kind linux) does it:
- a node's run options: hostname = node name; privileged unless
  "privileged: false" (every kind's default); each cap-add and device;
  restart-policy, kind linux's default "always"; the sysctl kind linux
  sets (net.ipv6.conf.all.disable_ipv6=0); the env, plus CLAB_INTFS = the
  node's link count and the node labels as CLAB_LABEL_* variables; cmd
  split like a shell (containerlab uses shlex). The runtime's constant
  options (detached, tty, stdin, names, network) are the caller's.
- links: veth pairs made after all nodes started, in file order, MTU 9500
  unless the link sets "mtu".
- execs: each exec line split like a shell, run in the node after the links.

Only what the reader implements is accepted: any other key, kind, link form
or interface name is an error (one line, exit 1), never silently ignored.
"""
import os
import re
import shlex
import sys

import yaml

LINK_MTU = 9500  # containerlab's DefaultLinkMTU
NODE_KEYS = {"kind", "image", "privileged", "cap-add", "devices",
             "restart-policy", "env", "exec", "cmd"}
RESTART = {"no", "on-failure", "always", "unless-stopped"}
IFACE = re.compile(r"eth([1-9][0-9]*)\Z")


def die(msg):
    """One line on stderr, exit 1"""
    print(f"clab-plan: {msg}", file=sys.stderr)
    sys.exit(1)


def only(what, obj, allowed):
    """obj is a mapping with no key outside allowed"""
    if not isinstance(obj, dict):
        die(f"{what}: expected a mapping")
    extra = sorted(set(obj) - allowed)
    if extra:
        die(f"{what}: not implemented by this reader: {', '.join(extra)}")


def strings(what, value):
    """a list of strings (containerlab's cap-add, devices, exec)"""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        die(f"{what}: expected a list of strings")
    return value


def env_key(label):
    """containerlab's ToEnvKey: upper case, anything else than [A-Z0-9_] is _"""
    return re.sub(r"[^A-Z0-9_]", "_", label.upper())


def endpoints(links, nodes):
    """[(node_a, k_a, node_b, k_b, mtu)] of the links, checked"""
    out = []
    for i, link in enumerate(links):
        only(f"links[{i}]", link, {"endpoints", "mtu"})
        eps = link.get("endpoints")
        if not isinstance(eps, list) or len(eps) != 2:
            die(f"links[{i}]: expected two endpoints")
        ends = []
        for ep in eps:
            node, _, iface = str(ep).partition(":")
            m = IFACE.match(iface)
            if node not in nodes or not m:
                die(f"links[{i}]: {ep}: expected NODE:ethK with a node of the file, K >= 1")
            ends += [node, m.group(1)]
        mtu = link.get("mtu", LINK_MTU)
        if not isinstance(mtu, int) or isinstance(mtu, bool) or mtu < 68:
            die(f"links[{i}]: mtu: expected a number of bytes")
        out.append((*ends, str(mtu)))
    seen = [(a, k) for l in out for a, k in (l[0:2], l[2:4])]
    if len(seen) != len(set(seen)):
        die("links: an interface is used twice")
    return out


def node_options(topo_path, lab, name, node, n_links):
    """the run options containerlab gives node NAME"""
    only(f"nodes.{name}", node, NODE_KEYS)
    if node.get("kind") != "linux":
        die(f"nodes.{name}: kind {node.get('kind')!r}: this reader knows kind linux only")
    if not isinstance(node.get("image"), str):
        die(f"nodes.{name}: no image")
    privileged = node.get("privileged", True)
    restart = node.get("restart-policy", "always")
    if not isinstance(privileged, bool):
        die(f"nodes.{name}: privileged: expected true or false")
    if not isinstance(restart, str) or restart.lower() not in RESTART:
        die(f"nodes.{name}: restart-policy: expected one of {', '.join(sorted(RESTART))}")
    opts = ["--hostname", name]
    if privileged:
        opts.append("--privileged")
    opts += [f"--cap-add={c}" for c in strings(f"nodes.{name}.cap-add", node.get("cap-add", []))]
    opts += [f"--device={d}" for d in strings(f"nodes.{name}.devices", node.get("devices", []))]
    opts += [f"--restart={restart.lower()}", "--sysctl=net.ipv6.conf.all.disable_ipv6=0"]
    labels = {"containerlab": lab, "clab-node-name": name,
              "clab-node-longname": f"clab-{lab}-{name}", "clab-node-kind": "linux",
              "clab-topo-file": os.path.abspath(topo_path)}
    env = node.get("env", {})
    if not isinstance(env, dict):
        die(f"nodes.{name}.env: expected a mapping")
    for key, value in env.items():
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            die(f"nodes.{name}.env.{key}: expected a string or a number")
    env = {k: str(v) for k, v in env.items()}
    env["CLAB_INTFS"] = str(n_links)
    env.update({"CLAB_LABEL_" + env_key(k): v for k, v in labels.items()})
    opts += [f"--label={k}={v}" for k, v in labels.items()]
    opts += [f"--env={k}={v}" for k, v in env.items()]
    cmd = node.get("cmd", "")
    if not isinstance(cmd, str):
        die(f"nodes.{name}.cmd: expected a string")
    return [name, node["image"], *opts, "--", *shlex.split(cmd)]


def main():
    """print the calls of one phase"""
    if len(sys.argv) != 3 or sys.argv[2] not in ("nodes", "links", "execs"):
        die("usage: clab-plan.py TOPOLOGY nodes|links|execs")
    path, phase = sys.argv[1:]
    try:
        with open(path, encoding="utf-8") as f:
            top = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        die(f"{path}: {e}")
    only("the file", top, {"name", "topology"})
    lab = top.get("name")
    if not isinstance(lab, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+", lab):
        die("name: expected a lab name")
    only("topology", top.get("topology"), {"nodes", "links"})
    nodes = top["topology"].get("nodes") or {}
    only("topology.nodes", nodes, set(nodes))
    links = endpoints(top["topology"].get("links") or [], nodes)
    calls = []
    if phase == "nodes":
        for name, node in nodes.items():
            n_links = sum((l[0] == name) + (l[2] == name) for l in links)
            calls.append(["clab_node", *node_options(path, lab, name, node, n_links)])
    elif phase == "links":
        calls = [["clab_link_ends", *l] for l in links]
    else:
        for name, node in nodes.items():
            for line in strings(f"nodes.{name}.exec", node.get("exec", [])):
                calls.append(["clab_exec", name, *shlex.split(line)])
    for call in calls:
        print(shlex.join(call))


if __name__ == "__main__":
    main()
