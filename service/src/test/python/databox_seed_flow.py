#!/usr/bin/python3
"""The seed's customer-managed-key flow, driven by the official Data Box management client.

Runs azure.mgmt.databox (Debian's python3-azure, api-version 2020-11-01) unchanged against the
service's Microsoft.DataBox/jobs surface (docs/DATABOX-ARM-API.md). Started by
DataboxSdkFlowTest, which passes everything in the environment:

  DATABOX_BASE_URL        the app's ARM base URL (http://127.0.0.1:{port}/api)
  DATABOX_SUBSCRIPTION    subscription ID, DATABOX_RESOURCE_GROUP, DATABOX_JOB_NAME
  DATABOX_TOKEN           a caller token minted by the emulator's Entra ID issuer; DATABOX_TOKEN_EXPIRES_ON
  EMULATOR_ADMIN_URL      to grant the job's system-assigned identity access, as a customer does in the portal,
                          and to move the subscription and a vault to NEW_TENANT_ID (the test moves it back)
  VAULT_A_NAME, VAULT_A_ID, KEY_A_V1, KEY_A_V2, VAULT_B_ID, KEY_B, UAI_ID
  WEAK_KEY, NO_PURGE_VAULT_ID, NO_PURGE_KEY, NO_PERMISSION_VAULT_ID, NO_PERMISSION_KEY

Prints one line per step and "SEED FLOW PASSED" at the end; exits 1 at the first surprise. It
never prints a device password, only that it stayed the same.
"""
import hashlib
import json
import os
import sys
import urllib.request

from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError
from azure.mgmt.databox import DataBoxManagementClient
from azure.mgmt.databox.v2020_11_01 import models

ENV = os.environ
RG = ENV["DATABOX_RESOURCE_GROUP"]
JOB = ENV["DATABOX_JOB_NAME"]
UAI = ENV["UAI_ID"]
# azure-core refuses bearer tokens over plain http; the local app is http, so say so per call
# (the documented per-request option of BearerTokenCredentialPolicy; it reaches LRO polling and paging too).
LOCAL = {"enforce_https": False}


SERVICE_SCOPE = "api://databox-cmk/.default"


class EmulatorToken:
    """A credential as azure-core wants one: get_token(*scopes) -> AccessToken."""

    def __init__(self, token, expires_on):
        self._token = AccessToken(token, expires_on)

    def get_token(self, *scopes, **kwargs):
        # As Entra ID would: a token only for the service's own audience (the docs' credential_scopes).
        if scopes != (SERVICE_SCOPE,):
            fail("a token was asked for " + repr(scopes) + ", not the service's " + SERVICE_SCOPE)
        return self._token


def step(text):
    print("OK " + text, flush=True)


def fail(text):
    print("FAILED " + text, flush=True)
    sys.exit(1)


def check(condition, text):
    if not condition:
        fail(text)


client = DataBoxManagementClient(
    EmulatorToken(ENV["DATABOX_TOKEN"], int(ENV["DATABOX_TOKEN_EXPIRES_ON"])),
    ENV["DATABOX_SUBSCRIPTION"],
    base_url=ENV["DATABOX_BASE_URL"],
    credential_scopes=[SERVICE_SCOPE],
    polling_interval=0,
)
jobs = client.jobs


def get(expand="details"):
    """The job and its ETag (the SDK's cls hook hands over the raw response)."""
    return jobs.get(RG, JOB, expand=expand, cls=lambda response, job, headers: (job, response.http_response.headers["ETag"]), **LOCAL)


def kek():
    return get()[0].details.key_encryption_key


def password_digest():
    credentials = list(jobs.list_credentials(RG, JOB, **LOCAL))
    check(len(credentials) == 1, "listCredentials answers one value")
    secrets = credentials[0].job_secrets
    check(secrets.job_secrets_type == "DataBox", "jobSecrets of a DataBox job")
    check(secrets.error is None, "no key error in jobSecrets: %s" % (secrets.error and secrets.error.code))
    password = secrets.pod_secrets[0].device_password
    check(bool(password), "a device password")
    return hashlib.sha256(password.encode()).hexdigest()


