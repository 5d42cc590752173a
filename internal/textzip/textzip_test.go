package textzip

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"le", "monde", "naïve", "日本語", "😀", "\u200f", "e\u0301", "\r\n", "\x00", "\xff\xfe"}
	var large strings.Builder
	for large.Len() < 2<<20 {
		large.WriteString(words[rng.IntN(len(words))])
		large.WriteByte(' ')
	}
	tests := []struct {
		name string
		text string
	}{
		{"empty", ""},
		{"ascii", "Hello, world.\n"},
		{"unicode", "Ça change : 日本語, emoji 😀, RTL \u05e9\u05dc\u05d5\u05dd, combining e\u0301"},
		{"invalid utf-8 and nul", "a\x00b\xff\xfec"},
		{"trailing whitespace", "line one  \r\nline two\t\n\n"},
		{"large", large.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data, err := Compress(tt.text)
			if err != nil {
				t.Fatalf("Compress: %v", err)
			}
			got, err := Decompress(data)
			if err != nil {
				t.Fatalf("Decompress: %v", err)
			}
			if got != tt.text {
				t.Errorf("round trip changed the text: got %d bytes, want %d", len(got), len(tt.text))
			}
		})
	}
}

func TestCompresses(t *testing.T) {
	t.Parallel()
	text := strings.Repeat("The quick brown fox jumps over the lazy dog. ", 1000)
	data, err := Compress(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > len(text)/10 {
		t.Errorf("Compress(%d bytes of repeated text) = %d bytes, want under a tenth", len(text), len(data))
	}
}

func TestDecompressRejectsDamage(t *testing.T) {
	t.Parallel()
	data, err := Compress(strings.Repeat("redline ", 100))
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)-5] ^= 0xff // inside the CRC-32/length trailer
	tests := map[string][]byte{
		"nil":       nil,
		"not gzip":  []byte("plain text"),
		"truncated": data[:len(data)-4],
		"bad crc":   flipped,
	}
	for name, in := range tests {
		if got, err := Decompress(in); err == nil {
			t.Errorf("Decompress(%s) = %q, nil; want an error", name, got)
		}
	}
}

func BenchmarkCompress(b *testing.B) {
	text := strings.Repeat("Un paragraphe de texte canonique, avec des accents à côté. ", 400)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := Compress(text); err != nil {
			b.Fatal(err)
		}
	}
}
