// Package cph is a client for the Huawei Cloud Cloud Phone Host (CPH) API.
//
// It lists the cloud phone images a project can use
// (GET /v1/{project_id}/cloud-phone/phone-images), and manages the
// project's custom images: lists them, deletes them, and shares them with
// other projects (see Image management). It signs every request with the
// account's AK/SK (SDK-HMAC-SHA256, computed by the official core signer).
// Calls take a context.Context, models are plain values, and failures are
// typed: *APIError for answers of the service, sentinel errors for
// configuration, reachable with errors.As and errors.Is.
//
//	client, err := cph.NewClient(
//		cph.WithRegion("cn-north-4"),
//		cph.WithProjectID(projectID),
//		cph.WithCredentials(cph.Credentials{AccessKey: ak, SecretKey: sk}),
//	)
//	if err != nil { ... }
//	out, err := client.ListPhoneImages(ctx, cph.WithImageType(cph.ImageTypePublic))
//
// A Client is safe for concurrent use: create one and share it.
//
// # Precedence
//
// NewClient reads its settings once; for each, the first match wins:
//
//   - credentials: the last of WithCredentials / WithCredentialsProvider,
//     then the environment (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK,
//     HUAWEICLOUD_SDK_SECURITY_TOKEN), then the profile file
//     (HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials);
//   - project ID: WithProjectID, then HUAWEICLOUD_SDK_PROJECT_ID (whatever
//     the credentials' source), then the profile's project_id when the
//     credentials came from the profile (for a provider, a project ID it
//     brings at the first call), then discovered from IAM at the first call;
//   - region: WithRegion, then HUAWEICLOUD_SDK_REGION when neither
//     WithRegion nor WithEndpoint is given (an ill-formed value is an error
//     naming the variable; empty is unset);
//   - CPH endpoint: WithEndpoint, then HUAWEICLOUD_SDK_REGION_CPH_<REGION>,
//     then https://cph.{region}.myhuaweicloud.com;
//   - IAM endpoint (discovery only): WithIAMEndpoint, then
//     HUAWEICLOUD_SDK_IAM_ENDPOINT, then the profile's iam_endpoint (with the
//     profile's credentials), then https://iam.{region}.myhuaweicloud.com; a
//     bare host in the variable or file means https://;
//   - signing: WithSigningAlgorithm, then SDK-HMAC-SHA256.
//
// With the credentials and HUAWEICLOUD_SDK_REGION in the environment,
// NewClient() needs no options.
//
// Explicit options win over the environment, and the environment's project
// ID is used whenever no WithProjectID is given, also with WithCredentials.
// A profile's project_id and iam_endpoint travel with the profile's keys:
// they are used only when the credentials came from that profile. The IAM
// endpoint is checked like the CPH endpoint (http:// only to loopback unless
// WithAllowInsecureHTTP), and only when discovery may happen.
//
// # Credentials
//
// Without WithCredentials or WithCredentialsProvider, NewClient reads the
// default chain once: the environment, then the profile file. It never
// reaches the network. The sources:
//
//   - The environment, EnvCredentials: HUAWEICLOUD_SDK_AK,
//     HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN (temporary
//     credentials) and HUAWEICLOUD_SDK_PROJECT_ID; both keys, or the source
//     is passed over; surrounding white space is ignored.
//   - The profile file, ProfileCredentials(path): path; with "" the file
//     named by HUAWEICLOUD_SDK_CREDENTIALS_FILE, else
//     ~/.huaweicloud/credentials. A regular file, read, never written; a
//     provider reads it once and keeps it.
//   - ECS instance metadata, MetadataCredentials(opts...):
//     http://169.254.169.254, or WithMetadataEndpoint(url);
//     PUT /meta-data/latest/api/token, then GET /openstack/latest/securitykey,
//     for the temporary AK/SK, security token and expiry of the instance's
//     agency. Opt-in only, never in the default chain.
//
// The profile file's INI section [basic] holds ak, sk and optionally
// security_token, project_id and iam_endpoint:
//
//	[basic]
//	ak = ...
//	sk = ...
//	project_id = ...   ; optional: else discovered
//	iam_endpoint = ... ; optional
//
// A provider that has nothing returns an error wrapping
// ErrMissingCredentials and ChainCredentials moves on (for the profile file:
// no file, or a [basic] section with neither ak nor sk); any other error
// stops the chain, so that a broken source never silently gives way to
// another identity: a profile file that cannot be read, that is not a
// regular file (a named pipe, a directory, a device such as /dev/null or a
// socket is refused without being read, so it never blocks; a symbolic link
// to a regular file is fine), or that is malformed (no [basic] section, as
// in an empty file; ak without sk or sk without ak; a line that is not
// "key = value"; more than 1 MiB), or a metadata service answering 500.
// When no source has credentials, the error lists each source tried and
// what to set.
//
// Credentials is itself a CredentialsProvider. A client with a provider asks
// it before every request and does not keep the answer. MetadataCredentials
// (the ECS instance's agency, opt-in only, never in the default chain)
// caches: it fetches on first use (a 5 s budget, 1 s to connect, never
// through a proxy, no redirects), reuses the credentials until 15 minutes
// before they expire (or half their lifetime, if shorter), lets concurrent
// callers share one fetch, and if a refresh fails while the credentials are
// still valid keeps using them and tries again a minute later. Off ECS, or
// on an instance without an agency, it reports ErrMissingCredentials.
// WithMetadataEndpoint points it at another address, such as a
// cphtest.MetadataServer in tests: an absolute http(s) URL without user
// info, query or fragment (plain http is allowed to any host, as the real
// service speaks only http). A MetadataOption returns no error, so an
// invalid URL shows at Retrieve: every call fails without sending anything,
// with an error wrapping ErrInvalidEndpoint, which stops a chain.
//
// # Project ID discovery
//
// With a region, credentials and no project ID from any source, the first
// call discovers it: a signed GET {iam}/v3/projects?name={region} (IAM is
// global: no X-Project-Id), through the same request path as every call
// (signing, size caps, retries, logs as operation KeystoneListProjects). It
// happens once per client: concurrent first calls share one IAM request, and
// the result is kept and reported by Client.ProjectID. A failure is not
// kept; the next call asks again. No project, or several, named after the
// region is an error wrapping ErrMissingProjectID that says what IAM listed;
// an IAM refusal is an *APIError like any other (IsAuthError for a 401/403).
//
// # Regions and endpoints
//
// Regions lists the regions where CPH is known to be offered:
// ru-northwest-2, ap-southeast-3, ap-southeast-1, cn-north-4, cn-south-1,
// cn-southwest-2, cn-east-3, cn-east-2, cn-north-9, la-south-2, la-north-2,
// af-north-1, cn-east-4. WithRegion takes any well-formed region ID, with the
// endpoint https://cph.{region}.myhuaweicloud.com, so a new region needs no
// new release. HUAWEICLOUD_SDK_REGION_CPH_<REGION> (the region upper-cased,
// "-" becoming "_", such as HUAWEICLOUD_SDK_REGION_CPH_CN_NORTH_4) overrides a
// region's endpoint, as in the official SDK (of a comma-separated list, the
// first URL is used). A region not among Regions is used as given; when a
// call's DNS lookup of its host (cph.{region}.myhuaweicloud.com, or
// iam.{region}.myhuaweicloud.com for discovery) fails, the error adds that
// the region is not a known CPH region and lists the known ones, and
// errors.As still finds the *net.DNSError.
//
// # Image management
//
// Besides the phone images, a Client manages the custom images of its
// project, those it made and those other projects share with it. Each
// operation returns its …Output, with the RequestID of the answer:
//
//   - ListImages: GET /v1/{project_id}/cloud-phone/images, one page of the
//     project's custom images: its own (Type ImageTypePrivate, ProjectID
//     the project) and those shared with it (ImageTypeShared,
//     SourceProjectID the owner's project), with Total, how many match the
//     filters, on every page.
//   - AllImages: the same route, every page, as an iter.Seq2[Image, error].
//   - DeleteImage: DELETE /v1/{project_id}/cloud-phone/images/{image_id}.
//   - ListImageMembers (GET), AddImageMember (POST, the body
//     {"member": "<project ID>"}) on
//     /v1/{project_id}/cloud-phone/images/{image_id}/members, and
//     DeleteImageMember (DELETE …/members/{member_id}): the owner's view of
//     the projects an image is shared with, called in the owner's project.
//   - UpdateImageMember: PUT …/members, the body {"status": "accepted"} or
//     {"status": "rejected"} (MemberAccepted, MemberRejected): the member's
//     answer to an image shared with it, called in the member's project.
//
// A share works in two steps: the owner adds the member (AddImageMember),
// and the image is the member's to use once the member accepts it
// (UpdateImageMember with MemberAccepted); it then lists it, with Type
// ImageTypeShared. ExampleClient_AddImageMember runs the whole flow
// between two projects of a cphtest server.
//
// What is checked before anything is sent, each refusal an error wrapping
// ErrInvalidParameter that names the operation: an image ID that is empty
// or has "/", "..", white space or control characters; a member that is
// not a project ID (1 to 64 letters, digits, '-' or '_'); a member status
// other than MemberAccepted and MemberRejected; and the list options. One
// ListOption type serves every list, and each operation takes only some:
// ListPhoneImages takes WithImageType; ListImages and AllImages take
// WithImageType (ImageTypePrivate or ImageTypeShared only),
// WithImageStatus, WithImageName, WithImageID, WithCreatedBetween (sent as
// epoch milliseconds; either end may be open), WithSourceProject,
// WithLimit (1..100, the service's default 100) and WithOffset (0 or
// more). An option an operation does not take (WithImageStatus on
// ListPhoneImages, say), a limit outside 1..100, a negative offset and an
// inverted time range are refused; when several options are bad, the
// first one's error is returned.
//
// Answers: a non-2xx answer is an *APIError, and so is a 2xx one whose
// body carries a non-empty error_code. Request bodies are JSON, sent with
// Content-Type: application/json, and their hash is part of the signature,
// as the official core signer computes it.
//
// AllImages fetches a page only when the loop needs it, so breaking out
// of the loop sends no further request. Its page size is WithLimit's
// (default 100), and it starts at WithOffset's. A bad option is yielded as
// the first and only error, before anything is sent; a page that fails
// (its retries spent) yields its error once, and the listing stops. The
// list may change while it is read, so the listing stops at the first page
// that is empty or shorter than the page size, or when the offset reaches
// the total of the latest page, or the first page's total and one page
// more; an image already yielded (the list shifted) is not yielded again,
// and a page that brings no image not yet yielded ends the listing, so
// that it always ends. Images added or removed while it runs may be
// missed. A service that keeps listing new images is believed for 100000
// of them: AllImages then yields an error wrapping ErrInvalidResponse and
// stops (list further with ListImages and WithOffset). Each range over
// its result lists afresh, and several ranges may run at once.
//
// Times. The reference pages type create_time and update_time as strings
// in ListImages' answer and as numbers in ListImageMembers', without a
// format, so Created and Updated (in UTC) are read from each form they
// plausibly take: epoch milliseconds as a JSON number (1713320018058) or
// string ("1713320018058"), RFC 3339 with or without fractional seconds
// ("2024-04-17T02:13:38Z", "2024-04-17T10:13:38.058+08:00"), and
// "2006-01-02 15:04:05" without a zone, read as UTC. A time in any other
// form (0, a negative or fractional number, one past year 9999, other
// text) never fails the call: it is zero, and CreatedRaw and UpdatedRaw
// keep every time's text as it came (a string's text, a number's digits),
// so that nothing is lost.
//
// Retries follow the method (see Reliability): ListImages, AllImages'
// pages, DeleteImage, ListImageMembers, UpdateImageMember and
// DeleteImageMember (GET, PUT, DELETE: doing them twice does them once)
// are retried as ListPhoneImages is. AddImageMember, a POST, is resent
// only when it is certain the service never acted on it: the connection
// could not be made (refused), the gateway answered with its throttling
// answer (429, APIGW.0308), or it refused the signature's time (clock
// skew, corrected once). A 5xx, a reset or cut connection, or a timeout
// after sending is returned at once: the member may have been added, which
// ListImageMembers tells. When a resent AddImageMember's final answer is a
// 4xx *APIError other than an authentication or throttling one (such as
// "already a member": an earlier attempt may have reached the service
// after all), AddImageMember lists the image's members and, if the project
// is among them, reports success, with the list's request ID; otherwise it
// returns that answer's error, as it does a 4xx of the first attempt.
//
// Interfaces to stub, one a capability, next to PhoneImageLister:
// ImageLister (ListImages, AllImages), ImageDeleter (DeleteImage),
// ImageSharer (ListImageMembers, AddImageMember, DeleteImageMember: the
// owner's) and ImageMemberUpdater (UpdateImageMember: the member's).
// *Client satisfies each; code that takes one can be given a stub of only
// what it uses in tests (ExampleImageLister).
//
// # Errors
//
//   - The service or its gateway answered non-2xx: an *APIError (Operation,
//     StatusCode, Code, Message, RequestID, Attempts, RetryAfter), read from
//     either error shape ({"error_code", "error_msg"} or
//     {"error": {"code", "message"}}); a non-JSON body (an HTML page from a
//     proxy) gives a trimmed snippet as Message; a body cut off gives what
//     arrived, with the status.
//   - IsNotFound reports a 404; IsThrottled a 429 or the code
//     APIGW.0308/APIG.0308; IsAuthError a 401/403 or a gateway
//     authentication code (APIGW.0301 to APIGW.0307, APIGW.0311).
//   - The context was cancelled or its deadline passed: errors.Is(err,
//     context.Canceled) or context.DeadlineExceeded; when it happened while
//     waiting to retry, or the next attempt would have come after the
//     deadline, errors.As(err, &apiErr) still finds the last answer.
//   - A 2xx body that is not the documented document: an
//     *InvalidResponseError (Operation, StatusCode, RequestID, BodyStart,
//     Attempts, Err), with the request ID from the body if it was read, else
//     X-Request-Id, and the body's start redacted; errors.Is(err,
//     ErrInvalidResponse) holds.
//   - A 2xx body over the size cap: errors.Is(err, ErrResponseTooLarge).
//   - No answer (refused, reset, timed out, TLS failure): the net/http
//     error, wrapped; the message says "after N attempts".
//   - A configuration problem: errors.Is with ErrMissingCredentials and the
//     other sentinels. NewClient reports every problem at once (every
//     invalid option and every missing setting, one line each, joined),
//     each wrapping one of: ErrMissingEndpoint (neither region nor
//     endpoint), ErrInvalidEndpoint (an endpoint that is not an absolute
//     http(s) URL, or a region that is not a region ID), ErrMissingProjectID
//     (no project ID from any source and no region to discover it with),
//     ErrInvalidProjectID, ErrMissingCredentials, ErrInvalidCredentials,
//     ErrInsecureEndpoint (plain http:// to a host that is not loopback,
//     without WithAllowInsecureHTTP), ErrInvalidParameter (an out-of-range
//     option value such as WithMaxAttempts(0)).
//
// Every error message starts with "cph:" and names the operation; every
// error wraps its cause, so errors.Is and errors.As see through it.
//
// # Secrets and redaction
//
// No error message, log record or fmt output (any verb, any depth) of a
// Client, a provider or an error contains the secret key, the security token
// or a signature, even when a server or proxy echoes them back: every text
// taken from an answer (a message, a request ID, the start of a body) is
// redacted, white space and control characters folded, and capped (a
// request ID at 128 bytes, an error message at about 1 KiB). Redaction
// replaces every secret of 16 bytes or more wherever it occurs, and a start
// of one (4 bytes or more) where a text was cut; shorter values are no
// credential Huawei Cloud issues (secret keys have 40 characters, security
// tokens hundreds, signatures 64) and are left alone, so that a message is
// never mangled (with the secret key "b", "busy" stays "busy").
//
// Two cases fmt does not let a package protect: a Credentials value in an
// unexported field of your own struct is printed by reflection, in clear,
// and so is %p of a Credentials value or of a struct holding one (fmt
// handles %p before it looks for any method, and calls none on what it
// holds); the client and the providers keep theirs sealed and print
// redacted even there.
//
// # Reliability
//
// A call keeps working through the faults a cloud API really has, and gives
// up at once on the ones a retry cannot fix. Every operation but one is a
// GET, a PUT or a DELETE, which doing twice does once, and is retried as
// the list below says. AddImageMember is a POST, resent only when it is
// certain the service never acted on it (the items marked "any method"),
// and otherwise returned at once (see Image management):
//
//   - 429, or the gateway's throttling code APIGW.0308/APIG.0308: retried,
//     any method (the gateway did not pass the request on).
//   - 500, 502 (also an HTML page from a proxy), 503, 504: retried (GET,
//     PUT, DELETE).
//   - Connection refused: retried, any method. Connection reset: retried
//     (GET, PUT, DELETE).
//   - Connection closed before the whole answer came (headers or body cut
//     off): retried (GET, PUT, DELETE).
//   - One attempt timed out (the transport's timeouts or
//     http.Client.Timeout): retried (GET, PUT, DELETE).
//   - Retry-After (seconds or an HTTP date) on a retried answer: waited out
//     instead of the backoff, up to WithMaxRetryAfter (60 s), whatever the
//     backoff's maximum; a longer one (or one too large to read) returns the
//     error at once, with the asked wait in APIError.RetryAfter.
//   - The next wait would pass the context's deadline: returns at once,
//     without sleeping: the error wraps the last one (errors.As(err,
//     &apiErr)) and context.DeadlineExceeded, and says the next attempt
//     would have come after the deadline.
//   - The context is cancelled while waiting to retry: returns at once; the
//     error wraps context.Canceled and the last one.
//   - The caller's own deadline or cancellation during a request: not
//     retried; errors.Is(err, context.DeadlineExceeded) or context.Canceled.
//   - 401 "signature expired" (the local clock is off by more than 15
//     minutes): the gateway's offset is learned from the answer's Date (not
//     from an answer with an Age header, which may come from a cache); if it
//     differs by a minute or more from the one the request was signed with,
//     the request is retried once, at once, with the corrected time (any
//     method: the gateway refused it); later calls of the same client sign
//     with the offset from the start.
//   - Any other 401/403: not retried: the gateway locks an access key after
//     5 failures in a row.
//   - Other 4xx, 501: not retried.
//   - 3xx redirect: not followed, also with WithHTTPClient (a signed request
//     and its token must not travel to another host); returned as an
//     *APIError.
//   - A non-2xx body cut off (fewer bytes than its Content-Length): an
//     *APIError with its status, retried only if the status is.
//   - Untrusted or invalid certificate, TLS failure: not retried.
//   - A successful body over the cap (32 MiB, WithMaxResponseBytes):
//     ErrResponseTooLarge, not retried; reading stops at the cap, and memory
//     is taken as the body arrives, never from the declared Content-Length
//     alone, so it stays bounded by the cap and by what was sent.
//   - A Content-Length larger than what is sent: the cut is retried like a
//     cut connection; the buffer grows only with the bytes that arrive (at
//     most 256 KiB before any has), so a server declaring 30 MiB and sending
//     a few bytes costs about 256 KiB per attempt, not 30 MiB.
//   - An error body over 64 KiB: only its first 64 KiB are read, for the
//     *APIError.
//   - An http:// endpoint on a host that is not loopback: NewClient refuses
//     it with ErrInsecureEndpoint unless WithAllowInsecureHTTP.
//
// Retries: at most 3 attempts in all by default (WithMaxAttempts(1) turns
// them off; the clock correction counts as one). Before retry i (from 0) the
// client waits a random time in [0, min(max, base·2^i)), "full jitter", with
// WithBackoff(base, max) defaulting to 200 ms and 20 s. Every attempt is
// signed afresh (a new X-Sdk-Date). The rest of a failed answer's body, up
// to 4 KiB, is read before the retry so that the connection is reused. The
// final *APIError has Attempts set; an error without an answer says "after N
// attempts" in its message. Note that net/http itself resends a request once
// when a reused keep-alive connection turns out to be closed, before the
// client sees any error.
//
// # Transport
//
// Unless you pass WithHTTPClient, requests go through the library's own
// *http.Client (never http.DefaultClient): TLS 1.2 or newer with certificate
// verification, a 10 s dial and TLS-handshake timeout, a 30 s wait for
// response headers, at most 1 MiB of response headers, keep-alive
// connections pooled for a client shared by many goroutines (up to 128 idle
// per host and 256 in all, each closed after 90 s unused), and no
// redirects. A client you pass brings its timeouts, transport and TLS
// settings, but never follows a redirect either: the library sends through a
// copy of it that refuses them, and leaves yours unchanged.
//
// # Logs
//
// With WithLogger, each attempt is one debug record "cph: request"
// (operation, method, path, status (0 without an answer), attempt, duration,
// request_id, and error if it failed) and each retry one warning
// "cph: retrying" (operation, attempt, max_attempts, reason, wait). The
// secret key, the security token and the signature never appear, not even
// when a proxy echoes them in an error page. Without a logger, nothing is
// logged.
//
// # Testing
//
// *Client satisfies PhoneImageLister and the interfaces of Image
// management (ImageLister, ImageDeleter, ImageSharer, ImageMemberUpdater):
// code that takes one can be given a stub in tests. To exercise the real client, signing and transport
// included, point it at package [github.com/cph-go/cph/cphtest], a fake CPH
// endpoint on loopback whose package documentation lists every answer it
// gives and its source.
package cph
