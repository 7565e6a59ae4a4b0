/* SPDX-License-Identifier: GPL-2.0-or-later
 * tcwire status --watch - rates per second between two readings
 */
#ifndef TCWIRE_STATUS_RATES_H
#define TCWIRE_STATUS_RATES_H

#include <glib.h>

#include "status_model.h"

/**
 * rates_compute() - Per second rates of each wire in @cur since @prev
 * @prev:	Earlier reading (array of struct status_netns)
 * @cur:	Later reading; its wires get have_rates and rates
 * @seconds:	Time between the readings
 *
 * Wires are matched by namespace, partner and tap ifindex; a wire new
 * since @prev, or whose counters went down (re-created), gets no rates.
 */
void rates_compute(GArray *prev, GArray *cur, double seconds);

#endif /* TCWIRE_STATUS_RATES_H */
