/* SPDX-License-Identifier: GPL-2.0-or-later
 * Test frame corpus: the frames a Linux bridge or macvtap would not pass
 */
#ifndef TCWIRE_TEST_FRAMES_H
#define TCWIRE_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_MAX	(9018 + 64)

/**
 * struct test_frame - One frame of the corpus
 * @name:	Short name for reports
 * @len:	Bytes in @data
 * @data:	The frame, from destination MAC to the last payload byte
 */
struct test_frame {
	const char *name;
	size_t len;
	uint8_t data[FRAME_MAX];
};

/**
 * frames_build() - Build the corpus
 * @frames:	Array of at least FRAMES_MAX entries
 * @src:	Source MAC to use
 * @tag:	Byte mixed into every frame's marker (e.g. direction)
 * @jumbo_mtu:	If >= 9000, add a frame of 14 + @jumbo_mtu bytes
 *
 * Every frame carries the marker "TCWIRE", @tag and its index in its
 * payload, so a receiver can tell test frames from background traffic.
 *
 * Return: number of frames built
 */
size_t frames_build(struct test_frame *frames, const uint8_t src[6],
		    uint8_t tag, unsigned int jumbo_mtu);

#define FRAMES_MAX	16

/**
 * frames_marker_of() - Find a corpus marker in a received frame
 * @buf:	Frame
 * @len:	Its length
 * @tag:	Tag the corpus was built with
 *
 * Return: the frame index in the marker, or -1 if there is none
 */
int frames_marker_of(const uint8_t *buf, size_t len, uint8_t tag);

#endif
