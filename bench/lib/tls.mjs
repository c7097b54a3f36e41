// A throw-away self-signed certificate for the Node reference servers over TLS: P-256 ECDSA, as
// aerie's own `--tls on` certificate (src/tls/SelfSignedCertificate.cpp), for 127.0.0.1 and
// localhost, in a fresh temp directory ({dir}/cert.pem, {dir}/key.pem). The caller removes it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function selfSignedCert() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { dir, cert: path.join(dir, 'cert.pem'), key: path.join(dir, 'key.pem') };
}
