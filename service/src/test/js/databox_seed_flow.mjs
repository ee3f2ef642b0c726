// The seed's customer-managed-key flow, driven by the official JavaScript Data Box management
// client, @azure/arm-databox 5.0.0 (api-version 2022-12-01), unchanged, against the service's
// Microsoft.DataBox/jobs surface (docs/DATABOX-ARM-API.md). Started by DataboxJsSdkFlowTest,
// which passes everything in the environment:
//
//   DATABOX_BASE_URL       the app's ARM base URL (http://127.0.0.1:{port}/api); its Location,
//                          Azure-AsyncOperation and nextLink name the app's listener (the test profile)
//   DATABOX_SUBSCRIPTION, DATABOX_RESOURCE_GROUP, DATABOX_JOB_NAME
//   DATABOX_TOKEN          a caller token from the emulator's Entra ID issuer; DATABOX_TOKEN_EXPIRES_ON (s)
//   FRONT_PFX, FRONT_PFX_PASSWORD  the TLS front's certificate (NODE_EXTRA_CA_CERTS trusts it)
//   EMULATOR_ADMIN_URL     to grant the job's identity access, as a customer does in the portal
//   VAULT_A_NAME, VAULT_A_ID, KEY_A_V1, KEY_A_V2, VAULT_B_ID, KEY_B, UAI_ID, WEAK_KEY
//
// The JavaScript client sends a bearer token over https only, as ARM is reached: a TLS front here
// forwards to the app's plain HTTP and gives its own address for the app's in links (ARM's front door
// does the same for a resource provider). Prints one line per step and "SEED FLOW PASSED" at the
// end; exits 1 at the first surprise. It never prints a device password, only that it stayed the same.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { DataBoxManagementClient } from "@azure/arm-databox";

const ENV = process.env;
const RG = ENV.DATABOX_RESOURCE_GROUP;
const JOB = ENV.DATABOX_JOB_NAME;
const UAI = ENV.UAI_ID;

function step(text) {
  console.log("OK " + text);
}

function fail(text) {
  console.log("FAILED " + text);
  process.exit(1);
}

function check(condition, text) {
  if (!condition) {
    fail(text);
  }
}

/** A TLS front for the app: forwards each request, and answers with its own address in the app's links. */
async function startFront() {
  const app = new URL(ENV.DATABOX_BASE_URL);
  const server = https.createServer(
    { pfx: readFileSync(ENV.FRONT_PFX), passphrase: ENV.FRONT_PFX_PASSWORD },
    (request, response) => {
      const upstream = http.request(
        { host: app.hostname, port: app.port, path: request.url, method: request.method, headers: request.headers },
        (answer) => {
          const chunks = [];
          answer.on("data", (chunk) => chunks.push(chunk));
          answer.on("end", () => {
            const headers = {};
            for (const [name, value] of Object.entries(answer.headers)) {
              headers[name] = typeof value === "string" ? rewrite(value) : value;
            }
            const body = Buffer.from(rewrite(Buffer.concat(chunks).toString("utf8")), "utf8");
            headers["content-length"] = String(body.length);
            delete headers["transfer-encoding"];
            response.writeHead(answer.statusCode, headers);
            response.end(body);
          });
        },
      );
      upstream.on("error", (e) => {
        response.writeHead(502);
        response.end(String(e));
      });
      request.pipe(upstream);
    },
  );
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const front = `https://127.0.0.1:${server.address().port}`;
  const origins = [`http://127.0.0.1:${app.port}`, `http://localhost:${app.port}`];
  function rewrite(text) {
    return origins.reduce((value, origin) => value.split(origin).join(front), text);
  }
  return { server, base: front + app.pathname.replace(/\/+$/, "") };
}

const front = await startFront();
const SERVICE_SCOPE = "api://databox-cmk/.default";
const credential = {
  // As Entra ID would: a token only for the service's own audience. The client asks for its endpoint's
  // "/.default" unless credentialScopes says otherwise, which Entra ID refuses for the app's URL.
  getToken: async (scopes) => {
    const asked = [].concat(scopes);
    if (asked.length !== 1 || asked[0] !== SERVICE_SCOPE) {
      throw new Error("a token was asked for " + JSON.stringify(asked) + ", not the service's " + SERVICE_SCOPE);
    }
    return { token: ENV.DATABOX_TOKEN, expiresOnTimestamp: Number(ENV.DATABOX_TOKEN_EXPIRES_ON) * 1000 };
  },
};
const client = new DataBoxManagementClient(credential, ENV.DATABOX_SUBSCRIPTION, {
  endpoint: front.base,
  credentialScopes: [SERVICE_SCOPE],
});
const jobs = client.jobs;
const POLL = { updateIntervalInMs: 20 };

