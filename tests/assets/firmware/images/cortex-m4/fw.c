/* A tiny Cortex-M4 image for mdrgate's tests: it embeds the version banners of the lwIP and
   Mbed TLS headers shipped by Debian (liblwip-dev 2.1.3, libmbedtls-dev 2.28.3), the way
   device firmware does, and links newlib-nano's snprintf. */
#include <stdio.h>
#include <string.h>
#include "lwip/init.h"
#include "lwip/apps/httpd_opts.h"
#include "mbedtls/version.h"

static const char server_agent[] = HTTPD_SERVER_AGENT;
static const char tls_banner[] = MBEDTLS_VERSION_STRING_FULL;
volatile char report[160];

int main(void) {
    snprintf((char *)report, sizeof report, "%s | %s | %u", server_agent, tls_banner,
             (unsigned)strlen(server_agent));
    for (;;) {
    }
}
