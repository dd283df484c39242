package cph

import (
	"context"

	"github.com/cph-go/cph/internal/wire"
)

// doDone sends cl and decodes its answer as a bare acknowledgement
// (wire.Done), the answer of the operations that act and return nothing
// but a request ID (DeleteImage, AddImageMember, UpdateImageMember,
// DeleteImageMember). It returns that request ID: the body's request_id,
// else the X-Request-Id header. Its errors are do's and decodeJSON's, as
// they are.
func (c *Client) doDone(ctx context.Context, cl call) (string, error) {
	resp, err := c.do(ctx, cl)
	if err != nil {
		return "", err
	}
	_, requestID, err := decodeJSON[wire.Done](cl.op, resp, nil)
	return requestID, err
}
