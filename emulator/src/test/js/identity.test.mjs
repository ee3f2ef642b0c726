// Managed-identity tokens through @azure/identity's ManagedIdentityCredential (App Service protocol).
import assert from "node:assert/strict";
import { test } from "node:test";
import { appPrincipalId, createIdentity, credential, env } from "./support.mjs";

const VAULT_SCOPE = "https://vault.azure.net/.default";
const claims = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());

test("the function app's system-assigned identity gets a vault token", async () => {
  const token = await credential().getToken(VAULT_SCOPE);
  const body = claims(token.token);
  assert.equal(body.oid, appPrincipalId());
  assert.equal(body.tid, env("EMULATOR_TENANT_ID"));
  assert.equal(body.aud, "https://vault.azure.net");
  assert.ok(token.expiresOnTimestamp > Date.now());
});

for (const by of ["resourceId", "clientId", "objectId"]) {
  test(`a user-assigned identity gets a token by its ${by}`, async () => {
    const identity = await createIdentity();
    const value = { resourceId: identity.resourceId, clientId: identity.clientId, objectId: identity.principalId }[by];
    const token = await credential({ [by]: value }).getToken(VAULT_SCOPE);
    assert.equal(claims(token.token).oid, identity.principalId);
    assert.equal(claims(token.token).appid, identity.clientId);
  });
}

test("an identity that does not exist gets no token", async () => {
  await assert.rejects(credential({ clientId: "00000000-0000-0000-0000-00000000beef" }).getToken(VAULT_SCOPE));
});
