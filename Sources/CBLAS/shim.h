// OpenBLAS (Debian: libopenblas-dev). cblas.h declares openblas_set_num_threads too.
#include <cblas.h>
