import { createPublicKey } from 'node:crypto';
import { devSecretPath, ensureDevSecret } from '../dev-secret.js';
import { ConfigError } from './config-error.js';
import type { EnvValues } from './env-schema.js';

export type JwtAlgorithm = 'HS256' | 'RS256' | 'ES256';

/** How tokens are verified. The algorithm is pinned here, never taken from a token. */
export type JwtConfig = {
  issuer: string | null;
  audience: string | null;
} & (
  | {
      algorithm: 'HS256';
      secret: string;
      /** true when it is demo mode's development secret (`<PARLEY_DATA_DIR>/dev-secret`), not PARLEY_JWT_SECRET */
      development: boolean;
    }
  | { algorithm: 'RS256' | 'ES256'; publicKey: string }
);

/** Which key verifies tokens, and with which algorithm: exactly one of a secret or a public key. */
export function jwtConfig(e: EnvValues, warnings: string[]): JwtConfig {
  const common = { issuer: e.PARLEY_JWT_ISSUER, audience: e.PARLEY_JWT_AUDIENCE };
  if (e.PARLEY_JWT_SECRET && e.PARLEY_JWT_PUBLIC_KEY) {
    throw new ConfigError('Set either PARLEY_JWT_SECRET (HS256) or PARLEY_JWT_PUBLIC_KEY (RS256/ES256), not both');
  }
  if (e.PARLEY_JWT_PUBLIC_KEY) {
    if (e.PARLEY_DEMO) {
      throw new ConfigError('PARLEY_DEMO hands out tokens, so it needs HS256: use PARLEY_JWT_SECRET (or neither key)');
    }
    const algorithm = e.PARLEY_JWT_ALGORITHM ?? 'RS256';
    if (algorithm === 'HS256') {
      throw new ConfigError('PARLEY_JWT_ALGORITHM=HS256 needs PARLEY_JWT_SECRET, not PARLEY_JWT_PUBLIC_KEY');
    }
    // Env files often carry PEM newlines as "\n".
    const publicKey = e.PARLEY_JWT_PUBLIC_KEY.replace(/\\n/g, '\n');
    let keyType: string | undefined;
    try {
      keyType = createPublicKey(publicKey).asymmetricKeyType;
    } catch (err) {
      throw new ConfigError(`PARLEY_JWT_PUBLIC_KEY is not a PEM public key: ${(err as Error).message}`);
    }
    const expected = algorithm === 'RS256' ? 'rsa' : 'ec';
    if (keyType !== expected) {
      throw new ConfigError(`PARLEY_JWT_PUBLIC_KEY is a ${keyType} key but PARLEY_JWT_ALGORITHM is ${algorithm}`);
    }
    return { ...common, algorithm, publicKey };
  }
  if (e.PARLEY_JWT_ALGORITHM && e.PARLEY_JWT_ALGORITHM !== 'HS256') {
    throw new ConfigError(`PARLEY_JWT_ALGORITHM=${e.PARLEY_JWT_ALGORITHM} needs PARLEY_JWT_PUBLIC_KEY`);
  }
  if (e.PARLEY_JWT_SECRET) return { ...common, algorithm: 'HS256', secret: e.PARLEY_JWT_SECRET, development: false };
  if (e.PARLEY_DEMO) {
    warnings.push(
      `PARLEY_JWT_SECRET is not set: demo mode signs with the development secret in ${devSecretPath(e.PARLEY_DATA_DIR)} ` +
        '(`npx parley token --sub bot --name Bot` uses it too). Never run demo mode in production.',
    );
    return { ...common, algorithm: 'HS256', secret: ensureDevSecret(e.PARLEY_DATA_DIR), development: true };
  }
  throw new ConfigError('Set PARLEY_JWT_SECRET (HS256, 32+ characters) or PARLEY_JWT_PUBLIC_KEY (RS256/ES256)');
}
