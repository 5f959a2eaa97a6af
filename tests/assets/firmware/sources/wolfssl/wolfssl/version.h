/* wolfssl_version.h.in
 *
 * Copyright (C) 2006-2022 wolfSSL Inc.
 *
 * This file is part of wolfSSL.
 *
 * wolfSSL is free software; you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation; either version 2 of the License, or
 * (at your option) any later version.
 *
 * wolfSSL is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the
 * GNU General Public License for more details.
 *
 * You should have received a copy of the GNU General Public License
 * along with this program; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin Street, Fifth Floor, Boston, MA 02110-1335, USA
 */


#ifndef WOLFSSL_VERSION_H
#define WOLFSSL_VERSION_H


#ifdef __cplusplus
extern "C" {
#endif

#define LIBWOLFSSL_VERSION_STRING "5.5.4"
#define LIBWOLFSSL_VERSION_HEX 0x05005004

#ifdef __cplusplus
}
#endif


#endif /* WOLFSSL_VERSION_H */

