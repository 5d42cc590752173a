package textzip

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"strings"
)

// Compress returns text compressed as a gzip stream.
func Compress(text string) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(text)/3 + 64)
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return nil, fmt.Errorf("compress text: %w", err)
	}
	if _, err := io.WriteString(zw, text); err != nil {
		return nil, fmt.Errorf("compress text: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress text: %w", err)
	}
	return buf.Bytes(), nil
}

// Decompress returns the text that Compress turned into data. It fails when
// data is not a complete, intact gzip stream.
func Decompress(data []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("decompress text: %w", err)
	}
	zr.Multistream(false)
	var sb strings.Builder
	sb.Grow(len(data) * 3)
	if _, err := io.Copy(&sb, zr); err != nil {
		return "", fmt.Errorf("decompress text: %w", err)
	}
	if err := zr.Close(); err != nil {
		return "", fmt.Errorf("decompress text: %w", err)
	}
	return sb.String(), nil
}
