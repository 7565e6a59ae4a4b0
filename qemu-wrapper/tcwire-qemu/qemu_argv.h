/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire-qemu - the qemu command line for the planned NICs
 */
#ifndef TCWIRE_QEMU_ARGV_H
#define TCWIRE_QEMU_ARGV_H

#include <stdbool.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "nic_plan.h"

/**
 * struct qemu_nic_options - How every data NIC is presented to the guest
 * @model:	qemu device model, e.g. "virtio-net-pci", "e1000"
 * @queues:	Queues per NIC (multiqueue when above 1; virtio only)
 * @vhost:	Ask qemu for vhost-net (vhost=on)
 */
struct qemu_nic_options {
	char *model;
	unsigned int queues;
	bool vhost;
};

/**
 * qemu_nic_model_is_virtio() - Whether @model is a virtio-net device
 * @model:	qemu device model
 *
 * Return: true for virtio-net-pci and its variants
 */
bool qemu_nic_model_is_virtio(const char *model);

/**
 * qemu_nic_device() - The properties of NIC @s, as device_add takes them
 * @s:		NIC (wired or placeholder)
 * @opts:	NIC presentation
 *
 * driver, netdev=tcwnetK, id=tcwnicK, mac, bus=tcwbrB, addr=0xS; for
 * virtio also speed=10000, duplex=full (guest 802.3ad needs full duplex),
 * host_mtu=<partner MTU> when known (the guest takes its MTU from it), and
 * mq=on,vectors=2N+2 for N queues. The one definition of a NIC, for the
 * command line and for hot-adding.
 *
 * Return: new object (the caller owns the reference)
 */
JsonObject *qemu_nic_device(const struct nic_slot *s,
			    const struct qemu_nic_options *opts);

/**
 * qemu_argv_build() - The user's qemu command plus tcwire's NICs
 * @user_argv:	qemu binary and the user's own arguments (NULL-terminated)
 * @plan:	NIC plan; wired NICs carry their tap fds
 * @opts:	NIC presentation
 * @qmp_fd:	Socket for qemu's QMP monitor (qmp_links.c), -1 for none
 * @symbolic:	Show fds as {ethK} or {ethK#Q} (for --print) instead of the
 *		numbers the helper gave
 *
 * Appends the management passthrough's NIC if @plan has one
 * (mgmt_nic_argv()), then, per pci-bridge, "-device pci-bridge,id=tcwbrB,chassis_nr=..."
 * and per NIC in the VM a "-netdev" (tap with fd= or fds=, or an
 * unconnected hubport for a placeholder, whose link the QMP monitor on
 * @qmp_fd sets down) and a "-device" with qemu_nic_device()'s properties.
 *
 * Return: new array of new strings, NULL-terminated
 */
GPtrArray *qemu_argv_build(char *const *user_argv, const struct nic_plan *plan,
			   const struct qemu_nic_options *opts, int qmp_fd,
			   bool symbolic);

/**
 * qemu_placeholder_ids() - Device ids of the placeholder NICs of @plan
 * @plan:	NIC plan
 *
 * Return: new NULL-terminated array, empty if there are none
 */
char **qemu_placeholder_ids(const struct nic_plan *plan);

/**
 * qemu_argv_shell_quote() - One line a POSIX shell reads back as @argv
 * @argv:	Arguments, NULL-terminated
 *
 * Return: new string
 */
char *qemu_argv_shell_quote(char *const *argv);

#endif
