package com.databox.cmk.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.databox.cmk.app.HostNamesAsGiven;
import com.databox.cmk.encryption.KeyAndWrap;
import com.databox.cmk.error.ErrorCode;
import com.databox.cmk.error.ServiceException;
import com.databox.cmk.identity.ManagedIdentityCredentials;
import com.databox.cmk.unlockkey.KeyUrl;
import com.databox.cmk.unlockkey.UserAssignedIdentityId;
import com.databox.cmk.unlockkey.WrappingIdentity;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.core.spi.resolver.ResolverProvider;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A vault's host name that does not resolve, through the SDK client and Vert.x's resolver as the
 * service runs them ({@code quarkus.vertx.use-async-dns}), against a name server on a local UDP
 * port: a name the server says does not exist (NXDOMAIN) is a vault that cannot be found, the
 * customer's to fix, as is a name it answers without an address; a name server that fails (SERVFAIL),
 * refuses the query (REFUSED: Vert.x's resolver gives it as it gives a name without an address, so the
 * service asks the name server once more) or does not answer is an outage to retry, never "the vault
 * may not exist" (which the audit would report as lost key access).
 */
class VaultNameResolutionTest {
    @BeforeAll
    static void vertxResolvesNamesItself() {
        // A Quarkus app started earlier in this JVM with the JDK's resolver would have switched Vert.x's
        // off for every later instance; the service's own configuration keeps it on (AsyncDnsTest).
        assertThat(System.getProperty(ResolverProvider.DISABLE_DNS_RESOLVER_PROP_NAME))
                .as("Vert.x's own resolver switched off in this JVM")
                .isNull();
    }

