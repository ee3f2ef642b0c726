"""Conformance suite of the emulator on the official Python SDK (docs/EMULATOR-MANUAL.md).

Debian's python3-azure, unchanged: azure.identity's ManagedIdentityCredential (App Service protocol,
IDENTITY_ENDPOINT / IDENTITY_HEADER), azure.keyvault.keys' KeyClient and CryptographyClient. Run by
PythonSdkConformanceTest with the emulator's settings in the environment: EMULATOR_ADMIN_URL,
APP_PRINCIPAL_ID, EMULATOR_TENANT_ID, EMULATOR_CA_CERT, IDENTITY_ENDPOINT, IDENTITY_HEADER. The clients
trust the emulator's certificate explicitly (connection_verify) and skip the challenge's resource
check (the vault host is 127.0.0.1, not *.vault.azure.net). Prints "PASSED" last when every test passed.
"""

import base64
import datetime
import hashlib
import json
import os
import sys
import time
import unittest
import urllib.request
import uuid

from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError
from azure.identity import ManagedIdentityCredential
from azure.keyvault.keys import (
    JsonWebKey,
    KeyClient,
    KeyRotationLifetimeAction,
    KeyRotationPolicy,
    KeyRotationPolicyAction,
)
from azure.keyvault.keys.crypto import (
    CryptographyClient,
    EncryptionAlgorithm,
    KeyWrapAlgorithm,
    SignatureAlgorithm,
)
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

VAULT_SCOPE = "https://vault.azure.net/.default"


def env(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: run the suite through PythonSdkConformanceTest")
    return value


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# The admin API is plain HTTP on loopback: never through a proxy.
_ADMIN = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def admin(method, path, body=None):
    """Calls the admin API; answers the parsed body, or raises with the status and body."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        env("EMULATOR_ADMIN_URL") + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with _ADMIN.open(request, timeout=30) as response:
            text = response.read().decode()
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{method} {path} answered {error.code}: {error.read().decode()}") from error
    return json.loads(text) if text else {}


def create_vault(soft_delete=True, purge_protection=True, firewall=False):
    name = unique("py")
    vault = admin(
        "PUT",
        f"/admin/vaults/{name}",
        {
            "softDelete": soft_delete,
            "purgeProtection": purge_protection,
            "retentionDays": 90,
            "firewall": firewall,
        },
    )
    vault["name"] = name
    return vault


def grant(vault, principal_id, *keys):
    admin("PUT", f"/admin/vaults/{vault['name']}/access-policies/{principal_id}", {"keys": list(keys)})


def create_identity():
    return admin("PUT", f"/admin/identities/{unique('uai-py')}", {})


def request_counts(vault):
    return admin("GET", f"/admin/requests?vault={vault['name']}").get("byOperation", {})


def claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def credential(client_id=None):
    """The function app's system-assigned identity, or a user-assigned one by client ID."""
    return ManagedIdentityCredential(client_id=client_id) if client_id else ManagedIdentityCredential()


CLIENT_OPTIONS = {
    # The vault host is 127.0.0.1, not *.vault.azure.net.
    "verify_challenge_resource": False,
    # Trust the emulator's self-signed certificate for these clients only.
    "connection_verify": None,  # set in main()
    # Fast retries for the fault cases; the SDK still honours Retry-After.
    "retry_total": 3,
    "retry_backoff_factor": 0.1,
}


def key_client(vault, cred=None):
    return KeyClient(vault["vaultUrl"], cred or credential(), **CLIENT_OPTIONS)


def crypto_client(key_id, cred):
    return CryptographyClient(key_id, cred, **CLIENT_OPTIONS)


def remote_only_identity(vault):
    """A user-assigned identity allowed every cryptographic operation but not `get`: the SDK works remotely only."""
    identity = create_identity()
    grant(vault, identity["principalId"], "wrapKey", "unwrapKey", "encrypt", "decrypt", "sign", "verify")
    return credential(identity["clientId"])


def vault_with_app(**options):
    vault = create_vault(**options)
    grant(vault, env("APP_PRINCIPAL_ID"), "all")
    return vault, key_client(vault)


def public_key(key):
    """The RSA public key of a KeyVaultKey, for the `cryptography` package."""
    return rsa.RSAPublicNumbers(int.from_bytes(key.key.e, "big"), int.from_bytes(key.key.n, "big")).public_key()


OAEP = {
    KeyWrapAlgorithm.rsa_oaep: padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None),
    KeyWrapAlgorithm.rsa_oaep_256: padding.OAEP(
        mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None
    ),
    KeyWrapAlgorithm.rsa1_5: padding.PKCS1v15(),
}


