// Command hookrecv is a webhook receiver for redline's crash test
// (crashtest.sh beside it): it verifies each delivery's signature, answers
// 503 to a share of them (-fail, drawn at random per request, as a
// receiver that is down half the time), and appends every delivery it
// accepts to a JSONL file, one line per request, with its Redline-Delivery
// key, event, watch and revision. The file is synced after each line, so
// a delivery acknowledged with 2xx is on disk.
//
// Usage:
//
//	hookrecv -addr 127.0.0.1:9099 -secret S -out deliveries.jsonl -fail 0.5
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/redlinehq/redline/notify"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9099", "listen address")
	secret := flag.String("secret", "", "webhook secret (required)")
	out := flag.String("out", "deliveries.jsonl", "file the accepted deliveries are appended to")
	fail := flag.Float64("fail", 0.5, "share of requests answered 503")
	flag.Parse()
	if *secret == "" {
		fmt.Fprintln(os.Stderr, "hookrecv: -secret is required")
		os.Exit(2)
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hookrecv:", err)
		os.Exit(1)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	var mu sync.Mutex
	http.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := notify.VerifySignature(*secret, r.Header.Get("Redline-Signature"), body, time.Now(), 0); err != nil {
			log.Error("bad signature", "delivery", r.Header.Get("Redline-Delivery"), "error", err.Error())
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		if rand.Float64() < *fail {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		var m notify.Message
		if err := json.Unmarshal(body, &m); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rec := struct {
			Delivery string `json:"delivery"`
			Event    string `json:"event"`
			Watch    int64  `json:"watch"`
			Revision int    `json:"revision,omitempty"`
		}{r.Header.Get("Redline-Delivery"), m.Event, m.Watch.ID, 0}
		if m.Revision != nil {
			rec.Revision = m.Revision.New
		}
		line, _ := json.Marshal(rec)
		mu.Lock()
		_, err = f.Write(append(line, '\n'))
		if err == nil {
			err = f.Sync()
		}
		mu.Unlock()
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	srv := &http.Server{Addr: *addr, ReadHeaderTimeout: 10 * time.Second}
	log.Info("listening", "addr", *addr, "out", *out, "fail", *fail)
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "hookrecv:", err)
		os.Exit(1)
	}
}
