// The title of each status a problem answer can have (RFC 9457 `title`), for the answers and the
// OpenAPI document. No imports: the browser code's types read the schemas, and this with them.

export const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Every title a problem can carry (the fallback for a status without one included). */
export const PROBLEM_TITLES = [...Object.values(TITLES), 'Error'];
