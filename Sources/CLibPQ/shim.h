// libpq, the PostgreSQL client library (Debian: libpq-dev), for `tributary import postgres://...`.
#include <postgresql/libpq-fe.h>
