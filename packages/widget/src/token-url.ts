import type { GetToken } from '@parley/sdk';

/**
 * A `getToken` that asks the host app's endpoint for a token: GET with the page's cookies
 * (`credentials: 'include'`, the host knows who is signed in), answer `{"token": "…"}`.
 * A relative URL resolves against the host page, where the host app serves it.
 */
export function tokenFromUrl(url: string): GetToken {
  return async () => {
    const response = await fetch(url, { credentials: 'include', headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`Parley token endpoint ${url} answered ${response.status}`);
    const body = (await response.json()) as { token?: unknown };
    if (typeof body.token !== 'string' || !body.token)
      throw new Error(`Parley token endpoint ${url} answered without a "token"`);
    return body.token;
  };
}
