#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>
int main(void) {
    const char *msg = "medical device";
    unsigned char out[64]; uLongf n = sizeof out;
    compress(out, &n, (const unsigned char *)msg, strlen(msg));
    unsigned char digest[32];
    mbedtls_sha256((const unsigned char *)msg, strlen(msg), digest, 0);
    char v[18]; mbedtls_version_get_string_full(v);
    printf("%s %s %lu %02x\n", zlibVersion(), v, (unsigned long)n, digest[0]);
    return 0;
}
