/* bl_encode.h: content codings (gzip, brotli) and the choice among them. */
#ifndef BL_ENCODE_H
#define BL_ENCODE_H

#include <apr.h>
#include <apr_errno.h>

/** A content coding of a response. */
typedef enum { BL_ENC_IDENTITY, BL_ENC_GZIP, BL_ENC_BR, BL_ENC_COUNT } bl_enc_t;

/** Responses shorter than this many bytes are sent as they are. */
#define BL_ENC_MIN_BYTES 256

/** Returns the coding's name as in Content-Encoding ("gzip", "br"), NULL for identity. */
const char *bl_encode_name(bl_enc_t enc);

/** Returns 1 when the coding can be produced by this build (brotli is optional). */
int bl_encode_available(bl_enc_t enc);

/** Returns the coding to send for the Accept-Encoding header HEADER (RFC 9110 12.5.3):
 *  the acceptable available coding of highest q, brotli before gzip at equal q, and
 *  identity when none (or no header) or when the header gives identity a higher q
 *  than that coding's. Linear in the header's length. */
bl_enc_t bl_encode_choose(const char *header);

/** Compresses the LEN bytes at DATA with ENC into a new malloc'ed buffer *OUT of *OUTLEN
 *  bytes the caller frees; returns APR_SUCCESS, APR_ENOTIMPL for a coding this build
 *  lacks, or APR_ENOMEM. */
apr_status_t bl_encode(bl_enc_t enc, const char *data, apr_size_t len, char **out,
                       apr_size_t *outlen);

#endif
