// HTTP bounds that the schemas, the request checks and the OpenAPI document share (README "Limits").
// No imports: the browser code's types read the schemas, and this with them.

/** The largest request body: 413 beyond it. */
export const BODY_LIMIT_BYTES = 256 * 1024;
