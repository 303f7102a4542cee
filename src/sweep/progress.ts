// Progress of a sweep or run: a bar (cli-progress) with runs (replications) done/total, per second and
// the ETA on a terminal; a plain line every 10 % or 10 s otherwise (CI logs); nothing
// with --quiet.
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progress(mode: 'auto' | 'quiet', stream: NodeJS.WriteStream = process.stderr, unit = 'runs'): Progress {
  if (mode === 'quiet') return { update() {}, stop() {} };
  const started = Date.now();
  let first = -1;
  const rate = (done: number) => {
    const s = (Date.now() - started) / 1000;
    return s > 0 ? (done - Math.max(0, first)) / s : 0;
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${unit} {bar} {value}/{total} | {rate} ${unit}/s | ETA {eta_formatted}`, hideCursor: true, stream, etaBuffer: 200 },
      cliProgress.Presets.shades_classic,
    );
    let startedBar = false;
    return {
      update(done, total) {
        if (!startedBar) {
          bar.start(total, done, { rate: '0' });
          first = done;
          startedBar = true;
        }
        bar.update(done, { rate: rate(done).toFixed(0) });
      },
      stop() {
        if (startedBar) bar.stop();
      },
    };
  }
  let lastTime = 0;
  let lastShare = -1;
  return {
    update(done, total) {
      if (first < 0) first = done;
      const share = Math.floor((done / Math.max(1, total)) * 10);
      const now = Date.now();
      if (share > lastShare || now - lastTime > 10_000 || done === total) {
        if (share === lastShare && done !== total && now - lastTime <= 10_000) return;
        const r = rate(done);
        const eta = r > 0 ? Math.round((total - done) / r) : NaN;
        stream.write(`${unit} ${done}/${total} (${Math.round((done / Math.max(1, total)) * 100)} %), ${r.toFixed(0)} ${unit}/s${Number.isFinite(eta) ? `, ETA ${eta} s` : ''}\n`);
        lastShare = share;
        lastTime = now;
      }
    },
    stop() {},
  };
}
