// A throwaway PostgreSQL 15 for one test file, through scripts/pg-test-cluster.sh: initdb into
// a temporary directory, the server on a Unix socket there (no TCP port), stopped and removed
// by stop(). Each test takes its own database.
//
//   const pg = await startPostgres();
//   const url = await pg.createDatabase('cross');   // postgresql:///cross?host=DIR&user=aerie
//   await pg.stop();
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './server.mjs';

const execFileP = promisify(execFile);
const pgBin = process.env.AERIE_PG_BIN || '/usr/lib/postgresql/15/bin';
const script = path.join(repoRoot, 'scripts', 'pg-test-cluster.sh');

// False when the PostgreSQL binaries are absent (scripts/setup.sh --test installs them).
export function havePostgres() {
  return existsSync(path.join(pgBin, 'initdb'));
}

export async function startPostgres() {
  // Short, under /tmp: a Unix socket path has at most 107 bytes.
  const dir = await mkdtemp('/tmp/aerie-pg-');
  await execFileP(script, ['start', dir], { timeout: 60000 });
  const url = (db) => `postgresql:///${db}?host=${dir}&user=aerie`;
  return {
    dir,
    url,
    async createDatabase(name) {
      await execFileP(path.join(pgBin, 'createdb'), ['-h', dir, '-U', 'aerie', name], { timeout: 15000 });
      return url(name);
    },
    // Runs SQL as the superuser (tests that poke the database behind aerie's back).
    async sql(db, text) {
      const out = await execFileP(path.join(pgBin, 'psql'), ['-h', dir, '-U', 'aerie', '-d', db, '-XAtc', text], { timeout: 15000 });
      return out.stdout.trim();
    },
    async stop() {
      await execFileP(script, ['stop', dir], { timeout: 30000 });
    },
  };
}
