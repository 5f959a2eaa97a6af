/*
 * SPDX-FileCopyrightText: 2019-2021 Espressif Systems (Shanghai) CO LTD
 *
 * SPDX-License-Identifier: Apache-2.0
 */

#pragma once

#ifdef __cplusplus
extern "C" {
#endif

/** Major version number (X.x.x) */
#define ESP_IDF_VERSION_MAJOR   5
/** Minor version number (x.X.x) */
#define ESP_IDF_VERSION_MINOR   1
/** Patch version number (x.x.X) */
#define ESP_IDF_VERSION_PATCH   0
