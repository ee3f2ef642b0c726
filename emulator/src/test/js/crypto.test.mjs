// Cryptography through @azure/keyvault-keys' CryptographyClient, remote only (the identity has no `get`, so the
// SDK cannot do anything locally), cross-checked against node:crypto with the key's public JWK.
import assert from "node:assert/strict";
import { constants, createHash, createPublicKey, publicEncrypt, randomBytes, verify } from "node:crypto";
import { test } from "node:test";
import {
  appPrincipalId, createVault, cryptographyClient, grant, keyClient, rejectsWith, remoteOnlyIdentity, unique,
} from "./support.mjs";

const b64url = (bytes) => Buffer.from(bytes).toString("base64url");

function publicKeyOf(key) {
  const jwk = key.key.kty.startsWith("RSA")
    ? { kty: "RSA", n: b64url(key.key.n), e: b64url(key.key.e) }
    : { kty: "EC", crv: key.key.crv === "P-256K" ? "secp256k1" : key.key.crv, x: b64url(key.key.x), y: b64url(key.key.y) };
  return createPublicKey({ key: jwk, format: "jwk" });
}

const PADDING = {
  "RSA-OAEP": { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha1" },
  "RSA-OAEP-256": { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
  RSA1_5: { padding: constants.RSA_PKCS1_PADDING },
};

async function setUp(create) {
  const vault = await createVault();
  await grant(vault, appPrincipalId(), "all");
  const key = await create(keyClient(vault), unique("k"));
  return { vault, key, crypto: cryptographyClient(key.id, await remoteOnlyIdentity(vault)), keys: keyClient(vault) };
}

for (const algorithm of ["RSA-OAEP", "RSA-OAEP-256", "RSA1_5"]) {
  for (const size of [2048, 3072, 4096]) {
    test(`wraps and unwraps with ${algorithm} on RSA ${size}, and unwraps what node:crypto wrapped`, async () => {
      const { key, crypto } = await setUp((keys, name) => keys.createRsaKey(name, { keySize: size }));
      const dataKey = randomBytes(32);

      const wrapped = await crypto.wrapKey(algorithm, dataKey);
      assert.equal(wrapped.keyID, key.id);
      assert.equal(wrapped.result.length, size / 8);
      assert.deepEqual(Buffer.from((await crypto.unwrapKey(algorithm, wrapped.result)).result), dataKey);

      const local = publicEncrypt({ key: publicKeyOf(key), ...PADDING[algorithm] }, dataKey);
      assert.deepEqual(Buffer.from((await crypto.unwrapKey(algorithm, local)).result), dataKey);
    });
  }

  test(`encrypts and decrypts with ${algorithm}, and decrypts what node:crypto encrypted`, async () => {
    const { key, crypto } = await setUp((keys, name) => keys.createRsaKey(name, { keySize: 2048 }));
    const plaintext = Buffer.from("customer-managed key conformance");

    const encrypted = await crypto.encrypt({ algorithm, plaintext });
    assert.deepEqual(Buffer.from((await crypto.decrypt({ algorithm, ciphertext: encrypted.result })).result), plaintext);

    const local = publicEncrypt({ key: publicKeyOf(key), ...PADDING[algorithm] }, plaintext);
    assert.deepEqual(Buffer.from((await crypto.decrypt({ algorithm, ciphertext: local })).result), plaintext);
  });
}

const SIGNATURES = [
  ["RS256", "sha256", (keys, name) => keys.createRsaKey(name), { padding: constants.RSA_PKCS1_PADDING }],
  ["PS384", "sha384", (keys, name) => keys.createRsaKey(name), { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 }],
  ["ES256", "sha256", (keys, name) => keys.createEcKey(name, { curve: "P-256" }), { dsaEncoding: "ieee-p1363" }],
  ["ES256K", "sha256", (keys, name) => keys.createEcKey(name, { curve: "P-256K" }), { dsaEncoding: "ieee-p1363" }],
  ["ES512", "sha512", (keys, name) => keys.createEcKey(name, { curve: "P-521" }), { dsaEncoding: "ieee-p1363" }],
];

for (const [algorithm, hash, create, options] of SIGNATURES) {
  test(`signs a digest with ${algorithm}; node:crypto and the vault verify it`, async () => {
    const { key, crypto } = await setUp(create);
    const data = Buffer.from("the data that was signed");
    const digest = createHash(hash).update(data).digest();

    const signature = (await crypto.sign(algorithm, digest)).result;

    assert.ok(verify(hash, data, { key: publicKeyOf(key), ...options }, Buffer.from(signature)));
    assert.equal((await crypto.verify(algorithm, digest, signature)).result, true);
    const other = createHash(hash).update("other data").digest();
    assert.equal((await crypto.verify(algorithm, other, signature)).result, false);
  });
}

test("an expired key still unwraps and verifies but no longer wraps or signs", async () => {
  const { key, crypto, keys } = await setUp((client, name) => client.createRsaKey(name));
  const wrapped = (await crypto.wrapKey("RSA-OAEP-256", randomBytes(32))).result;
  const digest = createHash("sha256").update("signed before expiry").digest();
  const signature = (await crypto.sign("RS256", digest)).result;

  await keys.updateKeyProperties(key.name, key.properties.version, { expiresOn: new Date(Date.now() - 60000) });

  assert.equal((await crypto.unwrapKey("RSA-OAEP-256", wrapped)).result.length, 32);
  assert.equal((await crypto.verify("RS256", digest, signature)).result, true);
  await rejectsWith(assert, crypto.wrapKey("RSA-OAEP-256", randomBytes(32)), 403, "Forbidden", "KeyExpired");
  await rejectsWith(assert, crypto.sign("RS256", digest), 403, "Forbidden", "KeyExpired");
});

test("a key_ops change takes effect at once", async () => {
  const { key, crypto, keys } = await setUp((client, name) => client.createRsaKey(name));
  const wrapped = (await crypto.wrapKey("RSA-OAEP", randomBytes(32))).result;
  await keys.updateKeyProperties(key.name, key.properties.version, { keyOps: ["wrapKey"] });
  await rejectsWith(assert, crypto.unwrapKey("RSA-OAEP", wrapped), 400, "BadParameter", "not permitted");
});
