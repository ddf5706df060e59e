// The entry point of fuzzing builds of ParquetFuzz. SwiftPM links executables with `main` aliased to
// `ParquetFuzz_main`; plain builds get that symbol from the Swift file's implicit main (which overrides this weak
// one), while `-parse-as-library -sanitize=fuzzer` builds have no Swift main, so this one runs libFuzzer's driver
// on `LLVMFuzzerTestOneInput` (Sources/ParquetFuzz).
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "fuzz_main.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerRunDriver(int *argc, char ***argv,
                                              int (*callback)(const uint8_t *data, size_t size));

__attribute__((weak)) int ParquetFuzz_main(int argc, char **argv) {
  if (LLVMFuzzerRunDriver == NULL) {
    fputs("ParquetFuzz: not a fuzzing build; see docs/parquet.md\n", stderr);
    return 0;
  }
  return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