class KeyVaultErrorAssertions(unittest.TestCase):
    def assertKeyVaultError(self, error, status, code, *fragments):
        """Key Vault's error body, as the SDK parsed it: status, error.code, and each fragment in the message."""
        self.assertEqual(error.status_code, status, str(error))
        self.assertIsNotNone(error.error, f"no Key Vault error body parsed from: {error}")
        self.assertEqual(error.error.code, code, str(error))
        text = f"{error.error.message} {json.dumps(error.error.innererror or {})}"
        for fragment in fragments:
            self.assertIn(fragment, text)


class IdentityTest(unittest.TestCase):
    def test_system_assigned_identity_gets_a_vault_token(self):
        token = credential().get_token(VAULT_SCOPE)
        body = claims(token.token)
        self.assertEqual(body["oid"], env("APP_PRINCIPAL_ID"))
        self.assertEqual(body["tid"], env("EMULATOR_TENANT_ID"))
        self.assertEqual(body["aud"], "https://vault.azure.net")
        self.assertGreater(token.expires_on, time.time() + 300)

    def test_user_assigned_identity_gets_a_token_by_client_id(self):
        identity = create_identity()
        token = credential(identity["clientId"]).get_token(VAULT_SCOPE)
        body = claims(token.token)
        self.assertEqual(body["oid"], identity["principalId"])
        self.assertEqual(body["appid"], identity["clientId"])
        self.assertEqual(body["tid"], identity["tenantId"])

    def test_user_assigned_identity_gets_a_token_by_resource_id_and_principal_id(self):
        identity = create_identity()
        for config in ({"mi_res_id": identity["resourceId"]}, {"principal_id": identity["principalId"]}):
            with self.subTest(config=list(config)):
                token = ManagedIdentityCredential(identity_config=config).get_token(VAULT_SCOPE)
                self.assertEqual(claims(token.token)["oid"], identity["principalId"])

    def test_an_identity_that_does_not_exist_gets_no_token(self):
        missing = str(uuid.uuid4())
        # azure-identity logs the failure as a warning as well: captured here, not printed.
        with self.assertLogs("azure.identity", level="WARNING"), self.assertRaises(ClientAuthenticationError) as raised:
            credential(missing).get_token(VAULT_SCOPE)
        self.assertIn("No User Assigned or Delegated Managed Identity found", str(raised.exception))
        self.assertIn(f"client_id={missing}", str(raised.exception))


