package cph

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// String describes the client: its region, endpoint, project ID and where
// its credentials come from, with the credentials redacted as
// Credentials.String redacts them. It never shows a secret.
func (c *Client) String() string {
	if c == nil {
		return "cph.Client(nil)"
	}
	var b strings.Builder
	b.WriteString("cph.Client{Region:")
	b.WriteString(strconv.Quote(c.region))
	b.WriteString(", Endpoint:")
	endpoint := ""
	if c.endpoint != nil {
		endpoint = c.endpoint.Redacted()
	}
	b.WriteString(strconv.Quote(endpoint))
	b.WriteString(", ProjectID:")
	b.WriteString(strconv.Quote(c.ProjectID()))
	b.WriteString(", Credentials:")
	b.WriteString(c.credentialsText())
	b.WriteByte('}')
	return b.String()
}

// credentialsText names the client's credentials without their secrets:
// the fixed ones redacted, or the type of the provider.
func (c *Client) credentialsText() string {
	switch {
	case c.signer() == nil:
		return "none"
	case c.signer().provider != nil:
		return fmt.Sprintf("provider %T", c.signer().provider)
	}
	return c.signer().creds.String()
}

// GoString returns the same redacted text as String, for %#v.
func (c *Client) GoString() string { return c.String() }

// Format prints the redacted String under every verb, so that no fmt verb
// (%v, %+v, %#v, %s, %q, %x, ...) reveals a secret.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue makes slog log the client as its region, endpoint, project ID
// and redacted credentials.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("cph.Client(nil)")
	}
	endpoint := ""
	if c.endpoint != nil {
		endpoint = c.endpoint.Redacted()
	}
	return slog.GroupValue(
		slog.String("region", c.region),
		slog.String("endpoint", endpoint),
		slog.String("project_id", c.ProjectID()),
		slog.String("credentials", c.credentialsText()),
	)
}
