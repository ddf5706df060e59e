// Compression codecs used by Parquet pages (and later by our own formats).
// Placeholder: filled in by the Parquet foundation work.
import CCompression
