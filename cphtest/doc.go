// Package cphtest is an in-process fake of the Huawei Cloud CPH API, for
// testing code that calls it without the cloud.
//
// NewServer starts an HTTP server on the loopback interface (like
// net/http/httptest), seeded with the three images of the documented
// ListPhoneImages sample, a fixed demo project ID and fixed demo AK/SK.
// Point a client at it with ClientOptions:
//
//	srv := cphtest.NewServer()
//	defer srv.Close()
//	client, err := cph.NewClient(srv.ClientOptions()...)
//
// The server behaves as the API gateway and the service do:
//
//   - It serves GET /v1/{project_id}/cloud-phone/phone-images with the
//     documented JSON body, request_id in the body and an X-Request-Id
//     header on every answer, and image_type filtering: "public" gives the
//     images with is_public 1, "private" those with is_public 2, "share"
//     the images seeded with WithSharedImages or SetSharedImages, and "all"
//     or no image_type every image. Shared images are only listed by
//     "share" and "all". Custom images shared with the project and
//     accepted are listed by "share" and "all" too (see Custom images).
//   - It serves CPH's custom-image operations: ListImages, DeleteImage,
//     ListImageMembers, AddImageMember, UpdateImageMember and
//     DeleteImageMember (see Custom images), for every project it serves.
//   - It serves IAM's GET /v3/projects (KeystoneListProjects) too: the
//     projects of the signing keys (the server's own; those of AddProject
//     with the same access key), each named after its region
//     (DefaultRegion unless WithRegion), or an empty list when the name
//     query asks for another name. A client made with DiscoveryOptions
//     has no project ID and discovers it there on its first call.
//   - It verifies AK/SK signatures (SDK-HMAC-SHA256 and SDK-HMAC-SM3) over
//     exactly the headers the Authorization header's SignedHeaders lists,
//     whichever they are, as the gateway does; so it accepts this module's
//     client, the official Go SDK's CphClient (which signs neither Host nor
//     Content-Type), requests signed as the Node.js SDK signs them
//     (content-type;host;x-project-id;x-sdk-date) and as the Terraform
//     provider's library does (accept;user-agent;x-sdk-date, X-Project-Id
//     and X-Security-Token added after signing).
//
// Every error answer has the gateway's shape,
//
//	{"error_code": "APIGW.0301", "error_msg": "...", "request_id": "..."}
//
// with these statuses and codes:
//
//	401 APIGW.0301    no, malformed or wrong signature ("Incorrect IAM
//	                  authentication information: verify aksk signature fail"),
//	                  an unknown access key ("... Get secretKey failed ..."),
//	                  a missing or wrong security token when the server's
//	                  credentials have one ("... decrypt token fail"), or an
//	                  X-Sdk-Date more than 15 minutes from the server's clock
//	                  ("... signature expired", with a Date header)
//	403 APIGW.0310    a project the server does not serve, or one the
//	                  signing keys may not act on (another project's keys),
//	                  in the path, or an X-Project-Id other than the path's
//	                  ("The project is unavailable.")
//	404 APIGW.0101    an unknown path or method ("The API does not exist or
//	                  has not been published in the environment.")
//	400 CPS.0100      an image_type other than public, private, share or all
//	                  (ListPhoneImages), or other than private, share or
//	                  public (ListImages) ("Parameter: image_type is
//	                  invalid.")
//	400 CPS.0002      a ListImages offset below 0, a limit outside 1..100, or
//	                  either not an integer ("Parameter: offset or limit is
//	                  invalid.")
//	400 CPS.0010      a ListImages status other than 0, 1 or 2, and an
//	                  UpdateImageMember status other than "accepted" or
//	                  "rejected" ("Parameter: status is invalid.")
//	404 CPS.0030      a custom image the project neither owns nor has been
//	                  offered ("Parameter: image_id is invalid.")
//	403 CPS.0001      a project an image is shared with asking what only
//	                  the owner may: DeleteImage, ListImageMembers,
//	                  AddImageMember, DeleteImageMember ("No permission to
//	                  request resources.")
//	400 CPHTEST.0001  a request body that is not a JSON object of the
//	                  operation's shape; an AddImageMember member that is
//	                  empty or the owner's own project; a create_since or
//	                  create_until that is not an integer
//	409 CPHTEST.0002  an AddImageMember of a project the image is already
//	                  shared with, whatever its answer
//	400 CPHTEST.0003  an AddImageMember of an 11th project
//	404 CPHTEST.0004  a DeleteImageMember of a project the image is not
//	                  shared with
//
// Sources and choices. APIGW.0301, APIGW.0101 and APIGW.0310, their
// statuses and messages, and the 15-minute window for X-Sdk-Date come from
// the gateway's error code table and FAQ in Huawei Cloud's API Request
// Signing Guide
// (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-errorcode.html).
// No public source shows the exact answer to a project ID the signing
// account cannot use; the fake answers with the table's entry for an
// unusable project, APIGW.0310, 403, "The project is unavailable.", whose
// remedy is to use another project. Either way the answer is an
// authorization failure (cph.IsAuthError reports true for any 403). CPH's
// own error table (https://support.huaweicloud.com/intl/en-us/api-cph/ErrorCode.html)
// lists no code for image_type; CPS.0100 is this package's choice, worded
// like the table's "Parameter: <name> is invalid." entries. CPS.0002,
// CPS.0010 and CPS.0030, and their messages, are that table's; it gives
// every CPS code the status 400, and the fake answers 404 for CPS.0030 (an
// image it does not know), so that cph.IsNotFound holds. CPS.0001 and its
// message ("No permission to request resources.") come from an older
// edition of the table (https://support.huaweicloud.com/en-us/api-cph/cph_api_0604.html),
// also at 400; the fake answers 403, an authorization failure. The
// CPHTEST.* codes, their statuses and messages are this package's own:
// no public page shows what the service answers for a duplicate member, a
// full image, an unknown member or a malformed body, and a code of the
// service's own form might one day mean something else. Tests should
// match on the status or on the Code constants rather than on message text.
//
// What is verified, and on what each rule rests. The Authorization header
// must read "<scheme> Access=<AK>, SignedHeaders=<a;b;...>, Signature=<hex>"
// with the server's access key. The signature is recomputed from the
// canonical request of Huawei Cloud's API Request Signing Guide
// ("AK/SK签名认证算法详解", https://support.huaweicloud.com/devg-apisign/api-sign-algorithm-002.html
// and the pages after it), whose worked example (GET /v1/77b6…/vpcs signed at
// 20191115T033655Z, signature 7be66680…) is one of this module's tests:
//
//   - the method; the path, each "/"-separated segment URI-encoded (RFC 3986
//     unreserved characters kept, every other byte %XY), ending in "/"
//     (guide). An escaped slash (%2F) is decoded and separates segments: the
//     guide does not say, and the signers we read (the Go core signer, the
//     Terraform provider's library) all decode the path before splitting it;
//   - the query: names and values URI-encoded the same way, "=" kept for an
//     empty value, sorted by name (guide); a repeated name's values sorted,
//     names and values compared as decoded bytes (as both signers sort); "+"
//     is a space (as Go's url.ParseQuery and the Terraform library read it);
//     a query that does not parse is refused;
//   - one "name:value" line per signed header, name lower case, value
//     trimmed (guide); one line per value, sorted, for a header sent twice,
//     and none for a signed header not sent (the signers' rule); "host" is
//     the request's Host;
//   - the SignedHeaders names, lower case (guide: upper case is refused), in
//     the order listed; x-sdk-date must be among them (guide);
//   - the hex SHA-256 (SM3) of the body, or the value of X-Sdk-Content-Sha256
//     (X-Sdk-Content-Sm3) when sent, where the core signer puts
//     UNSIGNED-PAYLOAD for bodies that are not JSON.
//
// The string to sign is "<scheme>\n<X-Sdk-Date>\n<hex hash of the canonical
// request>", HMAC'd with the secret key (guide); SM3 as the core signer
// computes it (github.com/tjfoc/gmsm). The access key only selects the
// secret key; it is not signed (guide). X-Sdk-Date must be within 15 minutes
// of the server's clock (the guide's error table and FAQ). When the server's
// credentials have a security token, X-Security-Token must carry it, signed
// or not: the Terraform provider's library adds it after signing and works
// with temporary credentials against the real gateway. A token the server
// does not need is ignored. A fuzz test of this module
// (FuzzVerifyMatchesCoreSigner) holds this verifier equal to the core
// signer on every request the core signer can sign.
//
// Custom images. Each project has its own custom images, seeded with
// WithCustomImages or SetCustomImages (CustomImages returns them): an
// image belongs to the project its ProjectID names, the default project
// when it names none, and is stored as that project's private image
// (Type "private", ProjectID the owner). AddProject adds a project with
// its own credentials (ClientOptionsFor gives a client of it); a request
// may act only on the projects of the keys that signed it. The operations,
// signed as ListPhoneImages is (the hash of a POST's or PUT's JSON body is
// part of the signature, and a body that does not match it is refused
// with 401 APIGW.0301):
//
//   - GET /v1/{project_id}/cloud-phone/images (ListImages) answers
//     {"image_infos": [...], "total": N, "request_id": "..."}: the
//     project's own images, then those shared with it that it accepted
//     (image_type "share", src_project_id the owner's project, no
//     project_id), in the order seeded; total is how many match the
//     filters, on every page. The query: image_type (private, share; the
//     older English page's public is taken and matches nothing, since no
//     custom image is public), status (0, 1, 2), image_id and image_name
//     (exact matches: the pages do not say whether the service matches
//     parts of names), src_project_id, create_since and create_until
//     (epoch milliseconds, as the member list's times are; both bounds
//     inclusive, this package's choice; an image without a create time
//     matches no bound), offset (>= 0, default 0) and limit (1..100,
//     default 100). A parameter sent empty counts as not sent.
//     create_time and update_time are JSON strings of epoch milliseconds,
//     such as "1713320018058": the page types them as strings without a
//     format, and that form is this package's choice. For a zero Created
//     or Updated the answer carries CreatedRaw or UpdatedRaw as a string,
//     or leaves the field out, so that a test can serve a form a client
//     does not read.
//   - DELETE /v1/{project_id}/cloud-phone/images/{image_id} (DeleteImage)
//     deletes the project's own image, and every share of it, and answers
//     {"request_id": "..."}.
//   - GET /v1/{project_id}/cloud-phone/images/{image_id}/members
//     (ListImageMembers), in the owner's project, answers
//     {"members": [...]}: every project the image is shared with, whatever
//     its answer, oldest share first, with image_id, member_id and
//     create_time and update_time as JSON numbers of epoch milliseconds
//     (as the page's example), by the server's clock (WithClock). As
//     documented, the body has no request_id (X-Request-Id has it); the
//     newer pages' marker and limit are not served (ignored).
//   - POST …/members (AddImageMember), in the owner's project, with
//     {"member": "<project ID>"}, shares the image with that project,
//     which need not be one the server serves; the share is pending until
//     the member answers. At most 10 members an image (MaxImageMembers,
//     from the AddImageMember page).
//   - PUT …/members (UpdateImageMember), in the member's project, with
//     {"status": "accepted"} or {"status": "rejected"}, answers every share
//     of image_id with the project; it may answer again later.
//   - DELETE …/members/{member_id} (DeleteImageMember), in the owner's
//     project, ends the share, whatever the member's answer.
//
// A pending or rejected share is invisible to the member; an accepted one
// is listed by its ListImages, and by its ListPhoneImages for image_type
// "share", "all" or none, as a phone image of this package's choosing
// (the pages do not say how): the custom image's ID and name, os_type
// "aosp", its Version as os_name, is_public 2 (private) and image_label
// "cloud_phone". A project's own custom images are not among its phone
// images (those are SetImages'), and a project other than the default sees
// the public images of SetImages only. A member can neither delete the
// owner's image nor list, add or remove its members (403 CPS.0001).
//
// The metadata service: NewMetadataServer starts a fake of the ECS instance
// metadata service (http://169.254.169.254) serving an agency's temporary
// credentials; point cph.MetadataCredentials at it with
// cph.WithMetadataEndpoint(srv.URL). It issues session tokens on
// PUT /meta-data/latest/api/token and answers
// GET /openstack/latest/securitykey as the real service does, with its own
// request log and faults (operations "GetSessionToken" and
// "GetSecurityKey"). SetCredentials renews what it serves, and empty
// credentials make an instance without an agency. MetadataServer's
// documentation lists its answers and their sources.
//
// Faults. InjectFault makes the next n requests get a Fault: an error
// answer in the gateway's shape, or a raw body such as a proxy's HTML page,
// with extra headers such as Retry-After; a slow answer (Delay); no answer
// at all (Hang); a reset connection (Reset); or an answer cut short
// (Truncate). Faults apply to every route, IAM's included, unless
// Fault.Operation narrows them to one ("ListPhoneImages", "ListImages",
// "DeleteImage", "ListImageMembers", "AddImageMember",
// "UpdateImageMember", "DeleteImageMember", "KeystoneListProjects"), and
// they come before routing and signature
// checks, as a gateway's do. They queue: each request gets the first
// pending fault that matches it. FailNext(n, status, code, message) is the
// shorthand for the commonest fault; it replaces every pending one. Close
// lets requests held by Hang or Delay go, without an answer, rather than
// wait for them. Like net/http/httptest, InjectFault reports no errors and
// does not panic: n < 1 injects nothing, and a Fault whose fields do not
// fit together is read as Fault's documentation says.
//
//	srv.InjectFault(1, cphtest.Fault{Status: 429, Code: "APIGW.0308",
//		Header: http.Header{"Retry-After": {"2"}}})
//	srv.InjectFault(1, cphtest.Fault{Reset: true})
//	srv.InjectFault(1, cphtest.Fault{Status: 502, Body: "<html>...</html>"})
//	srv.InjectFault(1, cphtest.Fault{Operation: "KeystoneListProjects", Delay: time.Second})
//
// What the server records. Requests returns what the server received, in
// order: method, path, query, headers, body and time of arrival, for every
// request, refused or faulted ones included. It keeps the newest 10,000;
// ResetRequests empties it, so that long tests and benchmarks do not grow
// it without bound.
//
// Options. WithProjectID, WithCredentials and WithRegion mean what the
// options of the same names in package cph mean: each sets its value
// whole, a later one replaces an earlier one, and the zero value means
// "not given", so the default applies. So WithCredentials replaces all of
// the credentials (Credentials{SecurityToken: "t"} is not merged into the
// default AK/SK: it is credentials without keys, which
// cph.NewClient(srv.ClientOptions()...) refuses as cph.NewClient refuses
// them), and WithProjectID("") after WithProjectID("x") is the default
// again. The one difference is what the default is: a client falls back to
// its sources (the environment, the profile file, IAM discovery), a server
// to its fixed demo values (DefaultProjectID, DefaultAccessKey and
// DefaultSecretKey, DefaultRegion), since a fake must serve some project;
// a server never serves "no project". WithClock(nil) likewise means
// time.Now.
//
// A Server is safe for concurrent use.
package cphtest
