// What the end-to-end clients share: Debian's Chromium through Playwright, RFC 8414 discovery of the gateway's device
// authorization server, Keycloak's sign-in form, and a gateway credential obtained through the device flow.
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { chromium } from 'playwright-core';

/** Headless Chromium, quiet: no first-run, sync, component updates or QUIC on the loopback stack. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** The CLI's client configuration from RFC 8414 discovery at `authUrl`; plain http is fine on loopback in tests. */
export function discoverDeviceAuthorization(authUrl) {
  return oidc.discovery(new URL(authUrl), 'infershield-cli', undefined, oidc.None(),
    { execute: [oidc.allowInsecureRequests], algorithm: 'oauth2' });
}

/** Fills Keycloak's sign-in form for a realm user (development passwords are `<user>-dev-password`). */
export async function signInAtKeycloak(page, user) {
  await page.waitForSelector('#username');
  await page.fill('#username', user);
  await page.fill('#password', `${user}-dev-password`);
  await page.click('#kc-login');
}

/** A gateway credential for `user`, through the device flow approved in the browser. */
export async function gatewayCredential(browser, config, user) {
  const grant = await oidc.initiateDeviceAuthorization(config, { scope: 'gateway' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(grant.verification_uri_complete);
  await signInAtKeycloak(page, user);
  await page.click('#continue');
  await page.click('#approve');
  assert.match(await page.textContent('#result'), /approved/i);
  await context.close();
  return (await oidc.pollDeviceAuthorizationGrant(config, grant)).access_token;
}
