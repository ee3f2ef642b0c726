package com.databox.cmk.emulator.keyvault;

import com.databox.cmk.emulator.entra.TokenVerifier;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/** The vaults, each served by its own HTTPS server on a loopback port of {@link #PORTS}. */
public final class VaultRegistry implements AutoCloseable {

    private record Hosted(Vault vault, HttpsServer server, ExecutorService executor) {
        void stop() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private final Map<String, Hosted> vaults = new ConcurrentHashMap<>();
    /** Soft-deleted vaults (soft delete on): recoverable with their keys, policies and port. */
    private final Map<String, Vault> deleted = new ConcurrentHashMap<>();

    private final SSLContext tls;
    private final VaultAuthentication authentication;
    private final RequestCounter counter;
    private final Faults faults;
    private final Clock clock;
    private final KeyBackups backups = new KeyBackups();

    /** The ports vaults are served on (see {@link #bindInRange}). */
    public static final int FIRST_PORT = 20_000;

    public static final int LAST_PORT = 29_999;

    /** The range as the service's {@code cmk.keyvault.allowed-local-hosts} names it: {@code first-last}. */
    public static final String PORTS = FIRST_PORT + "-" + LAST_PORT;

    public VaultRegistry(SSLContext tls, TokenVerifier verifier, RequestCounter counter, Faults faults, Clock clock) {
        this.tls = tls;
        this.authentication = new VaultAuthentication(verifier);
        this.counter = counter;
        this.faults = faults;
        this.clock = clock;
    }

    static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z](?:[A-Za-z0-9-]{0,22}[A-Za-z0-9])?")) {
            throw new IllegalArgumentException("Invalid vault name '" + name
                    + "': 1-24 letters, digits and '-', starting with a letter and not ending with '-'");
        }
    }

    /** Creates a vault with {@code settings(empty)}, or updates an existing one with {@code settings(current)}. */
    public synchronized Vault put(String name, UnaryOperator<Optional<VaultSettings>> settings) {
        checkName(name);
        Hosted existing = vaults.get(key(name));
        if (existing != null) {
            existing.vault()
                    .settings(settings.apply(Optional.of(existing.vault().settings()))
                            .get());
            return existing.vault();
        }
        VaultSettings initial = settings.apply(Optional.empty()).orElseThrow();
        deleted.remove(key(name));
        Hosted hosted = serve(name, initial);
        vaults.put(key(name), hosted);
        return hosted.vault();
    }

    private Hosted serve(String name, VaultSettings settings) {
        return serve(name, settings, null);
    }

    /** Serves {@code existing} again on its own port (a recovered vault), or a new vault on a random port. */
    private Hosted serve(String name, VaultSettings settings, Vault existing) {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            HttpsServer server = existing == null ? bindInRange() : bind(existing.port());
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            Vault vault = existing != null
                    ? existing
                    : new Vault(name, server.getAddress().getPort(), settings);
            server.createContext(
                    "/",
                    new DataPlaneHandler(
                            vault, authentication, counter, faults, new KeyOperations(vault, clock, backups)));
            server.setExecutor(executor);
            server.start();
            return new Hosted(vault, server, executor);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot serve vault " + name, e);
        }
    }

    /**
     * A free port of {@link #FIRST_PORT}..{@link #LAST_PORT}, from a random start: the service's
     * local profile admits vaults on these ports only, so a key URL cannot point it at any other
     * local service (issue 12, item 7). Several emulators can share the range.
     */
    private static HttpsServer bindInRange() throws IOException {
        int size = LAST_PORT - FIRST_PORT + 1;
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            try {
                return bind(FIRST_PORT + (start + i) % size);
            } catch (java.net.BindException taken) {
                // The next port.
            }
        }
        throw new java.net.BindException("No free vault port in " + FIRST_PORT + "-" + LAST_PORT);
    }

    private static HttpsServer bind(int port) throws IOException {
        return HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    }

    public Optional<Vault> find(String name) {
        return Optional.ofNullable(vaults.get(key(name))).map(Hosted::vault);
    }

    /** Whether a vault of this name is served or soft-deleted (and so may be recovered). */
    public synchronized boolean known(String name) {
        return vaults.containsKey(key(name)) || deleted.containsKey(key(name));
    }

    /**
     * Deletes a vault; its port stops answering. With soft delete on, it can be recovered
     * ({@link #recover}) with its keys and access policies, as Key Vault's recover of a deleted vault.
     */
    public synchronized boolean delete(String name) {
        Hosted hosted = vaults.remove(key(name));
        if (hosted == null) {
            return false;
        }
        hosted.stop();
        if (hosted.vault().settings().softDelete()) {
            deleted.put(key(name), hosted.vault());
        }
        return true;
    }

    /** Recovers a soft-deleted vault: served again on the same port, so its key URLs work again. */
    public synchronized Optional<Vault> recover(String name) {
        Vault vault = deleted.remove(key(name));
        if (vault == null) {
            return Optional.empty();
        }
        Hosted hosted = serve(name, vault.settings(), vault);
        vaults.put(key(name), hosted);
        return Optional.of(hosted.vault());
    }

    public List<Vault> all() {
        List<Vault> all =
                new ArrayList<>(vaults.values().stream().map(Hosted::vault).toList());
        all.sort(Comparator.comparing(Vault::name));
        return all;
    }

    public KeyOperations operations(Vault vault) {
        return new KeyOperations(vault, clock, backups);
    }

    @Override
    public synchronized void close() {
        vaults.values().forEach(Hosted::stop);
        vaults.clear();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
