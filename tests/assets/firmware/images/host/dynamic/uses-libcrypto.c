#include <stdio.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
/* Reports the OpenSSL it was compiled with and the one it runs with, as osslsigncode does. */
int main(void) {
    printf("built with %s, running %s\n", OPENSSL_VERSION_TEXT, OpenSSL_version(OPENSSL_VERSION));
    return 0;
}
