// System compression libraries used by Parquet codecs (Debian: libzstd-dev liblz4-dev libbrotli-dev
// libsnappy-dev zlib1g-dev).
#include <zstd.h>
#include <lz4.h>
#include <lz4frame.h>
#include <brotli/decode.h>
#include <brotli/encode.h>
#include <snappy-c.h>
#include <zlib.h>
