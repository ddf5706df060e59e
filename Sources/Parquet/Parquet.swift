// Pure-Swift Parquet reader and flat writer.
