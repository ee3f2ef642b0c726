package com.databox.cmk.keyvault;

import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.DnsResponseCode;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link NameServers} asked with a Vert.x DNS client, on the instance whose resolver gave up. */
final class VertxNameServers implements NameServers {
    /** How long the one query waits for the name server that answered the resolver a moment before. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

    private final Vertx vertx;
    private DnsClient client;

    VertxNameServers(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Asks the resolver's first name server, as Vert.x's resolver is configured (the service's Vert.x instance). */
    @Override
    public boolean failFor(String host) {
        try {
            client().resolveA(host)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(QUERY_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            return false;
        } catch (ExecutionException e) {
            return !(e.getCause() instanceof DnsException refusal && refusal.code() == DnsResponseCode.NXDOMAIN);
        } catch (TimeoutException | RuntimeException e) {
            // No answer, or no name server to ask: the name server's failure, never a 500 for it.
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** One client (one UDP socket) per instance, made at the first failure that needs it. */
    private synchronized DnsClient client() {
        if (client == null) {
            client = vertx.createDnsClient(new DnsClientOptions().setQueryTimeout(QUERY_TIMEOUT.toMillis()));
        }
        return client;
    }
}
