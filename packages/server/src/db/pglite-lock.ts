import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StartupError } from '../startup-error.js';

const LOCK_FILE = 'parley.pid';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims a PGlite data directory for this process. PGlite is an in-process database: two processes
 * on one directory would corrupt it, so a second one is refused with a clear message. A lock left by
 * a process that died is taken over. Returns the release function.
 */
export function lockPgliteDir(dir: string): () => void {
  const file = path.join(dir, LOCK_FILE);
  const mine = String(process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
        throw new StartupError(
          `PGlite data directory ${dir} is in use by another Parley process (pid ${holder}); PGlite is ` +
            'single-process: stop that one, or set DATABASE_URL to share PostgreSQL between servers',
        );
      }
      unlinkSync(file);
    }
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === mine) unlinkSync(file);
    } catch {
      // already gone
    }
  };
}
