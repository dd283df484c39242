package fakegw

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/cph-go/cph/internal/wire"
)

// Codes of the gateway's own error answers.
const (
	// CodeAuthFailed (401) refuses a bad signature, an unknown access
	// key, a missing or wrong security token, or an expired X-Sdk-Date.
	CodeAuthFailed = "APIGW.0301"
	// CodeAPINotFound (404) answers a path or method no route serves.
	CodeAPINotFound = "APIGW.0101"
)

// msgNotFound is the message of the gateway's 404.
const msgNotFound = "The API does not exist or has not been published in the environment."

// GatewayDocument is the gateway's error document, an ErrorDocument:
// {"error_code": f.Code, "error_msg": f.Message, "request_id": requestID}.
func GatewayDocument(f Fault, _ int, requestID string) []byte {
	return gatewayDocument(f.Code, f.Message, requestID)
}

func gatewayDocument(code, message, requestID string) []byte {
	body, err := json.Marshal(wire.ErrorBody{Code: code, Message: message, RequestID: requestID})
	if err != nil { // strings always marshal
		panic(err)
	}
	return body
}

// WriteError answers status with the gateway's error document of code and
// message, carrying the request ID already set in w's X-Request-Id.
func WriteError(w http.ResponseWriter, status int, code, message string) {
	body := gatewayDocument(code, message, w.Header().Get("X-Request-Id"))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// notFound is the gateway's answer to a request no route matches.
func notFound(w http.ResponseWriter, _ *http.Request) {
	WriteError(w, http.StatusNotFound, CodeAPINotFound, msgNotFound)
}