def update(parameters, if_match=None):
    poller = jobs.begin_update(RG, JOB, parameters, if_match=if_match, **LOCAL)
    return poller.result()


def cmk(url, vault_id, identity=None):
    return models.JobResourceUpdateParameter(details=models.UpdateJobDetails(key_encryption_key=models.KeyEncryptionKey(
        kek_type="CustomerManaged", kek_url=url, kek_vault_resource_id=vault_id, identity_properties=identity)))


def user_assigned(resource_id):
    return models.IdentityProperties(type="UserAssigned", user_assigned=models.UserAssignedProperties(resource_id=resource_id))


def grant(vault, principal):
    admin("/admin/vaults/%s/access-policies/%s" % (vault, principal), {"keys": ["get", "wrapKey", "unwrapKey"]})


def admin(path, body):
    request = urllib.request.Request(
        ENV["EMULATOR_ADMIN_URL"].rstrip("/") + path, data=json.dumps(body).encode(), method="PUT",
        headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()


def caller_token(roles):
    """A token of the flow's tenant holding only {@code roles}, from the local Entra ID issuer."""
    request = urllib.request.Request(
        ENV["EMULATOR_ADMIN_URL"].rstrip("/") + "/admin/caller-tokens", data=json.dumps({"roles": roles}).encode(),
        method="POST", headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request).read())["access_token"]


def credentials_error():
    """The code of listCredentials' jobSecrets.error (the key cannot be used), or None."""
    secrets = list(jobs.list_credentials(RG, JOB, **LOCAL))[0].job_secrets
    check(not secrets.pod_secrets or not any(p.device_password for p in secrets.pod_secrets),
          "no device password while the key cannot be used")
    return secrets.error and secrets.error.code


def refused(parameters, code):
    try:
        update(parameters)
    except HttpResponseError as e:
        check(e.error is not None and e.error.code == code, "expected %s, got %s: %s" % (code, e.error and e.error.code, e.message))
        check(e.status_code == 400, "status 400 for %s, got %s" % (code, e.status_code))
        return
    fail("the update with %s was not refused" % code)


# 1. Create the job (Microsoft-managed key, system-assigned identity). In 2020-11-01 the job
#    details' keyEncryptionKey is read-only at creation, so the customer-managed key comes with
#    the first update, as in the spec's JobsPatchCmk example.
resource = models.JobResource(
    location="westus",
    sku=models.Sku(name="DataBox"),
    identity=models.ResourceIdentity(type="SystemAssigned"),
    transfer_type="ImportToAzure",
    details=models.DataBoxJobDetails(
        contact_details=models.ContactDetails(contact_name="Ada Lovelace", phone="0000000000", email_list=["ada@example.com"]),
        shipping_address=models.ShippingAddress(street_address1="1 Main St", city="Redmond", country="US",
                                                postal_code="98052", state_or_province="WA", address_type="Commercial"),
        data_import_details=[models.DataImportDetails(account_details=models.StorageAccountDetails(
            storage_account_id="/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Storage/storageAccounts/sa1"
                               % (ENV["DATABOX_SUBSCRIPTION"], RG)))]),
)
job = jobs.begin_create(RG, JOB, resource, **LOCAL).result()
check(job.name == JOB and job.status == "DeviceOrdered", "created job %s in %s" % (job.name, job.status))
check(job.identity.type == "SystemAssigned" and job.identity.principal_id, "system-assigned identity")
check(kek().kek_type == "MicrosoftManaged", "Microsoft-managed key at creation")
password = password_digest()
step("begin_create: job %s, stage %s, system-assigned principal, Microsoft-managed key" % (job.name, job.status))

