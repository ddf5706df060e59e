// See fuzz_main.c: the weak entry point of ParquetFuzz's fuzzing builds.
#pragma once
int ParquetFuzz_main(int argc, char **argv);
