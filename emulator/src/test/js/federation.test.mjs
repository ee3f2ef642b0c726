// Bug bash bb85: @azure/identity's ClientAssertionCredential against the emulator's Entra ID token endpoint
// (EMULATOR_ENTRA_AUTHORITY_HOST), as a workload outside Azure or the cross-tenant exchange would use it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ClientAssertionCredential } from "@azure/identity";
import { admin, createIdentity, credential, env, unique } from "./support.mjs";

const claims = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());

test("ClientAssertionCredential exchanges a managed identity's token for a multi-tenant application's", async () => {
  const home = env("EMULATOR_TENANT_ID");
  const customer = "11111111-2222-3333-4444-555555555555";
  const identity = await createIdentity();
  const mi = credential({ clientId: identity.clientId });
  const issuer = claims((await mi.getToken("api://AzureADTokenExchange/.default")).token).iss;
  const name = unique("app-js");
  const application = await admin("PUT", `/admin/applications/${name}`, {
    tenantId: home, federatedCredentials: [{ issuer, subject: identity.principalId }] });
  await admin("PUT", `/admin/applications/${name}/service-principals/${customer}`);
  const exchange = new ClientAssertionCredential(customer, application.appId,
    async () => (await mi.getToken("api://AzureADTokenExchange/.default")).token,
    { authorityHost: env("EMULATOR_ENTRA_AUTHORITY_HOST"), disableInstanceDiscovery: true });
  const token = await exchange.getToken("https://vault.azure.net/.default");
  assert.equal(claims(token.token).tid, customer);
  assert.equal(claims(token.token).appid, application.appId);
});
