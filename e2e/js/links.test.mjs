// End-to-end: developers link upstream accounts through auth-service's RFC 8628 client, and the gateway then uses only
// each developer's own token. The standard adapter links an account at the real Keycloak (approved in Chromium); two
// developers link two GitHub accounts at once at the GitHub simulator, then call Copilot through proxy-service with the
// openai SDK. DeviceFlowEndToEndIT checks on the simulator's side whose Copilot token each call carried.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { discoverDeviceAuthorization, gatewayCredential, launchChromium, signInAtKeycloak } from './support.mjs';

const AUTH = process.env.INFERSHIELD_AUTH_URL;
const PROXY = process.env.INFERSHIELD_PROXY_URL;
const GITHUB = process.env.GITHUB_SIMULATOR_URL;
const RUN = process.env.E2E_RUN_ID;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let browser;
let config;
const credentials = {};

async function api(user, method, path) {
  const res = await fetch(`${AUTH}${path}`, { method, headers: { Authorization: `Bearer ${credentials[user]}` } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function startLink(user, provider) {
  const res = await api(user, 'POST', `/v1/links/${provider}`);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.provider, provider);
  assert.equal(res.body.state, 'pending');
  assert.ok(!('deviceCode' in res.body) && !('device_code' in res.body), 'the device code never leaves auth-service');
  return res.body;
}

async function awaitLinkEnd(user, session, seconds = 90) {
  for (let i = 0; i < seconds * 2; i++) {
    const res = await api(user, 'GET', `/v1/links/sessions/${session.id}`);
    assert.equal(res.status, 200);
    if (res.body.state !== 'pending') return res.body;
    await sleep(500);
  }
  assert.fail(`link session ${session.id} still pending after ${seconds} s`);
}

describe('linking upstream accounts, then each developer uses only their own', () => {
  before(async () => {
    browser = await launchChromium();
    config = await discoverDeviceAuthorization(AUTH);
    credentials.alice = await gatewayCredential(browser, config, 'alice');
    credentials.bob = await gatewayCredential(browser, config, 'bob');
  });

  after(async () => {
    await browser?.close();
  });

  it('the standard RFC 8628 adapter links an account at the real Keycloak, approved in Chromium', async () => {
    const session = await startLink('alice', 'corp-idp');
    assert.match(session.verificationUri, /^http:\/\/127\.0\.0\.1:8180\/realms\/infershield\/device/);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(session.verificationUriComplete);
    // Keycloak may confirm the code, then signs alice in, then asks her to grant the device access.
    for (let step = 0; step < 4; step++) {
      await page.waitForSelector('#username, [name="device_user_code"], button[name="accept"]');
      if (await page.$('button[name="accept"]')) break;
      if (await page.$('#username')) {
        await signInAtKeycloak(page, 'alice');
      } else {
        await page.fill('[name="device_user_code"]', session.userCode);
        await page.click('#kc-login');
      }
    }
    await page.click('button[name="accept"]');
    await page.waitForSelector('text=/Device Login Successful/i');
    await context.close();

    const done = await awaitLinkEnd('alice', session);
    assert.equal(done.state, 'linked', JSON.stringify(done));
    const links = await api('alice', 'GET', '/v1/links');
    assert.equal(links.status, 200);
    const corp = links.body.links.find((l) => l.provider === 'corp-idp');
    assert.equal(corp.state, 'linked', 'token-service holds the token Keycloak issued');
    assert.ok(!JSON.stringify(links.body).match(/"(accessToken|refreshToken|token)"/), 'no token in the listing');

    const bobs = await api('bob', 'GET', '/v1/links');
    assert.ok(!bobs.body.links.some((l) => l.provider === 'corp-idp'), "alice's link is not bob's");
    assert.equal((await api('bob', 'GET', `/v1/links/sessions/${session.id}`)).status, 404);
  });

  it('two developers link two GitHub accounts at once, and each Copilot call carries only its own token', async () => {
    const [alice, bob] = await Promise.all([startLink('alice', 'github'), startLink('bob', 'github')]);
    assert.notEqual(alice.userCode, bob.userCode);
    for (const [session, login] of [[alice, `octo-alice-${RUN}`], [bob, `octo-bob-${RUN}`]]) {
      assert.equal(session.verificationUri, `${GITHUB}/login/device`);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(session.verificationUri);
      await page.fill('#login', login);
      await page.fill('#user_code', session.userCode);
      await page.click('#authorize');
      assert.match(await page.textContent('#done'), /authorized/i);
      await context.close();
    }
    const [aliceDone, bobDone] = await Promise.all([awaitLinkEnd('alice', alice), awaitLinkEnd('bob', bob)]);
    assert.equal(aliceDone.state, 'linked', JSON.stringify(aliceDone));
    assert.equal(bobDone.state, 'linked', JSON.stringify(bobDone));

    const ask = async (user) => {
      const openai = new OpenAI({ apiKey: credentials[user], baseURL: `${PROXY}/v1`, maxRetries: 0 });
      const prompt = `${user}-copilot-${RUN}`;
      const answer = await openai.chat.completions.create({ model: 'copilot/gpt-4o', messages: [{ role: 'user', content: prompt }] });
      assert.equal(answer.choices[0].message.content, `Echo: ${prompt}`);
    };
    await Promise.all([ask('alice'), ask('bob'), ask('alice'), ask('bob')]);
  });

  it('a developer who never linked GitHub gets a clear error, not someone else\'s token', async () => {
    const carol = await gatewayCredential(browser, config, 'carol');
    const openai = new OpenAI({ apiKey: carol, baseURL: `${PROXY}/v1`, maxRetries: 0 });
    await assert.rejects(
      openai.chat.completions.create({ model: 'copilot/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      (err) => {
        assert.equal(err.status, 503);
        assert.equal(err.code, 'upstream_not_configured');
        return true;
      });
  });

  it('removing a link takes it out of token-service', async () => {
    assert.equal((await api('alice', 'DELETE', '/v1/links/corp-idp')).status, 204);
    const links = await api('alice', 'GET', '/v1/links');
    assert.ok(!links.body.links.some((l) => l.provider === 'corp-idp'));
    assert.equal((await api('alice', 'DELETE', '/v1/links/corp-idp')).status, 404);
  });
});
