package main

import (
	"crypto/tls"
	"fmt"
	"net"

	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/server"
)

// serverTLS configures HTTPS on srv from tls-cert/tls-key or
// tls-self-signed, and returns the URL scheme to print.
func (g *globals) serverTLS(c *config.Config, srv *server.Server) (string, error) {
	var cert tls.Certificate
	var err error
	switch {
	case c.TLSSelfSigned && (c.TLSCert != "" || c.TLSKey != ""):
		return "", usageError{"give either --tls-cert and --tls-key or --tls-self-signed, not both"}
	case c.TLSSelfSigned:
		host, _, _ := net.SplitHostPort(c.Addr)
		if cert, err = server.SelfSigned(host); err != nil {
			return "", err
		}
		fmt.Fprintf(g.e.stdout, "HTTPS with a self-signed certificate made for this run (not stored); check its fingerprint when your client asks:\n  SHA-256 %s\n", server.Fingerprint(cert))
	case c.TLSCert != "" || c.TLSKey != "":
		if c.TLSCert == "" || c.TLSKey == "" {
			return "", usageError{"HTTPS needs both --tls-cert FILE and --tls-key FILE"}
		}
		if cert, err = server.LoadCertificate(c.TLSCert, c.TLSKey); err != nil {
			return "", err
		}
	default:
		return "http", nil
	}
	srv.TLS = server.TLSConfig(cert)
	return "https", nil
}
