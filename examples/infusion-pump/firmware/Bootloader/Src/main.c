/*
 * Aurora IP-300 bootloader (fictional example device of mdrgate).
 *
 * The bootloader verifies and installs firmware packages received over the USB service link. It
 * serves a small recovery page (lwIP httpd) and verifies package signatures with Mbed TLS. Its
 * identification record, read by the service tool, names the versions of both libraries: that
 * is how the versions come to be embedded in the image, as in many devices.
 */
#include <stdio.h>
#include <string.h>

#include "lwip/init.h"
#include "lwip/apps/httpd_opts.h"
#include "mbedtls/version.h"

#define BOOTLOADER_VERSION "2.4.0"

static const char server_agent[] = HTTPD_SERVER_AGENT;
static const char tls_library[] = MBEDTLS_VERSION_STRING_FULL;

/* Filled at start-up, sent to the service tool on request. */
volatile char identification[192];

int main(void)
{
    snprintf((char *)identification, sizeof identification,
             "Aurora IP-300 bootloader %s; %s; %s", BOOTLOADER_VERSION, server_agent, tls_library);
    for (;;) {
        /* wait for the service tool; package verification and flashing are not part of the example */
    }
}