/** The job (with details) and its ETag, from the raw response. */
async function get() {
  let etag;
  const job = await jobs.get(RG, JOB, { expand: "details", onResponse: (raw) => (etag = raw.headers.get("etag")) });
  return { job, etag };
}

async function kek() {
  return (await get()).job.details.keyEncryptionKey;
}

async function passwordDigest() {
  const credentials = [];
  for await (const value of jobs.listCredentials(RG, JOB)) {
    credentials.push(value);
  }
  check(credentials.length === 1, "listCredentials answers one value");
  const secrets = credentials[0].jobSecrets;
  check(secrets.jobSecretsType === "DataBox", "jobSecrets of a DataBox job");
  check(!secrets.error, "no key error in jobSecrets: " + (secrets.error && secrets.error.code));
  const password = secrets.podSecrets[0].devicePassword;
  check(Boolean(password), "a device password");
  return createHash("sha256").update(password).digest("hex");
}

function update(parameters, options = {}) {
  return jobs.beginUpdateAndWait(RG, JOB, parameters, { ...POLL, ...options });
}

function cmk(kekUrl, kekVaultResourceID, identityProperties) {
  return { details: { keyEncryptionKey: { kekType: "CustomerManaged", kekUrl, kekVaultResourceID, identityProperties } } };
}

function userAssigned(resourceId) {
  return { type: "UserAssigned", userAssigned: { resourceId } };
}

