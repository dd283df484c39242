package wire

// ErrorBody is the body of a failed answer, in either of the two shapes
// in use on Huawei Cloud, which a client must both read:
//
//	{"error_code": "CPS.0005", "error_msg": "...", "request_id": "..."}
//	{"error": {"code": "...", "message": "...", "request_id": "..."}}
//
// The first is the API gateway's (its error code table is in Huawei
// Cloud's API Request Signing Guide, "Error Codes") and CPH's own (CPH
// API reference, "Error Codes"); the second is the shape other services
// answer with. Marshalled with a nil Error, it is exactly the first shape,
// every field present even when empty, as the gateway writes it.
type ErrorBody struct {
	// Code is error_code, such as "APIGW.0301" or "CPS.0005".
	Code string `json:"error_code"`
	// Message is error_msg, the error's text.
	Message string `json:"error_msg"`
	// RequestID is the ID the gateway or service gave the request.
	RequestID string `json:"request_id"`
	// Error is the second shape's "error" object; nil when absent (or
	// null), and then not marshalled.
	Error *ErrorDetail `json:"error,omitempty"`
}

// ErrorDetail is the "error" object of the second error shape,
// {"code": "...", "message": "...", "request_id": "..."}.
type ErrorDetail struct {
	// Code is the error's code.
	Code string `json:"code"`
	// Message is the error's text.
	Message string `json:"message"`
	// RequestID is the ID the service gave the request.
	RequestID string `json:"request_id"`
}
