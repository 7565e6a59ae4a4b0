#!/bin/bash
. "$(dirname "$0")/lib-containers.sh"
finish
