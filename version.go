package cph

// Version is the version of this library, sent in the default User-Agent
// as "cph-go/<Version>".
const Version = "0.1.0"
