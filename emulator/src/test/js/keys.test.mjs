// Keys through @azure/keyvault-keys' KeyClient: get, list, versions and paging, create, update, delete,
// recover and purge, rotation and its policy, backup and restore, import, random bytes, key types.
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { test } from "node:test";
import { appPrincipalId, createVault, fastPoll, grant, keyClient, rejectsWith, unique } from "./support.mjs";

async function vaultWithApp(options) {
  const vault = await createVault(options);
  await grant(vault, appPrincipalId(), "all");
  return { vault, keys: keyClient(vault) };
}

const collect = async (iterable) => {
  const all = [];
  for await (const item of iterable) {
    all.push(item);
  }
  return all;
};

for (const size of [2048, 3072, 4096]) {
  test(`creates and gets an RSA ${size} key with only its public part`, async () => {
    const { keys } = await vaultWithApp();
    const name = unique("rsa");
    const created = await keys.createRsaKey(name, { keySize: size });
    const key = await keys.getKey(name);
    assert.equal(key.id, created.id);
    assert.equal(key.keyType, "RSA");
    assert.equal(key.key.n.length, size / 8);
    assert.equal(key.key.d, undefined);
    assert.equal((await keys.getKey(name, { version: created.properties.version })).id, created.id);
  });
}

for (const curve of ["P-256", "P-384", "P-521", "P-256K"]) {
  test(`creates an EC key on ${curve}`, async () => {
    const { keys } = await vaultWithApp();
    const key = await keys.createEcKey(unique("ec"), { curve });
    assert.equal(key.keyType, "EC");
    assert.equal(key.key.crv, curve);
    assert.ok(key.key.x.length > 0 && key.key.y.length > 0);
  });
}

test("refuses RSA-1024, oct and HSM keys in a standard vault, and makes HSM keys in a premium one", async () => {
  const { keys } = await vaultWithApp();
  await rejectsWith(assert, keys.createRsaKey(unique("small"), { keySize: 1024 }), 400, "BadParameter");
  await rejectsWith(assert, keys.createKey(unique("oct"), "oct", { keySize: 256 }), 400, "Managed HSM");
  await rejectsWith(assert, keys.createRsaKey(unique("hsm"), { hsm: true }), 400, "premium");
  const premium = (await vaultWithApp({ sku: "premium" })).keys;
  assert.equal((await premium.createRsaKey(unique("hsm"), { hsm: true, keySize: 3072 })).keyType, "RSA-HSM");
  assert.equal((await premium.createEcKey(unique("hsm"), { hsm: true, curve: "P-384" })).keyType, "EC-HSM");
});

test("lists keys and versions page by page with maxresults", async () => {
  const { keys } = await vaultWithApp();
  const name = unique("paged");
  for (let i = 0; i < 5; i++) {
    await keys.createEcKey(`${name}-${i}`);
  }
  for (let i = 0; i < 4; i++) {
    await keys.createEcKey(name);
  }
  const pages = await collect(keys.listPropertiesOfKeys().byPage({ maxPageSize: 2 }));
  assert.deepEqual(pages.map((page) => page.length), [2, 2, 2]);
  assert.equal(new Set(pages.flat().map((p) => p.name)).size, 6);
  const versions = await collect(keys.listPropertiesOfKeyVersions(name).byPage({ maxPageSize: 3 }));
  assert.deepEqual(versions.map((page) => page.length), [3, 1]);
  assert.equal((await collect(keys.listPropertiesOfKeyVersions(name))).length, 4);
});

test("lists no versions of a key that does not exist", async () => {
  const { keys } = await vaultWithApp();
  assert.deepEqual(await collect(keys.listPropertiesOfKeyVersions("never-created")), []);
});

test("keeps tags and key operations, and updates tags, key operations, enabled, expiry and not-before", async () => {
  const { keys } = await vaultWithApp();
  const name = unique("upd");
  const created = await keys.createKey(name, "RSA", { keySize: 2048, tags: { owner: "contoso" }, keyOps: ["wrapKey", "unwrapKey"] });
  assert.deepEqual(created.properties.tags, { owner: "contoso" });
  assert.deepEqual(created.keyOperations, ["wrapKey", "unwrapKey"]);
  const version = created.properties.version;

  const expiresOn = new Date(Math.floor(Date.now() / 1000 + 86400) * 1000);
  const notBefore = new Date(Math.floor(Date.now() / 1000 - 60) * 1000);
  const updated = await keys.updateKeyProperties(name, version, {
    tags: { owner: "fabrikam", tier: "gold" }, keyOps: ["wrapKey"], enabled: false, expiresOn, notBefore,
  });
  assert.deepEqual(updated.properties.tags, { owner: "fabrikam", tier: "gold" });
  assert.deepEqual(updated.keyOperations, ["wrapKey"]);
  assert.equal(updated.properties.enabled, false);
  assert.equal(updated.properties.expiresOn.getTime(), expiresOn.getTime());
  assert.equal(updated.properties.notBefore.getTime(), notBefore.getTime());
  const listed = (await collect(keys.listPropertiesOfKeys())).find((p) => p.name === name);
  assert.deepEqual(listed.tags, { owner: "fabrikam", tier: "gold" });
});