# The same PUT again, as azure-core's retry policy sends it when the answer is lost: ARM's PUT is idempotent,
# so it answers the job as it is (the same principal, nothing made again), not ResourceExistsError.
again = jobs.begin_create(RG, JOB, resource, **LOCAL).result()
check(again.name == JOB and again.identity.principal_id == job.identity.principal_id,
      "the same PUT again answered the same job")
step("begin_create again with the same job: the job as it is (idempotent PUT)")

# 2. Customer-managed key through the system-assigned identity (identityProperties left out: implied).
grant(ENV["VAULT_A_NAME"], job.identity.principal_id)
job, etag = get()
update(cmk(ENV["KEY_A_V1"], ENV["VAULT_A_ID"]), if_match=etag)
key = kek()
check(key.kek_type == "CustomerManaged" and key.kek_url == ENV["KEY_A_V1"], "customer-managed key %s" % key.kek_url)
check(key.identity_properties.type == "SystemAssigned", "reached through the system-assigned identity")
check(password_digest() == password, "same password after enabling")
step("begin_update (If-Match): customer-managed key %s via SystemAssigned" % key.kek_url)

# 3. One begin_update: attach the user-assigned identity and move the key to it
#    (the spec's JobsPatchSystemAssignedToUserAssigned example).
update(models.JobResourceUpdateParameter(
    identity=models.ResourceIdentity(type="SystemAssigned,UserAssigned",
                                     user_assigned_identities={UAI: models.UserAssignedIdentity()}),
    details=models.UpdateJobDetails(key_encryption_key=models.KeyEncryptionKey(
        kek_type="CustomerManaged", kek_url=ENV["KEY_A_V1"], kek_vault_resource_id=ENV["VAULT_A_ID"],
        identity_properties=user_assigned(UAI)))))
job = get()[0]
check(job.identity.type == "SystemAssigned,UserAssigned", "identity type %s" % job.identity.type)
check(UAI.lower() in [i.lower() for i in job.identity.user_assigned_identities], "user-assigned identity attached")
key = job.details.key_encryption_key
check(key.identity_properties.type == "UserAssigned" and key.identity_properties.user_assigned.resource_id.lower() == UAI.lower(),
      "key reached through the user-assigned identity")
check(password_digest() == password, "same password after the identity change")
step("begin_update: attached %s and moved the key to it in one request" % UAI.rsplit("/", 1)[-1])

# 4. Change key version (the identity stays: identityProperties left out), as a caller who may manage keys and
#    nothing else: the SDK's poller ends the PATCH with a GET of the job itself, with that caller's token.
key_manager = DataBoxManagementClient(
    EmulatorToken(caller_token(["Encryption.Manage"]), int(ENV["DATABOX_TOKEN_EXPIRES_ON"])),
    ENV["DATABOX_SUBSCRIPTION"],
    base_url=ENV["DATABOX_BASE_URL"],
    credential_scopes=[SERVICE_SCOPE],
    polling_interval=0,
)
changed = key_manager.jobs.begin_update(RG, JOB, cmk(ENV["KEY_A_V2"], ENV["VAULT_A_ID"]), **LOCAL).result()
check(changed.name == JOB, "the poller's final read of the job, with the key manager's token")
key = kek()
check(key.kek_url == ENV["KEY_A_V2"] and key.identity_properties.type == "UserAssigned", "new version %s" % key.kek_url)
check(password_digest() == password, "same password after the version change")
step("begin_update by a key manager alone (Encryption.Manage): key version changed to %s" % key.kek_url.rsplit("/", 1)[-1])

# 5. Change vault.
update(cmk(ENV["KEY_B"], ENV["VAULT_B_ID"], user_assigned(UAI)))
key = kek()
check(key.kek_url == ENV["KEY_B"] and key.kek_vault_resource_id == ENV["VAULT_B_ID"], "other vault %s" % key.kek_url)
check(password_digest() == password, "same password after the vault change")
step("begin_update: key moved to another vault, %s" % key.kek_vault_resource_id.rsplit("/", 1)[-1])

