package com.databox.cmk.api;

import static com.databox.cmk.testing.CmkOrder.enableBody;
import static com.databox.cmk.testing.CmkOrder.userAssigned;
import static org.assertj.core.api.Assertions.assertThat;

import com.databox.cmk.testing.CmkOrder;
import com.databox.cmk.testing.CustomerKeyVault;
import com.databox.cmk.testing.LocalStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Review rv16 (d): Key Vault answers a key ID spelled its own way (the version it chose for a versionless URL, the
 * version in its own case); such answers name the key asked for and must still pass the "another key" check.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStack.class, restrictToAnnotatedClass = false)
class AnsweredKeyIdSpellingTest {

    @Test
    void aVersionInAnotherCaseIsTheSameKey() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().attach(vault.identity());
        String url = vault.versionlessKeyUrl() + "/" + vault.keyVersion().toUpperCase(Locale.ROOT);
        Response enabled = order.enable(enableBody(
                url, vault.resourceId(), userAssigned(vault.identity().resourceId())));
        System.out.println("UPPER VERSION -> " + enabled.statusCode() + " " + enabled.asString());
        // The emulator may refuse the version in another case (404); what must not happen is an outage.
        assertThat(enabled.statusCode()).isNotEqualTo(503);
    }

    @Test
    void aVersionlessKeyAfterRotationIsAnsweredWithTheNewestVersion() {
        CustomerKeyVault vault = CustomerKeyVault.create();
        CmkOrder order = CmkOrder.create().enableFollowingVersions(vault);
        String newest = vault.newVersion();
        Response changed = order.changeKey(vault.versionlessKeyUrl(), vault.resourceId());
        System.out.println("VERSIONLESS AFTER ROTATION -> " + changed.statusCode() + " " + changed.asString());
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(order.storedWrappedKeyId()).isEqualTo(newest);
        order.assertPasswordKept();
    }
}
