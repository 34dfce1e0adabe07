// zlib (system library; Debian package zlib1g-dev) for reading the gzip code-set files.
#include <zlib.h>
