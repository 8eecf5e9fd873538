package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// basePolicy is the Content-Security-Policy of every answer but a page: nothing may be
// loaded or run from it.
const basePolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// policy is the Content-Security-Policy of a page: scripts only from the server and the
// page's own inline scripts and event handlers (by the hashes of their text, computed
// from the page as it is served, so editing the page needs no change here),
// WebAssembly compilation ('wasm-unsafe-eval', which Go's wasm needs), styles from the
// server or inline, images from the server, data: and blob: URLs (canvas snapshots),
// fetches only to the server; no plugins, no framing, no <base>, no form posts.
func policy(page []byte) string {
	var scripts, handlers []string
	hash := func(text string) string {
		sum := sha256.Sum256([]byte(text))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	inline := false // inside a <script> without src
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			inline = false
			if tok.Data == "script" && tt == html.StartTagToken {
				inline = !slices.ContainsFunc(tok.Attr, func(a html.Attribute) bool { return a.Key == "src" })
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") {
					handlers = append(handlers, hash(a.Val))
				}
			}
		case html.TextToken:
			if inline {
				scripts = append(scripts, hash(string(z.Text())))
			}
		case html.EndTagToken:
			inline = false
		}
	}
	src := []string{"'self'", "'wasm-unsafe-eval'"}
	src = append(src, scripts...)
	if len(handlers) > 0 {
		src = append(src, "'unsafe-hashes'")
		src = append(src, handlers...)
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src " + strings.Join(src, " "),
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"connect-src 'self'",
		"object-src 'none'",
		"frame-ancestors 'none'",
		"base-uri 'none'",
		"form-action 'none'",
	}, "; ")
}
