#include <stdio.h>
#include <openssl/core.h>
#include <openssl/crypto.h>
/* The base provider's entry point, as libcrypto's provider table declares it. */
OSSL_provider_init_fn ossl_base_provider_init;
int main(void) {
    OSSL_provider_init_fn *volatile init = ossl_base_provider_init;
    puts(OpenSSL_version(OPENSSL_VERSION));
    return init == NULL;
}
