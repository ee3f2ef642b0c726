package com.databox.cmk.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.TableServiceException;
import com.databox.cmk.testing.Azurite;
import org.junit.jupiter.api.Test;

/**
 * An error answer whose body is XML (Azurite's for a name Table Storage refuses, and the storage front end's for some
 * refusals) is read as the SDK's exception with its status, as a JSON one is: azure-core reads XML with Jackson's XML
 * mapper, which no SDK of the service brings, and without it each such answer threw a {@code LinkageError} that no
 * mapping of the service's knew (bug bash bb95 M4: a 500 with Quarkus' HTML page; Azure/azure-sdk-for-java#40442).
 */
class XmlErrorAnswersTest {

    @Test
    void anErrorAnsweredInXmlIsTheSdksExceptionWithItsStatus() {
        TableClient refusedName = new TableClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .tableName("bad-name")
                .buildClient();
        StorageCalls calls = StorageCalls.forTable(refusedName, StorageCalls.RETRY_AFTER);

        assertThatThrownBy(() -> calls.find(() -> refusedName.getEntity("p", "r")))
                .isInstanceOfSatisfying(
                        TableServiceException.class,
                        e -> assertThat(e.getResponse().getStatusCode()).isBetween(400, 499));
    }
}
