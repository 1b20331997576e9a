// autocannon ships no types; this is the part of its API the benchmarks (bench/) and the load run
// (scripts/load/) use.
declare module 'autocannon' {
  export interface Request {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  }
  export interface RequestSpec extends Request {
    // biome-ignore lint/suspicious/noExplicitAny: each caller keeps its own per-connection context shape
    setupRequest?: (req: Request, context: any) => Request;
    /** Called with each reply; the context is the one setupRequest saw (reset after every request). */
    // biome-ignore lint/suspicious/noExplicitAny: as above
    onResponse?: (status: number, body: string, context: any) => void;
  }
  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    pipelining?: number;
    timeout?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: RequestSpec[];
  }
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p99: number;
  }
  export interface Result {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '1xx': number;
    '2xx': number;
    '3xx': number;
    '4xx': number;
    '5xx': number;
    totalCompletedRequests: number;
    latency: Histogram;
    requests: Histogram;
    statusCodeStats: Record<string, { count: number }>;
  }
  export default function autocannon(options: Options): Promise<Result>;
}