    private static final String SEARCH_DOMAIN = "internal.example";
    private static final KeyUrl KEY =
            KeyUrl.parse("https://contoso-cmk.vault.azure.net/keys/kek/0123456789abcdef0123456789abcdef");
    private static final WrappingIdentity IDENTITY = new WrappingIdentity.ManagedIdentity(
            new UserAssignedIdentityId(
                    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-1"));

    private final NameServer nameServer = NameServer.start();
    private final Vertx vertx = Vertx.vertx(asTheServiceHasThem(new VertxOptions()
            .setAddressResolverOptions(new AddressResolverOptions()
                    .setServers(List.of("127.0.0.1:" + nameServer.port()))
                    // As a machine's resolv.conf may give them; the service resolves names without them.
                    .setSearchDomains(List.of(SEARCH_DOMAIN))
                    .setQueryTimeout(300)
                    .setMaxQueries(2))));
    private final SdkKeyVaultGateway gateway = new SdkKeyVaultGateway(
            new KeyVaultClients(KeyVaultClientsUnitTest.settings(), vertx),
            new ManagedIdentityCredentials(request -> Mono.error(new IllegalStateException("no token expected"))));

    @AfterEach
    void stop() throws Exception {
        nameServer.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNameThatDoesNotExistIsAVaultThatCannotBeFound() {
        nameServer.answer(NameServer.NXDOMAIN);

        ServiceException e = describe();

        assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultDetailsNotFound);
        assertThat(e.retryAfter()).isNull();
        assertThat(nameServer.queries()).isPositive();
    }

    @Test
    void aNameServerThatFailsIsAnOutageToRetry() {
        nameServer.answer(NameServer.SERVFAIL);

        ServiceException e = describe();

        assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(e.retryAfter()).isNotNull();
        assertThat(e.getMessage()).contains("contoso-cmk.vault.azure.net").contains("name server");
        assertThat(nameServer.queries()).isPositive();
    }

    @Test
    void aNameServerThatRefusesTheQueryIsAnOutageToRetry() {
        nameServer.answer(NameServer.REFUSED);

        ServiceException e = describe();

        assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(e.retryAfter()).isNotNull();
        assertThat(nameServer.queries()).isPositive();
    }

    /** The get and the wrap go out at once and both fail on the name: both are the outage. */
    @Test
    void aNameServerThatRefusesTheQueryIsAnOutageForTheGetAndTheWrapSentAtOnce() {
        nameServer.answer(NameServer.REFUSED);

        KeyAndWrap both = gateway.describeAndWrap(KEY, IDENTITY, new byte[32]);

        assertThat(both.getFailure().code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(both.wrapFailure().code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
    }

    @Test
    void aNameWithNoAddressIsAVaultThatCannotBeFound() {
        nameServer.answer(NameServer.NOERROR);

        ServiceException e = describe();

        assertThat(e.code()).isEqualTo(ErrorCode.SsemUserErrorKeyVaultDetailsNotFound);
        assertThat(nameServer.queries()).isPositive();
    }

    @Test
    void aNameServerThatDoesNotAnswerIsAnOutageToRetry() {
        nameServer.answer(NameServer.SILENT);

        ServiceException e = describe();

        assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(e.retryAfter()).isNotNull();
        assertThat(nameServer.queries()).isPositive();
    }

    /** Azure's DNS answers for its own internal zone even while it fails for the vault's. */
    @Test
    void aNameServerThatFailsForTheVaultsNameIsAnOutageWhateverItSaysOfTheNameWithASearchDomain() {
        nameServer.answer(NameServer.SERVFAIL);
        nameServer.answerForSuffix(SEARCH_DOMAIN, NameServer.NXDOMAIN);

        ServiceException e = describe();

        assertThat(e.code()).isEqualTo(ErrorCode.KeyVaultUnavailable);
        assertThat(nameServer.queriedNames()).isNotEmpty().allMatch(name -> !name.endsWith(SEARCH_DOMAIN));
    }

    private static VertxOptions asTheServiceHasThem(VertxOptions options) {
        new HostNamesAsGiven().accept(options);
        return options;
    }

    private ServiceException describe() {
        return catchThrowableOfType(ServiceException.class, () -> gateway.describe(KEY, IDENTITY));
    }

    /** Answers every query with no records and one response code, or not at all. */
    private static final class NameServer implements AutoCloseable {
        static final int NOERROR = 0;
        static final int SERVFAIL = 2;
        static final int NXDOMAIN = 3;
        static final int REFUSED = 5;
        static final int SILENT = -1;

        private final DatagramSocket socket;
        private final AtomicInteger responseCode = new AtomicInteger(SILENT);
        private final AtomicInteger queries = new AtomicInteger();
        private final Map<String, Integer> bySuffix = new ConcurrentHashMap<>();
        private final List<String> queriedNames = new CopyOnWriteArrayList<>();

        private NameServer(DatagramSocket socket) {
            this.socket = socket;
        }

        static NameServer start() {
            try {
                NameServer server = new NameServer(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
                Thread.ofVirtual().name("test-name-server").start(server::serve);
                return server;
            } catch (SocketException e) {
                throw new IllegalStateException(e);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        void answer(int code) {
            responseCode.set(code);
        }

        /** Names ending in {@code suffix} get {@code code} instead. */
        void answerForSuffix(String suffix, int code) {
            bySuffix.put(suffix, code);
        }

        int queries() {
            return queries.get();
        }

        List<String> queriedNames() {
            return List.copyOf(queriedNames);
        }

        private void serve() {
            byte[] buffer = new byte[512];
            while (!socket.isClosed()) {
                DatagramPacket query = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(query);
                    queries.incrementAndGet();
                    String name = name(buffer, query.getLength());
                    queriedNames.add(name);
                    int code = bySuffix.entrySet().stream()
                            .filter(answer -> name.endsWith(answer.getKey()))
                            .map(Map.Entry::getValue)
                            .findFirst()
                            .orElse(responseCode.get());
                    if (code != SILENT) {
                        byte[] response = response(buffer, query.getLength(), code);
                        socket.send(new DatagramPacket(response, response.length, query.getSocketAddress()));
                    }
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }

        /** The question's name, its labels joined with dots. */
        private static String name(byte[] query, int length) {
            StringBuilder name = new StringBuilder();
            int at = 12;
            while (at < length && query[at] != 0) {
                int label = query[at] & 0xff;
                if (!name.isEmpty()) {
                    name.append('.');
                }
                name.append(new String(query, at + 1, label, java.nio.charset.StandardCharsets.US_ASCII));
                at += label + 1;
            }
            return name.toString();
        }

        /** The query's ID and question, from a recursive server (not authoritative), no records. */
        private static byte[] response(byte[] query, int length, int code) {
            int end = 12;
            while (end < length && query[end] != 0) {
                end += (query[end] & 0xff) + 1;
            }
            end += 1 + 4; // the root label, QTYPE and QCLASS
            byte[] response = java.util.Arrays.copyOf(query, end);
            response[2] = (byte) (0x80 | (query[2] & 0x79)); // QR, the query's opcode and RD
            response[3] = (byte) (0x80 | code); // RA, RCODE
            response[6] = response[7] = 0; // ANCOUNT
            response[8] = response[9] = 0; // NSCOUNT
            response[10] = response[11] = 0; // ARCOUNT: the query's EDNS record is not echoed
            return response;
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
