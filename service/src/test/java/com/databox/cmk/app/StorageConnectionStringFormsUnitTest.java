package com.databox.cmk.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Storage connection strings as they are met in the wild, which the start-up check must not refuse (review rv18). */
class StorageConnectionStringFormsUnitTest {
    private static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    @Test
    void realWorldConnectionStringsPass() {
        List<String> forms = List.of(
                // Azurite's documented well-known string, all three endpoints
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + KEY
                        + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
                        + "QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;"
                        + "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;",
                "UseDevelopmentStorage=true",
                "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://myProxyUri",
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + KEY
                        + ";EndpointSuffix=core.windows.net",
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + KEY
                        + ";EndpointSuffix=core.usgovcloudapi.net",
                // SAS-based, as the portal's "Shared access signature" blade gives it
                "BlobEndpoint=https://acct.blob.core.windows.net/;QueueEndpoint=https://acct.queue.core.windows.net/;"
                        + "FileEndpoint=https://acct.file.core.windows.net/;TableEndpoint=https://acct.table.core.windows.net/;"
                        + "SharedAccessSignature=sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2027-01-01T00:00:00Z"
                        + "&st=2026-01-01T00:00:00Z&spr=https&sig=abc%2Bdef%2F%3D",
                // secondary endpoints
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + KEY
                        + ";TableEndpoint=https://acct.table.core.windows.net/"
                        + ";TableSecondaryEndpoint=https://acct-secondary.table.core.windows.net/",
                // Cosmos DB Table API
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + KEY
                        + ";TableEndpoint=https://acct.table.cosmos.azure.com:443/;",
                // docker compose: Azurite reached by its service / container name
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + KEY
                        + ";TableEndpoint=http://azurite:10002/devstoreaccount1;QueueEndpoint=http://azurite:10001/devstoreaccount1;",
                // IPv6 loopback
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + KEY
                        + ";TableEndpoint=http://[::1]:10002/devstoreaccount1;QueueEndpoint=http://[::1]:10001/devstoreaccount1;",
                // spaces around the separators, as some secret stores keep it
                "DefaultEndpointsProtocol=https; AccountName=acct; AccountKey=" + KEY
                        + "; EndpointSuffix=core.windows.net",
                // upper-case scheme
                "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + KEY
                        + ";TableEndpoint=HTTPS://acct.table.core.windows.net/");
        List<String> refused = new ArrayList<>();
        for (String form : forms) {
            List<String> problems =
                    ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.storage.connection-string", form)))
                            .stream()
                            .filter(p -> p.startsWith("cmk.storage.connection-string"))
                            .toList();
            if (!problems.isEmpty()) {
                refused.add(form + " -> " + problems);
            }
        }
        assertThat(refused).isEmpty();
    }

    /**
     * A host with '_' (a docker compose v1 container's name): the Tables SDK fails on it building its client, so every
     * request answered 500 while the app said it was ready (review df3 F2); refused at start, saying why.
     */
    @Test
    void anEndpointWhoseHostHasAnUnderscoreIsRefusedSayingWhy() {
        String form = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + KEY
                + ";TableEndpoint=http://myproj_azurite_1:10002/devstoreaccount1;"
                + "QueueEndpoint=http://myproj_azurite_1:10001/devstoreaccount1;";

        assertThat(ConfigurationCheck.problems(TestCmkConfigs.with(Map.of("cmk.storage.connection-string", form))))
                .filteredOn(problem -> problem.startsWith("cmk.storage.connection-string"))
                .hasSize(2)
                .allSatisfy(problem -> assertThat(problem).contains("no '_'").doesNotContain(KEY));
    }
}
