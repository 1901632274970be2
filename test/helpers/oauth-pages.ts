import { request } from 'node:http';

/** A page of the app's install flow as a browser receives it. */
export interface TPage {
  status: number;
  body: string;
  setCookie: string[];
}

/** GET over loopback with an optional cookie header (and other headers, e.g. Accept-Language). */
export function getPage(url: string, cookie?: string, headers: Record<string, string> = {}): Promise<TPage> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { ...headers, ...(cookie ? { cookie } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), setCookie: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the install page as a browser would: the authorize URL of its button and the state cookie. */
export async function startInstall(appUrl: string): Promise<{ authorize: URL; cookie: string; page: TPage }> {
  const page = await getPage(`${appUrl}/slack/install`);
  const href = /<a class="button" id="add-to-slack" href="([^"]+)">[^<]*<\/a>/.exec(page.body)?.[1];
  if (!href) throw new Error(`no Add to Slack link: ${page.body}`);
  const authorize = new URL(href.replace(/&amp;/g, '&'));
  const cookie = page.setCookie.map((c) => c.split(';')[0]!).join('; ');
  return { authorize, cookie, page };
}