# 6. Revert to the Microsoft-managed key.
update(models.JobResourceUpdateParameter(details=models.UpdateJobDetails(
    key_encryption_key=models.KeyEncryptionKey(kek_type="MicrosoftManaged"))))
check(kek().kek_type == "MicrosoftManaged", "reverted")
check(password_digest() == password, "same password after the revert")
step("begin_update: reverted to the Microsoft-managed key")

# 7. The error rows: each refused with its Ssem code, the job unchanged.
refused(cmk(ENV["WEAK_KEY"], ENV["VAULT_A_ID"], user_assigned(UAI)), "SsemUserErrorEncryptionKeyTypeNotSupported")
step("weak key refused: SsemUserErrorEncryptionKeyTypeNotSupported")
refused(cmk(ENV["NO_PURGE_KEY"], ENV["NO_PURGE_VAULT_ID"], user_assigned(UAI)), "SsemUserErrorSoftDeleteAndPurgeProtectionNotEnabled")
step("vault without purge protection refused: SsemUserErrorSoftDeleteAndPurgeProtectionNotEnabled")
refused(cmk(ENV["NO_PERMISSION_KEY"], ENV["NO_PERMISSION_VAULT_ID"], user_assigned(UAI)), "SsemUserErrorKeyVaultBadRequestException")
step("missing permission refused: SsemUserErrorKeyVaultBadRequestException")
check(kek().kek_type == "MicrosoftManaged", "still Microsoft-managed after the refusals")
check(password_digest() == password, "same password after the refusals")

# 8. The seed's remedy when the subscription and its vault moved to another tenant: Identity = None,
#    then Identity = SystemAssigned (a new identity, made in the new tenant), then grant the new
#    identity Get, WrapKey and UnwrapKey in the vault.
job = get()[0]
old_principal = job.identity.principal_id
update(cmk(ENV["KEY_A_V2"], ENV["VAULT_A_ID"], models.IdentityProperties(type="SystemAssigned")))
check(kek().identity_properties.type == "SystemAssigned", "the key reached through the system-assigned identity")
check(password_digest() == password, "same password through the system-assigned identity")
tenant = ENV["NEW_TENANT_ID"]
admin("/admin/subscription/tenant", {"tenantId": tenant})
admin("/admin/vaults/%s/tenant" % ENV["VAULT_A_NAME"], {"tenantId": tenant})
lost = credentials_error()
check(lost == "SsemUserErrorCrossTenantIdentityAccessForbidden", "key access lost after the tenant move: %s" % lost)
step("tenant move: listCredentials answers jobSecrets.error %s" % lost)
update(models.JobResourceUpdateParameter(identity=models.ResourceIdentity(type="None")))
check(get()[0].identity.type == "None", "identity None")
update(models.JobResourceUpdateParameter(identity=models.ResourceIdentity(type="SystemAssigned")))
job = get()[0]
check(job.identity.type == "SystemAssigned" and job.identity.principal_id not in (None, old_principal),
      "a new system-assigned identity")
check(job.identity.tenant_id == tenant, "the new identity is in the new tenant, not %s" % job.identity.tenant_id)
grant(ENV["VAULT_A_NAME"], job.identity.principal_id)
check(password_digest() == password, "same password after the remedy")
check(kek().kek_url == ENV["KEY_A_V2"], "the same key")
step("remedy: Identity None, then SystemAssigned (new principal in the new tenant), granted: the same password")

# 9. Lists, as the SDK pages them.
check(JOB in [j.name for j in jobs.list_by_resource_group(RG, **LOCAL)], "the job in its resource group's list")
check(JOB in [j.name for j in jobs.list(**LOCAL)], "the job in its subscription's list")
step("list_by_resource_group and list show the job; listCredentials answered the same password throughout")
print("SEED FLOW PASSED", flush=True)
