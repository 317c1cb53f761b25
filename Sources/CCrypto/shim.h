#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
// OpenSSL's libcrypto, for the SHA-256 and MD5 digests object uploads are verified with.
#include <openssl/evp.h>
#endif
