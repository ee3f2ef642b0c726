// Shared set-up of the conformance suite: the emulator's admin API, SDK clients preset for the emulator
// (challenge resource verification off: the vault host is 127.0.0.1, not *.vault.azure.net), unique names.
// run.mjs starts the emulator and passes its settings in the environment.
import { randomUUID } from "node:crypto";
import { ManagedIdentityCredential } from "@azure/identity";
import { CryptographyClient, KeyClient } from "@azure/keyvault-keys";

export const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the suite through emulator/src/test/js/run.mjs`);
  }
  return value;
};

export const adminUrl = () => env("EMULATOR_ADMIN_URL");
export const appPrincipalId = () => env("APP_PRINCIPAL_ID");

export const unique = (prefix) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Calls the admin API; answers the parsed body, or throws with the status and body. */
export async function admin(method, path, body) {
  const response = await fetch(adminUrl() + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : {};
}

/** A vault (standard unless said otherwise); answers its admin description (vaultUrl, name, …). */
export async function createVault({ sku = "standard", softDelete = true, purgeProtection = true, firewall = false } = {}) {
  const name = unique("js");
  const vault = await admin("PUT", `/admin/vaults/${name}`, { sku, softDelete, purgeProtection, retentionDays: 90, firewall });
  return { ...vault, name };
}

export const grant = (vault, principalId, ...keys) =>
  admin("PUT", `/admin/vaults/${vault.name}/access-policies/${principalId}`, { keys });

export const createIdentity = (name = unique("uai-js")) => admin("PUT", `/admin/identities/${name}`, {});

/** The function app's own (system-assigned) identity, or a user-assigned one by resource ID, client ID or object ID. */
export const credential = (options) => (options ? new ManagedIdentityCredential(options) : new ManagedIdentityCredential());

const clientOptions = {
  disableChallengeResourceVerification: true,
  // Fast retries for the fault cases; the SDK still honours Retry-After.
  retryOptions: { maxRetries: 3, retryDelayInMs: 100, maxRetryDelayInMs: 2000 },
};

export const keyClient = (vault, cred = credential()) => new KeyClient(vault.vaultUrl, cred, clientOptions);

export const cryptographyClient = (kid, cred) => new CryptographyClient(kid, cred, clientOptions);

/** A user-assigned identity allowed every cryptographic operation but not `get`, so that the SDK works remotely only. */
export async function remoteOnlyIdentity(vault) {
  const identity = await createIdentity();
  await grant(vault, identity.principalId, "wrapKey", "unwrapKey", "encrypt", "decrypt", "sign", "verify");
  return credential({ resourceId: identity.resourceId });
}

/** Asserts that `call` fails with a Key Vault error of `status` whose code (or message) contains each fragment. */
export async function rejectsWith(assert, call, status, ...fragments) {
  await assert.rejects(call, (error) => {
    assert.equal(error.statusCode, status, error.message);
    const text = `${error.code} ${error.message} ${JSON.stringify(error.details ?? {})}`;
    for (const fragment of fragments) {
      assert.ok(text.includes(fragment), `'${fragment}' not in: ${text}`);
    }
    return true;
  });
}

export const fastPoll = { updateIntervalInMs: 50, intervalInMs: 50 };
