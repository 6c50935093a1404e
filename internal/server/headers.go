package server

import "net/http"

// ContentSecurityPolicy allows the dashboard's own scripts, styles and
// images (and data: images for inline SVG charts) and nothing else: no
// inline script or style, no plugins, no framing, no <base> rewriting.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// securityHeaders sets the headers every response carries. Handlers may
// override Cache-Control for static assets; answers default to no-store
// because most carry customer data.
func securityHeaders(h http.Header, overTLS bool) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	h.Set("Cache-Control", "no-store")
	if overTLS {
		// Only over TLS: sent over plain HTTP it would be ignored, and a
		// trial server on http://localhost must not pin browsers to HTTPS.
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}
