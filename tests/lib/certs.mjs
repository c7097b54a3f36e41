// Throwaway certificates for TLS tests, made with the openssl command line: a CA and leaf
// certificates it signs (EC P-256, valid for a day), as PEM files in a directory of their own.
//
//   const certs = await makeCertificates();
//   const ca = await certs.ca('ca');                         // {cert, key}
//   const server = await certs.leaf(ca, 'redis', ['IP:127.0.0.1', 'DNS:localhost']);   // {cert, key}
//   await certs.remove();
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const openssl = (...args) => execFileP('openssl', args, { timeout: 30000 });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export async function makeCertificates() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aerie-certs-'));
  const file = (name) => path.join(dir, name);
  return {
    dir,
    // A self-signed CA.
    async ca(name) {
      await openssl('req', '-x509', ...EC, '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`),
        '-days', '1', '-subj', `/CN=${name} test CA`,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
      return { cert: file(`${name}.pem`), key: file(`${name}.key`) };
    },
    // A certificate signed by `ca`, with these subjectAltNames ('IP:127.0.0.1', 'DNS:name').
    async leaf(ca, name, altNames = []) {
      await openssl('req', ...EC, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', `/CN=${name}`);
      const ext = file(`${name}.ext`);
      await writeFile(ext, `basicConstraints=CA:FALSE\n${altNames.length ? `subjectAltName=${altNames.join(',')}\n` : ''}`);
      await openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', ca.cert, '-CAkey', ca.key,
        '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '1', '-extfile', ext, '-out', file(`${name}.pem`));
      return { cert: file(`${name}.pem`), key: file(`${name}.key`) };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