test("deletes, recovers, and refuses to purge under purge protection", async () => {
  const { keys } = await vaultWithApp({ purgeProtection: true });
  const name = unique("del");
  const created = await keys.createRsaKey(name);
  await (await keys.beginDeleteKey(name, fastPoll)).pollUntilDone();
  await rejectsWith(assert, keys.getKey(name), 404, "KeyNotFound");
  const deleted = await keys.getDeletedKey(name);
  assert.ok(deleted.properties.scheduledPurgeDate > new Date());
  assert.equal((await collect(keys.listDeletedKeys())).length, 1);
  await rejectsWith(assert, keys.purgeDeletedKey(name), 403, "Forbidden", "purge protection");
  await (await keys.beginRecoverDeletedKey(name, fastPoll)).pollUntilDone();
  assert.equal((await keys.getKey(name)).id, created.id);
});

test("purges without purge protection", async () => {
  const { keys } = await vaultWithApp({ purgeProtection: false });
  const name = unique("purge");
  await keys.createRsaKey(name);
  await (await keys.beginDeleteKey(name, fastPoll)).pollUntilDone();
  await keys.purgeDeletedKey(name);
  await rejectsWith(assert, keys.getDeletedKey(name), 404, "KeyNotFound");
});

test("rotates a key and keeps its rotation policy", async () => {
  const { keys } = await vaultWithApp();
  const name = unique("rot");
  const first = await keys.createRsaKey(name, { keySize: 3072, tags: { team: "databox" } });
  const initial = await keys.getKeyRotationPolicy(name);
  assert.equal(initial.lifetimeActions[0].action, "Notify");
  assert.equal(initial.lifetimeActions[0].timeBeforeExpiry, "P30D");

  const policy = await keys.updateKeyRotationPolicy(name, {
    expiresIn: "P90D", lifetimeActions: [{ action: "Rotate", timeAfterCreate: "P30D" }],
  });
  assert.equal(policy.expiresIn, "P90D");
  assert.equal((await keys.getKeyRotationPolicy(name)).lifetimeActions[0].timeAfterCreate, "P30D");

  const rotated = await keys.rotateKey(name);
  assert.notEqual(rotated.id, first.id);
  assert.equal(rotated.key.n.length, 384);
  assert.deepEqual(rotated.properties.tags, { team: "databox" });
  const days = (rotated.properties.expiresOn - Date.now()) / 86400000;
  assert.ok(days > 89 && days <= 90, `expires in ${days} days`);
  assert.equal((await keys.getKey(name)).id, rotated.id);
  assert.equal((await collect(keys.listPropertiesOfKeyVersions(name))).length, 2);
});

test("backs a key up and restores it after a purge", async () => {
  const { keys } = await vaultWithApp({ purgeProtection: false });
  const name = unique("bak");
  const created = await keys.createEcKey(name, { curve: "P-256" });
  const backup = await keys.backupKey(name);
  await rejectsWith(assert, keys.restoreKeyBackup(backup), 409, "Conflict");
  await (await keys.beginDeleteKey(name, fastPoll)).pollUntilDone();
  await keys.purgeDeletedKey(name);
  const restored = await keys.restoreKeyBackup(backup);
  assert.equal(restored.id, created.id);
  assert.deepEqual(restored.key.x, created.key.x);
  await rejectsWith(assert, keys.restoreKeyBackup(Buffer.from("not a backup")), 400, "BadParameter");
});

test("imports an RSA key", async () => {
  const { keys } = await vaultWithApp();
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = privateKey.export({ format: "jwk" });
  const bytes = (member) => Buffer.from(jwk[member], "base64url");
  const imported = await keys.importKey(unique("imp"), {
    kty: "RSA", n: bytes("n"), e: bytes("e"), d: bytes("d"), p: bytes("p"), q: bytes("q"), dp: bytes("dp"),
    dq: bytes("dq"), qi: bytes("qi"), keyOps: ["decrypt", "unwrapKey"],
  });
  assert.equal(imported.keyType, "RSA");
  assert.deepEqual(Buffer.from(imported.key.n), bytes("n"));
  assert.deepEqual(imported.keyOperations, ["decrypt", "unwrapKey"]);
});

test("refuses random bytes as a vault does (a Managed HSM operation), not as 'not found'", async () => {
  const { keys } = await vaultWithApp({ sku: "premium" });
  await rejectsWith(assert, keys.getRandomBytes(16), 400, "BadParameter", "Managed HSM");
});