class KeysTest(KeyVaultErrorAssertions):
    def test_creates_and_gets_an_rsa_key_with_only_its_public_part(self):
        vault, keys = vault_with_app()
        for size in (2048, 3072, 4096):
            with self.subTest(size=size):
                name = unique("rsa")
                created = keys.create_rsa_key(name, size=size)
                key = keys.get_key(name)
                self.assertEqual(key.id, created.id)
                self.assertEqual(key.key_type, "RSA")
                self.assertEqual(len(key.key.n), size // 8)
                self.assertEqual(key.key.e, b"\x01\x00\x01")
                for private in ("d", "p", "q", "dp", "dq", "qi"):
                    self.assertIsNone(getattr(key.key, private), private)
                self.assertEqual(keys.get_key(name, version=created.properties.version).id, created.id)
                self.assertTrue(key.properties.enabled)
                self.assertEqual(key.properties.recovery_level, "Recoverable")

    def test_lists_keys_and_versions_page_by_page(self):
        vault, keys = vault_with_app()
        name = unique("paged")
        for i in range(5):
            keys.create_rsa_key(f"{name}-{i}", size=2048)
        versions = [keys.create_rsa_key(name, size=2048).properties.version for _ in range(4)]

        pages = [list(page) for page in keys.list_properties_of_keys(max_page_size=2).by_page()]
        self.assertEqual([len(page) for page in pages], [2, 2, 2])
        self.assertEqual(len({p.name for page in pages for p in page}), 6)

        pages = [list(page) for page in keys.list_properties_of_key_versions(name, max_page_size=3).by_page()]
        self.assertEqual([len(page) for page in pages], [3, 1])
        self.assertEqual(sorted(p.version for page in pages for p in page), sorted(versions))
        self.assertEqual(len(list(keys.list_properties_of_key_versions(name))), 4)

    def test_lists_no_versions_of_a_key_that_does_not_exist(self):
        vault, keys = vault_with_app()
        self.assertEqual(list(keys.list_properties_of_key_versions("never-created")), [])

    def test_a_key_that_does_not_exist_is_not_found(self):
        vault, keys = vault_with_app()
        with self.assertRaises(ResourceNotFoundError) as raised:
            keys.get_key("never-created")
        self.assertKeyVaultError(raised.exception, 404, "KeyNotFound")
        crypto = crypto_client(f"{vault['vaultUrl']}/keys/never-created", remote_only_identity(vault))
        with self.assertRaises(ResourceNotFoundError):
            crypto.unwrap_key(KeyWrapAlgorithm.rsa_oaep_256, b"\x00" * 256)

    def test_deletes_recovers_and_refuses_to_purge_under_purge_protection(self):
        vault, keys = vault_with_app(purge_protection=True)
        name = unique("del")
        created = keys.create_rsa_key(name, size=2048)

        deleted = keys.begin_delete_key(name, _polling_interval=0.05).result()
        self.assertEqual(deleted.name, name)
        self.assertTrue(deleted.recovery_id.endswith(f"/deletedkeys/{name}"), deleted.recovery_id)
        self.assertGreater(deleted.scheduled_purge_date, datetime.datetime.now(datetime.timezone.utc))
        with self.assertRaises(ResourceNotFoundError):
            keys.get_key(name)

        fetched = keys.get_deleted_key(name)
        self.assertEqual(fetched.id, created.id)
        self.assertIsNotNone(fetched.deleted_date)
        self.assertEqual([d.name for d in keys.list_deleted_keys()], [name])

        with self.assertRaises(HttpResponseError) as raised:
            keys.purge_deleted_key(name)
        self.assertKeyVaultError(raised.exception, 403, "Forbidden", "purge protection")

        recovered = keys.begin_recover_deleted_key(name, _polling_interval=0.05).result()
        self.assertEqual(recovered.id, created.id)
        self.assertEqual(keys.get_key(name).id, created.id)

    def test_creates_ec_keys_and_refuses_the_key_types_a_standard_vault_does_not_make(self):
        vault, keys = vault_with_app()
        for curve in ("P-256", "P-384", "P-521", "P-256K"):
            with self.subTest(curve=curve):
                key = keys.create_ec_key(unique("ec"), curve=curve)
                self.assertEqual(key.key_type, "EC")
                self.assertEqual(key.key.crv, curve)
                self.assertTrue(key.key.x and key.key.y)
                self.assertIsNone(key.key.d)
        with self.assertRaises(HttpResponseError) as raised:
            keys.create_rsa_key(unique("small"), size=1024)
        self.assertKeyVaultError(raised.exception, 400, "BadParameter")
        with self.assertRaises(HttpResponseError) as raised:
            keys.create_oct_key(unique("oct"), size=256)
        self.assertKeyVaultError(raised.exception, 400, "BadParameter", "Managed HSM")
        with self.assertRaises(HttpResponseError) as raised:
            keys.create_rsa_key(unique("hsm"), hardware_protected=True)
        self.assertKeyVaultError(raised.exception, 400, "BadParameter", "premium")

    def test_a_name_key_vault_never_makes_is_a_bad_request_not_a_missing_key(self):
        # Key Vault checks the name on every route: 400 BadParameter, which the SDK raises as HttpResponseError,
        # not ResourceNotFoundError (a client treating "not found" as "create it" would act on it).
        vault, keys = vault_with_app()
        with self.assertRaises(HttpResponseError) as raised:
            keys.get_key("bad_name!")
        self.assertNotIsInstance(raised.exception, ResourceNotFoundError)
        self.assertKeyVaultError(raised.exception, 400, "BadParameter")

    def test_an_operation_key_vault_does_not_know_is_refused(self):
        vault, keys = vault_with_app()
        with self.assertRaises(HttpResponseError) as raised:
            keys.create_rsa_key(unique("ops"), key_operations=["bogus"])
        self.assertKeyVaultError(raised.exception, 400, "BadParameter", "bogus")

    def test_keeps_and_updates_tags_key_operations_enabled_expiry_and_not_before(self):
        vault, keys = vault_with_app()
        name = unique("upd")
        created = keys.create_key(
            name, "RSA", size=2048, tags={"owner": "contoso"}, key_operations=["wrapKey", "unwrapKey"]
        )
        self.assertEqual(created.properties.tags, {"owner": "contoso"})
        self.assertEqual(created.key_operations, ["wrapKey", "unwrapKey"])

        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        expires_on = now + datetime.timedelta(days=1)
        not_before = now - datetime.timedelta(minutes=1)
        updated = keys.update_key_properties(
            name,
            created.properties.version,
            tags={"owner": "fabrikam", "tier": "gold"},
            key_operations=["wrapKey"],
            enabled=False,
            expires_on=expires_on,
            not_before=not_before,
        )
        self.assertEqual(updated.properties.tags, {"owner": "fabrikam", "tier": "gold"})
        self.assertEqual(updated.key_operations, ["wrapKey"])
        self.assertFalse(updated.properties.enabled)
        self.assertEqual(updated.properties.expires_on, expires_on)
        self.assertEqual(updated.properties.not_before, not_before)
        self.assertGreaterEqual(updated.properties.updated_on, created.properties.created_on)
        listed = [p for p in keys.list_properties_of_keys() if p.name == name]
        self.assertEqual([p.tags for p in listed], [{"owner": "fabrikam", "tier": "gold"}])

    def test_rotates_a_key_and_keeps_its_rotation_policy(self):
        vault, keys = vault_with_app()
        name = unique("rot")
        first = keys.create_rsa_key(name, size=3072, tags={"team": "databox"})
        initial = keys.get_key_rotation_policy(name)
        self.assertEqual(initial.lifetime_actions[0].action, "Notify")
        self.assertEqual(initial.lifetime_actions[0].time_before_expiry, "P30D")

        policy = keys.update_key_rotation_policy(
            name,
            KeyRotationPolicy(),
            expires_in="P90D",
            lifetime_actions=[KeyRotationLifetimeAction(KeyRotationPolicyAction.rotate, time_after_create="P30D")],
        )
        self.assertEqual(policy.expires_in, "P90D")
        self.assertEqual(keys.get_key_rotation_policy(name).lifetime_actions[0].time_after_create, "P30D")

        rotated = keys.rotate_key(name)
        self.assertNotEqual(rotated.id, first.id)
        self.assertEqual(len(rotated.key.n), 384)
        self.assertEqual(rotated.properties.tags, {"team": "databox"})
        days = (rotated.properties.expires_on - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 86400
        self.assertTrue(89 < days <= 90, f"expires in {days} days")
        self.assertEqual(keys.get_key(name).id, rotated.id)
        self.assertEqual(len(list(keys.list_properties_of_key_versions(name))), 2)

    def test_backs_a_key_up_and_restores_it_after_a_purge(self):
        vault, keys = vault_with_app(purge_protection=False)
        name = unique("bak")
        created = keys.create_ec_key(name, curve="P-256")
        backup = keys.backup_key(name)
        self.assertIsInstance(backup, bytes)
        with self.assertRaises(HttpResponseError) as raised:
            keys.restore_key_backup(backup)
        self.assertKeyVaultError(raised.exception, 409, "Conflict")
        keys.begin_delete_key(name, _polling_interval=0.05).wait()
        keys.purge_deleted_key(name)
        restored = keys.restore_key_backup(backup)
        self.assertEqual(restored.id, created.id)
        self.assertEqual(restored.key.x, created.key.x)

    def test_imports_an_rsa_key_and_answers_only_its_public_part(self):
        vault, keys = vault_with_app()
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_numbers()

        def raw(number):
            return number.to_bytes((number.bit_length() + 7) // 8, "big")

        jwk = JsonWebKey(
            kty="RSA",
            n=raw(private.public_numbers.n),
            e=raw(private.public_numbers.e),
            d=raw(private.d),
            p=raw(private.p),
            q=raw(private.q),
            dp=raw(private.dmp1),
            dq=raw(private.dmq1),
            qi=raw(private.iqmp),
        )
        imported = keys.import_key(unique("imp"), jwk, tags={"source": "byok"})
        self.assertEqual(imported.key.n, raw(private.public_numbers.n))
        self.assertIsNone(imported.key.d)
        self.assertEqual(imported.properties.tags, {"source": "byok"})
        data_key = os.urandom(32)
        wrapped = private.public_numbers.public_key().encrypt(data_key, OAEP[KeyWrapAlgorithm.rsa_oaep_256])
        crypto = crypto_client(imported.id, remote_only_identity(vault))
        self.assertEqual(crypto.unwrap_key(KeyWrapAlgorithm.rsa_oaep_256, wrapped).key, data_key)

    def test_random_bytes_are_a_managed_hsm_operation(self):
        vault, keys = vault_with_app()
        with self.assertRaises(HttpResponseError) as raised:
            keys.get_random_bytes(16)
        self.assertKeyVaultError(raised.exception, 400, "BadParameter")

    def test_a_vault_without_soft_delete_deletes_for_good(self):
        vault, keys = vault_with_app(soft_delete=False, purge_protection=False)
        name = unique("gone")
        created = keys.create_rsa_key(name, size=2048)
        self.assertEqual(created.properties.recovery_level, "Purgeable")
        # No recovery ID: the SDK's poller knows there is nothing to wait for.
        deleted = keys.begin_delete_key(name, _polling_interval=0.05).result()
        self.assertIsNone(deleted.recovery_id)
        self.assertIsNone(deleted.scheduled_purge_date)
        with self.assertRaises(ResourceNotFoundError):
            keys.get_key(name)
        with self.assertRaises(ResourceNotFoundError):
            keys.get_deleted_key(name)

    def test_purges_without_purge_protection(self):
        vault, keys = vault_with_app(purge_protection=False)
        name = unique("purge")
        created = keys.create_rsa_key(name, size=2048)
        self.assertEqual(created.properties.recovery_level, "Recoverable+Purgeable")
        keys.begin_delete_key(name, _polling_interval=0.05).wait()
        keys.purge_deleted_key(name)
        with self.assertRaises(ResourceNotFoundError):
            keys.get_deleted_key(name)


class CryptographyTest(KeyVaultErrorAssertions):
    def set_up(self, size=2048):
        vault, keys = vault_with_app()
        key = keys.create_rsa_key(unique("k"), size=size)
        return vault, keys, key, crypto_client(key.id, remote_only_identity(vault))

    def test_wraps_and_unwraps_in_the_vault(self):
        for size in (2048, 3072):
            vault, keys, key, crypto = self.set_up(size)
            for algorithm in (KeyWrapAlgorithm.rsa_oaep, KeyWrapAlgorithm.rsa_oaep_256, KeyWrapAlgorithm.rsa1_5):
                with self.subTest(size=size, algorithm=algorithm):
                    data_key = os.urandom(32)
                    wrapped = crypto.wrap_key(algorithm, data_key)
                    self.assertEqual(wrapped.key_id, key.id)
                    self.assertEqual(wrapped.algorithm, algorithm)
                    self.assertEqual(len(wrapped.encrypted_key), size // 8)
                    self.assertEqual(crypto.unwrap_key(algorithm, wrapped.encrypted_key).key, data_key)
                    # What the vault wrapped is what any RSA implementation with the public key makes.
                    local = public_key(key).encrypt(data_key, OAEP[algorithm])
                    self.assertEqual(crypto.unwrap_key(algorithm, local).key, data_key)
            counts = request_counts(vault)
            self.assertEqual(counts.get("wrapKey"), 3, counts)
            self.assertEqual(counts.get("unwrapKey"), 6, counts)

    def test_the_sdk_wraps_locally_with_the_public_key_and_the_vault_unwraps(self):
        vault, keys, key, remote = self.set_up()
        admin("DELETE", f"/admin/requests?vault={vault['name']}")
        # With `get`, the SDK fetches the public key once and wraps without calling the vault.
        local = crypto_client(key.id, credential())
        for algorithm in (KeyWrapAlgorithm.rsa_oaep, KeyWrapAlgorithm.rsa_oaep_256):
            with self.subTest(algorithm=algorithm):
                data_key = os.urandom(32)
                wrapped = local.wrap_key(algorithm, data_key)
                self.assertEqual(wrapped.key_id, key.id)
                self.assertEqual(remote.unwrap_key(algorithm, wrapped.encrypted_key).key, data_key)
                # The same from a client that only has the JSON Web Key, no vault at all.
                offline = CryptographyClient.from_jwk(key.key).wrap_key(algorithm, data_key)
                self.assertEqual(remote.unwrap_key(algorithm, offline.encrypted_key).key, data_key)
        counts = request_counts(vault)
        self.assertNotIn("wrapKey", counts, counts)
        # One `get` by the local client; one by the remote-only client, refused (403), and never tried again.
        self.assertEqual(counts.get("get"), 2, counts)
        self.assertEqual(counts.get("unwrapKey"), 4, counts)

    def test_encrypts_and_decrypts_in_the_vault(self):
        vault, keys, key, crypto = self.set_up()
        plaintext = b"customer-managed key conformance"
        for algorithm in (EncryptionAlgorithm.rsa_oaep, EncryptionAlgorithm.rsa_oaep_256):
            with self.subTest(algorithm=algorithm):
                encrypted = crypto.encrypt(algorithm, plaintext)
                self.assertEqual(encrypted.key_id, key.id)
                self.assertEqual(crypto.decrypt(algorithm, encrypted.ciphertext).plaintext, plaintext)

    def test_signs_a_digest_that_the_public_key_and_the_vault_verify(self):
        vault, keys, key, crypto = self.set_up()
        data = b"the data that was signed"
        digest = hashlib.sha256(data).digest()
        signature = crypto.sign(SignatureAlgorithm.rs256, digest).signature
        public_key(key).verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        self.assertTrue(crypto.verify(SignatureAlgorithm.rs256, digest, signature).is_valid)
        other = hashlib.sha256(b"other data").digest()
        self.assertFalse(crypto.verify(SignatureAlgorithm.rs256, other, signature).is_valid)

    def test_an_identity_without_the_permission_is_refused(self):
        vault, keys = vault_with_app()
        key = keys.create_rsa_key(unique("k"), size=2048)
        identity = create_identity()
        grant(vault, identity["principalId"], "unwrapKey")
        cred = credential(identity["clientId"])

        with self.assertRaises(HttpResponseError) as raised:
            crypto_client(key.id, cred).wrap_key(KeyWrapAlgorithm.rsa_oaep_256, os.urandom(32))
        self.assertKeyVaultError(
            raised.exception,
            403,
            "Forbidden",
            "does not have keys wrapKey permission",
            f"oid={identity['principalId']}",
            vault["name"],
            "AccessDenied",
        )
        with self.assertRaises(HttpResponseError) as raised:
            key_client(vault, cred).get_key(key.name)
        self.assertKeyVaultError(raised.exception, 403, "Forbidden", "does not have keys get permission")

    def test_the_firewall_refuses_every_call(self):
        vault = create_vault(firewall=True)
        grant(vault, env("APP_PRINCIPAL_ID"), "all")
        with self.assertRaises(HttpResponseError) as raised:
            key_client(vault).get_key("any")
        self.assertKeyVaultError(raised.exception, 403, "Forbidden", "ForbiddenByFirewall")

    def test_a_disabled_key_refuses_wrap_and_unwrap(self):
        vault, keys, key, crypto = self.set_up()
        wrapped = crypto.wrap_key(KeyWrapAlgorithm.rsa_oaep_256, os.urandom(32)).encrypted_key
        updated = keys.update_key_properties(key.name, key.properties.version, enabled=False)
        self.assertFalse(updated.properties.enabled)

        with self.assertRaises(HttpResponseError) as raised:
            crypto.wrap_key(KeyWrapAlgorithm.rsa_oaep_256, os.urandom(32))
        self.assertKeyVaultError(raised.exception, 403, "Forbidden", "KeyDisabled")
        with self.assertRaises(HttpResponseError) as raised:
            crypto.unwrap_key(KeyWrapAlgorithm.rsa_oaep_256, wrapped)
        self.assertKeyVaultError(raised.exception, 403, "Forbidden", "KeyDisabled")

    def test_an_expired_key_still_unwraps_and_verifies_but_no_longer_wraps_or_signs(self):
        vault, keys, key, crypto = self.set_up()
        data_key = os.urandom(32)
        wrapped = crypto.wrap_key(KeyWrapAlgorithm.rsa_oaep_256, data_key).encrypted_key
        digest = hashlib.sha256(b"signed before expiry").digest()
        signature = crypto.sign(SignatureAlgorithm.rs256, digest).signature

        expired = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)
        updated = keys.update_key_properties(key.name, key.properties.version, expires_on=expired)
        self.assertEqual(updated.properties.expires_on, expired.replace(microsecond=0))

        self.assertEqual(crypto.unwrap_key(KeyWrapAlgorithm.rsa_oaep_256, wrapped).key, data_key)
        self.assertTrue(crypto.verify(SignatureAlgorithm.rs256, digest, signature).is_valid)
        with self.assertRaises(HttpResponseError) as raised:
            crypto.wrap_key(KeyWrapAlgorithm.rsa_oaep_256, os.urandom(32))
        self.assertKeyVaultError(raised.exception, 403, "Forbidden", "KeyExpired")
        with self.assertRaises(HttpResponseError) as raised:
            crypto.sign(SignatureAlgorithm.rs256, digest)
        self.assertKeyVaultError(raised.exception, 403, "Forbidden", "KeyExpired")

    def test_a_key_ops_change_takes_effect_at_once(self):
        vault, keys, key, crypto = self.set_up()
        wrapped = crypto.wrap_key(KeyWrapAlgorithm.rsa_oaep, os.urandom(32)).encrypted_key
        updated = keys.update_key_properties(key.name, key.properties.version, key_operations=["wrapKey"])
        self.assertEqual(updated.key_operations, ["wrapKey"])
        with self.assertRaises(HttpResponseError) as raised:
            crypto.unwrap_key(KeyWrapAlgorithm.rsa_oaep, wrapped)
        self.assertKeyVaultError(raised.exception, 400, "BadParameter", "not permitted")


class FaultsTest(KeyVaultErrorAssertions):
    def test_the_sdk_retries_injected_503_and_429_and_succeeds(self):
        vault, keys = vault_with_app()
        name = unique("k")
        keys.create_rsa_key(name, size=2048)
        admin("DELETE", f"/admin/requests?vault={vault['name']}")
        admin("POST", "/admin/faults", {"vault": vault["name"], "operation": "get", "status": 503, "count": 1})
        admin(
            "POST",
            "/admin/faults",
            {"vault": vault["name"], "operation": "get", "status": 429, "count": 1, "retryAfterSeconds": 1},
        )
        started = time.monotonic()
        self.assertEqual(keys.get_key(name).name, name)
        self.assertGreaterEqual(time.monotonic() - started, 0.9, "the 429's Retry-After was honoured")
        self.assertEqual(request_counts(vault).get("get"), 3)

    def test_a_fault_that_outlasts_the_retries_reaches_the_caller(self):
        vault, keys = vault_with_app()
        admin("POST", "/admin/faults", {"vault": vault["name"], "operation": "list", "status": 503, "count": 10})
        with self.assertRaises(HttpResponseError) as raised:
            list(keys.list_properties_of_keys())
        self.assertEqual(raised.exception.status_code, 503)


def main():
    CLIENT_OPTIONS["connection_verify"] = env("EMULATOR_CA_CERT")
    for name in ("EMULATOR_ADMIN_URL", "APP_PRINCIPAL_ID", "EMULATOR_TENANT_ID", "IDENTITY_ENDPOINT", "IDENTITY_HEADER"):
        env(name)
    import azure.core
    import azure.identity
    import azure.keyvault.keys

    print(
        f"azure-keyvault-keys {azure.keyvault.keys.__version__}, azure-identity {azure.identity.__version__},"
        f" azure-core {azure.core.__version__}, Python {sys.version.split()[0]}",
        flush=True,
    )
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    if not result.wasSuccessful():
        print("FAILED")
        return 1
    print("PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
