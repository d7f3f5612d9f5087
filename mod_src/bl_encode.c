/* bl_encode.c: gzip (zlib) and brotli (libbrotlienc, when configure found it).
 *
 * A cached response is compressed once per coding, on the first request that wants
 * it, so the effort can be the highest: zlib level 9, brotli quality 11 for responses
 * up to 64 KiB, 9 up to 1 MiB and 5 beyond (a 9 MB sitemap at quality 11 would take
 * seconds). The choice of coding follows RFC 9110 12.5.3: q-values, "*", "x-gzip" as
 * gzip, "identity" always acceptable unless refused; q-values are read digit by digit,
 * with no locale.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zlib.h>
#ifdef HAVE_BROTLI
#include <brotli/encode.h>
#endif

#include "bl_encode.h"
#include "bl_lang.h"

/* Returns the name of a coding. */
const char *bl_encode_name(bl_enc_t enc)
{
    return enc == BL_ENC_GZIP ? "gzip" : enc == BL_ENC_BR ? "br" : NULL;
}

/* gzip always; brotli when built with it. */
int bl_encode_available(bl_enc_t enc)
{
#ifdef HAVE_BROTLI
    return enc >= 0 && enc < BL_ENC_COUNT;
#else
    return enc == BL_ENC_IDENTITY || enc == BL_ENC_GZIP;
#endif
}

/* Returns the q-value (0-1000) given by the parameters in the LEN bytes at S (";q=0.5"),
 * 1000 when there is none, -1 when it is malformed. */
static int q_of(const char *s, apr_size_t len)
{
    const char *end = s + len, *v;

    while (s < end) {
        while (s < end && (*s == ';' || *s == ' ' || *s == '\t')) {
            s++;
        }
        if (end - s >= 2 && (s[0] == 'q' || s[0] == 'Q') && s[1] == '=') {
            for (v = s + 2; v < end && *v != ';' && *v != ' ' && *v != '\t'; v++) {
            }
            return bl_lang_qvalue(s + 2, (apr_size_t)(v - s - 2));
        }
        while (s < end && *s != ';') {
            s++;
        }
    }
    return 1000;
}

/* Returns the coding named by the LEN bytes at S: a bl_enc_t, BL_ENC_COUNT for "*",
 * or -1 for any other. */
static int coding_of(const char *s, apr_size_t len)
{
    if ((len == 4 && strncasecmp(s, "gzip", 4) == 0)
        || (len == 6 && strncasecmp(s, "x-gzip", 6) == 0)) {
        return BL_ENC_GZIP;
    }
    if (len == 2 && strncasecmp(s, "br", 2) == 0) {
        return BL_ENC_BR;
    }
    if (len == 8 && strncasecmp(s, "identity", 8) == 0) {
        return BL_ENC_IDENTITY;
    }
    return len == 1 && s[0] == '*' ? BL_ENC_COUNT : -1;
}

/* Reads each element once into a q per coding ("*" in the last slot), then takes the
 * available coding of highest q above 0, brotli first at equal q; identity when the
 * client names it with a higher q than that coding's. */
bl_enc_t bl_encode_choose(const char *header)
{
    static const bl_enc_t order[] = { BL_ENC_BR, BL_ENC_GZIP };
    int q[BL_ENC_COUNT + 1] = { -1, -1, -1, -1 };
    const char *s = header, *end, *name;
    int c, v, i, best_q = 0;
    bl_enc_t best = BL_ENC_IDENTITY;

    for (; s != NULL && *s; s = *end ? end + 1 : end) {
        end = strchr(s, ',');
        end = end ? end : s + strlen(s);
        while (s < end && (*s == ' ' || *s == '\t')) {
            s++;
        }
        for (name = s; s < end && *s != ';' && *s != ' ' && *s != '\t'; s++) {
        }
        c = coding_of(name, (apr_size_t)(s - name));
        v = q_of(s, (apr_size_t)(end - s));
        if (c >= 0 && v > q[c]) {
            q[c] = v;
        }
    }
    for (i = 0; i < (int)(sizeof(order) / sizeof(order[0])); i++) {
        v = q[order[i]] >= 0 ? q[order[i]] : q[BL_ENC_COUNT];
        if (v > best_q && bl_encode_available(order[i])) {
            best = order[i];
            best_q = v;
        }
    }
    return q[BL_ENC_IDENTITY] > best_q ? BL_ENC_IDENTITY : best;
}

/* Deflates with a gzip header at level 9. */
static apr_status_t gzip_bytes(const char *data, apr_size_t len, char **out, apr_size_t *outlen)
{
    z_stream z;
    uLong cap = compressBound((uLong)len) + 32;
    int rc;

    memset(&z, 0, sizeof(z));
    *out = malloc(cap);
    if (*out == NULL || deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(*out);
        return APR_ENOMEM;
    }
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)*out;
    z.avail_out = (uInt)cap;
    rc = deflate(&z, Z_FINISH);
    *outlen = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(*out);
        return APR_ENOMEM;
    }
    return APR_SUCCESS;
}

#ifdef HAVE_BROTLI
/* Compresses with brotli, the quality by size. */
static apr_status_t brotli_bytes(const char *data, apr_size_t len, char **out, apr_size_t *outlen)
{
    int quality = len <= 64 * 1024 ? 11 : len <= 1024 * 1024 ? 9 : 5;
    size_t n = BrotliEncoderMaxCompressedSize(len);

    *out = n ? malloc(n) : NULL;
    if (*out == NULL
        || !BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, len,
                                  (const uint8_t *)data, &n, (uint8_t *)*out)) {
        free(*out);
        return APR_ENOMEM;
    }
    *outlen = n;
    return APR_SUCCESS;
}
#endif

/* Dispatches on the coding. */
apr_status_t bl_encode(bl_enc_t enc, const char *data, apr_size_t len, char **out,
                       apr_size_t *outlen)
{
    *out = NULL;
    if (enc == BL_ENC_GZIP) {
        return gzip_bytes(data, len, out, outlen);
    }
#ifdef HAVE_BROTLI
    if (enc == BL_ENC_BR) {
        return brotli_bytes(data, len, out, outlen);
    }
#endif
    return APR_ENOTIMPL;
}
