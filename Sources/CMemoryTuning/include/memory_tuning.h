// glibc malloc tuning for the CLI (see MemoryTuning in Sources/tributary/Tributary.swift).
#pragma once
void tributary_keep_freed_memory(void);
