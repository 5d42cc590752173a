// Package textzip compresses the canonical text of revisions for storage.
//
// Both store engines keep revision text as a gzip stream (RFC 1952) in a
// binary column. gzip rather than raw DEFLATE because its CRC-32 and length
// trailer let Decompress detect a corrupt or truncated value instead of
// returning damaged text. The text round-trips byte for byte, whether or not
// it is valid UTF-8.
//
// textzip does no I/O and knows nothing of databases.
package textzip
