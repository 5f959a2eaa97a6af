/*
 * Trace Recorder for Tracealyzer v4.6.0(RC0)
 * Copyright 2021 Percepio AB
 * www.percepio.com
 *
 * SPDX-License-Identifier: Apache-2.0
 *
 * The public API of the trace recorder.
 */