async function grant(vault, principal) {
  const answer = await fetch(`${ENV.EMULATOR_ADMIN_URL.replace(/\/+$/, "")}/admin/vaults/${vault}/access-policies/${principal}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ keys: ["get", "wrapKey", "unwrapKey"] }),
  });
  check(answer.ok, "granted " + principal);
}

/** The RestError a call fails with, or a failure when it succeeds. */
async function refusal(call, what) {
  try {
    await call();
  } catch (e) {
    check(e.name === "RestError", what + ": a RestError, not " + e);
    return e;
  }
  fail(what + " was not refused");
}

// 1. Create the job: Microsoft-managed key, system-assigned identity.
let job = await jobs.beginCreateAndWait(
  RG,
  JOB,
  {
    location: "westus",
    sku: { name: "DataBox" },
    identity: { type: "SystemAssigned" },
    transferType: "ImportToAzure",
    details: {
      jobDetailsType: "DataBox",
      contactDetails: { contactName: "Ada Lovelace", phone: "0000000000", emailList: ["ada@example.com"] },
      shippingAddress: {
        streetAddress1: "1 Main St",
        city: "Redmond",
        country: "US",
        postalCode: "98052",
        stateOrProvince: "WA",
        addressType: "Commercial",
      },
      dataImportDetails: [
        {
          accountDetails: {
            dataAccountType: "StorageAccount",
            storageAccountId: `/subscriptions/${ENV.DATABOX_SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Storage/storageAccounts/sa1`,
          },
        },
      ],
    },
  },
  POLL,
);
check(job.name === JOB && job.status === "DeviceOrdered", `created job ${job.name} in ${job.status}`);
check(job.identity.type === "SystemAssigned" && job.identity.principalId, "system-assigned identity");
check((await kek()).kekType === "MicrosoftManaged", "Microsoft-managed key at creation");
const password = await passwordDigest();
step(`beginCreateAndWait: job ${job.name}, stage ${job.status}, system-assigned principal, Microsoft-managed key`);

// 2. Customer-managed key through the system-assigned identity, with the job's ETag; a stale ETag is refused.
await grant(ENV.VAULT_A_NAME, job.identity.principalId);
const { etag } = await get();
check(Boolean(etag), "the job's ETag");
await update(cmk(ENV.KEY_A_V1, ENV.VAULT_A_ID), { ifMatch: etag });
let key = await kek();
check(key.kekType === "CustomerManaged" && key.kekUrl === ENV.KEY_A_V1, "customer-managed key " + key.kekUrl);
check(key.identityProperties.type === "SystemAssigned", "reached through the system-assigned identity");
check((await passwordDigest()) === password, "same password after enabling");
const stale = await refusal(() => update(cmk(ENV.KEY_A_V2, ENV.VAULT_A_ID), { ifMatch: etag }), "a stale If-Match");
check(stale.statusCode === 412, "a stale If-Match answers 412, not " + stale.statusCode);
check((await kek()).kekUrl === ENV.KEY_A_V1, "the key unchanged by the stale update");
step("beginUpdateAndWait (ifMatch): customer-managed key via SystemAssigned; a stale ifMatch refused with 412");

// 3. Attach the user-assigned identity and move the key to it in one update.
await update({
  identity: { type: "SystemAssigned,UserAssigned", userAssignedIdentities: { [UAI]: {} } },
  details: {
    keyEncryptionKey: {
      kekType: "CustomerManaged",
      kekUrl: ENV.KEY_A_V1,
      kekVaultResourceID: ENV.VAULT_A_ID,
      identityProperties: userAssigned(UAI),
    },
  },
});
job = (await get()).job;
check(job.identity.type === "SystemAssigned,UserAssigned", "identity type " + job.identity.type);
check(
  Object.keys(job.identity.userAssignedIdentities).some((id) => id.toLowerCase() === UAI.toLowerCase()),
  "user-assigned identity attached",
);
key = job.details.keyEncryptionKey;
check(
  key.identityProperties.type === "UserAssigned" &&
    key.identityProperties.userAssigned.resourceId.toLowerCase() === UAI.toLowerCase(),
  "key reached through the user-assigned identity",
);
check((await passwordDigest()) === password, "same password after the identity change");
step("beginUpdateAndWait: attached the user-assigned identity and moved the key to it in one request");

// 4. Change key version, then vault.
await update(cmk(ENV.KEY_A_V2, ENV.VAULT_A_ID));
key = await kek();
check(key.kekUrl === ENV.KEY_A_V2 && key.identityProperties.type === "UserAssigned", "new version " + key.kekUrl);
await update(cmk(ENV.KEY_B, ENV.VAULT_B_ID, userAssigned(UAI)));
key = await kek();
check(key.kekUrl === ENV.KEY_B && key.kekVaultResourceID === ENV.VAULT_B_ID, "other vault " + key.kekUrl);
check((await passwordDigest()) === password, "same password after the version and vault changes");
step("beginUpdateAndWait: key version changed, then the key moved to another vault");

// 5. A weak key is refused with its Ssem code, the job unchanged.
const weak = await refusal(() => update(cmk(ENV.WEAK_KEY, ENV.VAULT_A_ID, userAssigned(UAI))), "a weak key");
check(
  weak.statusCode === 400 && weak.code === "SsemUserErrorEncryptionKeyTypeNotSupported",
  `weak key: 400 SsemUserErrorEncryptionKeyTypeNotSupported, got ${weak.statusCode} ${weak.code}`,
);
check((await kek()).kekUrl === ENV.KEY_B, "the key unchanged by the refusal");
step("weak key refused: " + weak.code);

// 6. Mitigate (2022-12-01): nothing awaits the customer.
const mitigate = await refusal(
  () => client.mitigate(JOB, RG, { customerResolutionCode: "Resume" }),
  "mitigating a job that waits for nothing",
);
check(mitigate.code === "MitigationNotRequired", "mitigate: MitigationNotRequired, got " + mitigate.code);
step(`mitigate refused: ${mitigate.statusCode} ${mitigate.code}`);

// 7. Revert to the Microsoft-managed key.
await update({ details: { keyEncryptionKey: { kekType: "MicrosoftManaged" } } });
check((await kek()).kekType === "MicrosoftManaged", "reverted");
check((await passwordDigest()) === password, "same password after the revert");
step("beginUpdateAndWait: reverted to the Microsoft-managed key");

// 8. Lists, as the client pages them.
const inGroup = [];
for await (const j of jobs.listByResourceGroup(RG)) {
  inGroup.push(j.name);
}
check(inGroup.includes(JOB), "the job in its resource group's list");
const inSubscription = [];
for await (const j of jobs.list()) {
  inSubscription.push(j.name);
}
check(inSubscription.includes(JOB), "the job in its subscription's list");
step("listByResourceGroup and list show the job");

// 9. Cancel, then delete; the job is gone.
await jobs.cancel(RG, JOB, { reason: "The seed flow is done." });
await jobs.beginDeleteAndWait(RG, JOB, POLL);
const gone = await refusal(() => jobs.get(RG, JOB), "reading a deleted job");
check(gone.statusCode === 404, "a deleted job answers 404, not " + gone.statusCode);
step(`cancel, beginDeleteAndWait: the job is gone (${gone.statusCode} ${gone.code})`);

front.server.close();
console.log("SEED FLOW PASSED");
