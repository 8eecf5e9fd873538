package report

import "regexp"

var urlPattern = regexp.MustCompile(`https?://[^\s"'<>)]+`)

// svgNamespaces are the XML namespace names gonum/plot's SVG declares; they are
// identifiers, never fetched.
var svgNamespaces = map[string]bool{
	"http://www.w3.org/2000/svg":   true,
	"http://www.w3.org/1999/xlink": true,
}

// ExternalURLs lists the http(s) URLs in doc other than the SVG namespace names: a
// self-contained report has none.
func ExternalURLs(doc string) []string {
	var out []string
	for _, u := range urlPattern.FindAllString(doc, -1) {
		if !svgNamespaces[u] {
			out = append(out, u)
		}
	}
	return out
}
