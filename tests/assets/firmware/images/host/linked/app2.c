#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <md5.h>
#include <lzma.h>
#include <zstd.h>
#include <mbedtls/ssl_ciphersuites.h>
#include <mbedtls/version.h>
int main(int argc, char **argv) {
    char v[18]; mbedtls_version_get_string_full(v);
    char digest[MD5_DIGEST_STRING_LENGTH];
    int suite = mbedtls_ssl_list_ciphersuites()[0];
    __int128 big = (__int128)atoll(argc > 1 ? argv[1] : "7") << 70;
    double x = fdim(2.0, atof(argc > 2 ? argv[2] : "1"));
    printf("%s|%d|%s|%s|%s|%g|%d\n", v, suite, lzma_version_string(), ZSTD_versionString(),
           MD5Data((const unsigned char *)"pump", 4, digest), x, (int)(big / argc >> 64));
    return 0;
}
