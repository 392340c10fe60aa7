// Types for pidusage@4 (the package ships none): only what the sampler uses.
declare module 'pidusage' {
  interface Status_ {
    /** CPU in % of one core since the previous call for this pid. */
    cpu: number;
    /** Resident set size in bytes. */
    memory: number;
    ppid: number;
    pid: number;
    ctime: number;
    elapsed: number;
    timestamp: number;
  }
  function pidusage(pid: number | string): Promise<Status_>;
  function pidusage(pids: (number | string)[]): Promise<Record<string, Status_>>;
  namespace pidusage {
    type Status = Status_;
    /** Drops the per-pid history (and open /proc file handles). */
    function clear(): void;
  }
  export = pidusage;
}
