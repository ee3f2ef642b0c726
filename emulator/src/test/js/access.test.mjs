// Refusals and faults: access policies, the firewall, and faults injected through the admin API.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import {
  admin, appPrincipalId, createIdentity, createVault, credential, cryptographyClient, grant, keyClient, rejectsWith, unique,
} from "./support.mjs";

test("refuses an identity without the permission, naming it and the permission", async () => {
  const vault = await createVault();
  await grant(vault, appPrincipalId(), "all");
  const key = await keyClient(vault).createRsaKey(unique("k"));
  const identity = await createIdentity();
  await grant(vault, identity.principalId, "unwrapKey");
  const crypto = cryptographyClient(key.id, credential({ resourceId: identity.resourceId }));

  await rejectsWith(assert, crypto.wrapKey("RSA-OAEP", randomBytes(32)), 403, "Forbidden",
    "does not have keys wrapKey permission", `oid=${identity.principalId}`, "AccessDenied");
  await rejectsWith(assert, keyClient(vault, credential({ resourceId: identity.resourceId })).getKey(key.name), 403,
    "does not have keys get permission");
});

test("refuses every call through the firewall", async () => {
  const vault = await createVault({ firewall: true });
  await grant(vault, appPrincipalId(), "all");
  await rejectsWith(assert, keyClient(vault).getKey("any"), 403, "Forbidden", "ForbiddenByFirewall");
});

test("the SDK retries injected 503 and 429 faults and succeeds; the admin API counts the calls", async () => {
  const vault = await createVault();
  await grant(vault, appPrincipalId(), "all");
  const keys = keyClient(vault);
  const name = unique("k");
  await keys.createRsaKey(name);
  await admin("DELETE", `/admin/requests?vault=${vault.name}`);

  await admin("POST", "/admin/faults", { vault: vault.name, operation: "get", status: 503, count: 1 });
  await admin("POST", "/admin/faults", { vault: vault.name, operation: "get", status: 429, count: 1, retryAfterSeconds: 1 });
  const started = Date.now();
  assert.equal((await keys.getKey(name)).name, name);
  assert.ok(Date.now() - started >= 900, "the 429's Retry-After was honoured");

  const counts = await admin("GET", `/admin/requests?vault=${vault.name}`);
  assert.equal(counts.byOperation.get, 3);
});

test("an injected fault that outlasts the retries reaches the caller", async () => {
  const vault = await createVault();
  await grant(vault, appPrincipalId(), "all");
  await admin("POST", "/admin/faults", { vault: vault.name, operation: "list", status: 503, count: 10 });
  const iterator = keyClient(vault).listPropertiesOfKeys()[Symbol.asyncIterator]();
  await rejectsWith(assert, iterator.next(), 503, "ServiceUnavailable");
});
